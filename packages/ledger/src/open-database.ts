import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { LedgerError } from './errors.js';
import { LATEST_SCHEMA_VERSION, migrate } from './migrations.js';

export interface OpenOptions {
  /**
   * Most the ledger file may grow to. Past it a record fails cleanly with `write_failed` (SQLITE_FULL) instead of
   * filling the disk the operating system needs.
   */
  maxSizeBytes?: number;
}

/**
 * Opens the ledger file for writing with the durability the till promises: WAL plus synchronous=FULL, so a commit
 * that returned survives power loss (better-sqlite3's default NORMAL can lose the last commits). Both are read back
 * and asserted. An integrity check runs first; a schema migration runs only after a backup copy was taken.
 */
export function openWritableDatabase(path: string, options: OpenOptions = {}): Database.Database {
  const db = connect(path, false);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const mode = db.pragma('journal_mode', { simple: true });
    const sync = db.pragma('synchronous', { simple: true });
    if (mode !== 'wal' || sync !== 2) {
      throw new LedgerError(
        'unsafe_durability',
        `ledger durability not in force (journal_mode=${mode}, synchronous=${sync})`,
        false,
      );
    }
    checkIntegrity(db, path);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > 0 && version < LATEST_SCHEMA_VERSION) {
      const backup = `${path}.pre-v${LATEST_SCHEMA_VERSION}.bak`;
      if (!existsSync(backup)) db.exec(`VACUUM INTO '${backup.replaceAll("'", "''")}'`);
    }
    migrate(db);
    if (options.maxSizeBytes !== undefined) {
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxSizeBytes / pageSize))}`);
    }
    return db;
  } catch (cause) {
    db.close();
    throw asLedgerError(cause, path);
  }
}

/** Opens the ledger for reading only (reports, receipt lookups, the crash checker); it never migrates or writes. */
export function openReadonlyDatabase(path: string): Database.Database {
  const db = connect(path, true);
  try {
    checkIntegrity(db, path);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== LATEST_SCHEMA_VERSION) {
      throw new LedgerError(
        version > LATEST_SCHEMA_VERSION ? 'newer_schema' : 'corrupt',
        `the ledger at ${path} is at schema ${version}, this build reads ${LATEST_SCHEMA_VERSION}; open it for writing once to migrate`,
        false,
        { found: version, supported: LATEST_SCHEMA_VERSION },
      );
    }
    return db;
  } catch (cause) {
    db.close();
    throw asLedgerError(cause, path);
  }
}

function connect(path: string, readonly: boolean): Database.Database {
  try {
    return new Database(path, { readonly, fileMustExist: readonly });
  } catch (cause) {
    throw new LedgerError(
      'write_failed',
      `cannot open the ledger at ${path}: ${describe(cause)}`,
      false,
      { path },
      { cause },
    );
  }
}

function checkIntegrity(db: Database.Database, path: string): void {
  const integrity = db.pragma('quick_check', { simple: true });
  if (integrity !== 'ok') {
    throw new LedgerError(
      'corrupt',
      `the ledger at ${path} failed its integrity check (${integrity}); it was not modified. Keep the file, restore the latest backup, and let the terminal resync`,
      false,
      { path, integrity },
    );
  }
}

/** SQLite result codes that mean the storage refused, not that the file is damaged. */
const STORAGE_CODES = /^SQLITE_(READONLY|CANTOPEN|IOERR|FULL|PERM|BUSY|LOCKED)/;

function asLedgerError(cause: unknown, path: string): LedgerError {
  if (cause instanceof LedgerError) return cause;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string' && STORAGE_CODES.test(code)) {
    return new LedgerError(
      'write_failed',
      `the ledger at ${path} cannot be written (${describe(cause)}); check the disk is writable and has space`,
      true,
      { path, sqliteCode: code },
      { cause },
    );
  }
  return new LedgerError(
    'corrupt',
    `cannot use the ledger at ${path}: ${describe(cause)}. It was not modified; keep the file and restore the latest backup`,
    false,
    { path },
    { cause },
  );
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
