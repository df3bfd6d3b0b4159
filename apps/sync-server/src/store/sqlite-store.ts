import Database from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, Kysely, SqliteDialect, SqliteDriver } from 'kysely';
import type { IngestOptions } from './ingest.js';
import { KyselyStore } from './kysely-store.js';
import { migrateSqlite } from './migrate.js';
import type { Database as Tables } from './schema.js';

/** better-sqlite3 waits this long for another process's lock before SQLITE_BUSY (its default, named here). */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Kysely's SQLite driver, but a transaction begins IMMEDIATE: it takes the write lock at BEGIN, so a transaction that
 * reads first can never fail to upgrade to writing midway if another process holds the file.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly database: Database.Database) {
    super({ database });
  }

  override createDriver() {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

/**
 * The embedded default: one SQLite file, WAL, synchronous=FULL, foreign keys on. One connection: Kysely runs one
 * query or one transaction on it at a time (its connection mutex), so a transaction that awaits never lets another
 * request read its uncommitted rows, and stream offsets are taken in commit order. Migrated when the constructor
 * returns (migrate.ts).
 */
export class SqliteStore extends KyselyStore {
  private readonly raw: Database.Database;

  constructor(path: string, ingestOptions: IngestOptions = {}) {
    const raw = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = ON');
    const db = new Kysely<Tables>({ dialect: new ImmediateSqliteDialect(raw) });
    try {
      migrateSqlite(raw);
    } catch (error) {
      raw.close();
      throw error;
    }
    super(db, 'sqlite', ingestOptions);
    this.raw = raw;
  }

  override async close() {
    await super.close();
    if (this.raw.open) this.raw.close();
  }
}
