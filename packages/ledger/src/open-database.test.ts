import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from './ledger.js';
import { LATEST_SCHEMA_VERSION } from './migrations.js';
import { freshLedger } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

describe('opening a ledger', () => {
  it('refuses a database written by a newer version, naming both versions', () => {
    const fixture = freshLedger();
    cleanup = fixture.cleanup;
    fixture.ledger.close();
    const raw = new Database(fixture.path);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => Ledger.open(fixture.path)).toThrow(
      expect.objectContaining({
        code: 'newer_schema',
        details: { found: LATEST_SCHEMA_VERSION + 1, supported: LATEST_SCHEMA_VERSION },
      }),
    );
  });

  it('refuses a corrupt file loudly instead of replacing it', () => {
    const fixture = freshLedger();
    cleanup = fixture.cleanup;
    const path = `${fixture.dir}/garbage.sqlite`;
    writeFileSync(path, Buffer.alloc(8192, 0x42));
    expect(() => Ledger.open(path)).toThrow(expect.objectContaining({ code: 'corrupt' }));
  });
});
