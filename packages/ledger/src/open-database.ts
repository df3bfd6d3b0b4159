import Database from 'better-sqlite3';
import { LedgerError } from './errors.js';
import { migrate } from './migrations.js';

/**
 * Opens the ledger file with the durability the till promises: WAL plus synchronous=FULL, so a commit that
 * returned survives power loss (better-sqlite3's default NORMAL can lose the last commits). Both are read back
 * and asserted, never assumed.
 */
export function openLedgerDatabase(path: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (cause) {
    throw new LedgerError(
      'write_failed',
      `cannot open the ledger at ${path}: ${describe(cause)}`,
      false,
      { path },
      { cause },
    );
  }
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
    const integrity = db.pragma('quick_check', { simple: true });
    if (integrity !== 'ok') {
      throw new LedgerError(
        'corrupt',
        `the ledger at ${path} failed its integrity check (${integrity}); it was not modified. Keep the file, restore the latest backup, and let the terminal resync`,
        false,
        { path, integrity },
      );
    }
    migrate(db);
    return db;
  } catch (cause) {
    db.close();
    if (cause instanceof LedgerError) throw cause;
    throw new LedgerError(
      'corrupt',
      `cannot use the ledger at ${path}: ${describe(cause)}`,
      false,
      { path },
      { cause },
    );
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
