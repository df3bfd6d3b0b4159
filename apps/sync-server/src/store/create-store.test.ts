import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliUsageError, parseServerArgs } from '../ops/cli-options.js';
import { createStore, describeDb, isPostgresUrl } from './create-store.js';
import { SqliteStore } from './sqlite-store.js';

describe('choosing the database', () => {
  it('reads postgres:// and postgresql:// (any case) as PostgreSQL, anything else as a SQLite path', () => {
    for (const url of ['postgres://u@h/db', 'postgresql://u:p@h:5432/db', 'POSTGRESQL://h/db'])
      expect(isPostgresUrl(url)).toBe(true);
    for (const path of ['server.sqlite', './postgres.sqlite', '/var/lib/postgres/x.db', 'postgres'])
      expect(isPostgresUrl(path)).toBe(false);
  });

  it('never shows a password in what it logs', () => {
    expect(describeDb('postgres://tw:s3cret@db.example:5432/tillwright')).toBe(
      'PostgreSQL postgres://tw:***@db.example:5432/tillwright',
    );
    expect(describeDb('/data/server.sqlite')).toBe('SQLite /data/server.sqlite');
  });

  it('opens a SQLite file in the data folder when no database is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tillwright-create-'));
    try {
      const store = await createStore(undefined, dir);
      expect(store).toBeInstanceOf(SqliteStore);
      await store.ping();
      await store.close();
      expect(existsSync(join(dir, 'server.sqlite'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes --db as a file path or a PostgreSQL URL (or TILLWRIGHT_DB), and refuses other URLs', () => {
    expect(parseServerArgs(['--db', 'postgresql://tw@db:5432/tillwright'], {}).db).toBe(
      'postgresql://tw@db:5432/tillwright',
    );
    expect(parseServerArgs([], { TILLWRIGHT_DB: 'postgres://tw@db/x' }).db).toBe('postgres://tw@db/x');
    expect(parseServerArgs(['--db', 'a.sqlite'], { TILLWRIGHT_DB: 'postgres://tw@db/x' }).db).toBe(
      'a.sqlite',
    );
    expect(parseServerArgs(['--db', 'postgres.sqlite'], {}).db).toBe('postgres.sqlite');
    expect(() => parseServerArgs(['--db', 'mysql://db/x'], {})).toThrow(CliUsageError);
    expect(() => parseServerArgs(['--db', 'postgres://'], {})).toThrow(/not a usable PostgreSQL URL/);
  });
});
