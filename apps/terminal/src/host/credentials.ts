import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EnrolResponse } from '@tillwright/protocol';
import { z } from 'zod';

/** The enrolment answer plus the terminal's private key, which never leaves this file. */
export const TerminalCredential = EnrolResponse.extend({ privateKeyPem: z.string().min(40) });
export type TerminalCredential = z.infer<typeof TerminalCredential>;

/**
 * The terminal's identity and signing key, kept beside the ledger with owner-only permissions. Written atomically
 * (temp file, fsync, rename) so a crash mid-enrolment never leaves half a credential.
 */
export class CredentialFile {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'credentials.json');
  }

  read(): TerminalCredential | null {
    if (!existsSync(this.path)) return null;
    const parsed = TerminalCredential.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
    if (!parsed.success) {
      throw new Error(
        `${this.path} is not a valid credential file; move it aside and enrol the terminal again`,
      );
    }
    return parsed.data;
  }

  write(credential: TerminalCredential): void {
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
