import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EnrolResponse } from '@tillwright/protocol';

/**
 * The terminal's server credential, kept beside the ledger with owner-only permissions. Written atomically
 * (temp file, fsync, rename) so a crash mid-enrolment never leaves half a credential.
 */
export class CredentialFile {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'credentials.json');
  }

  read(): EnrolResponse | null {
    if (!existsSync(this.path)) return null;
    const parsed = EnrolResponse.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
    if (!parsed.success) {
      throw new Error(
        `${this.path} is not a valid credential file; move it aside and enrol the terminal again`,
      );
    }
    return parsed.data;
  }

  write(credential: EnrolResponse): void {
    const temp = `${this.path}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(credential));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
  }
}
