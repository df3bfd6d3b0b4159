import Database from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
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
  private readonly database: SqliteDatabase;

  constructor(raw: Database.Database) {
    const database = withStatementCache(raw);
    super({ database });
    this.database = database;
  }

  override createDriver() {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

/** Statements kept once prepared, by their SQL: Kysely's driver prepares on every query, which ingest felt. */
const STATEMENT_CACHE_SIZE = 256;

function withStatementCache(raw: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = raw.prepare(sql);
        // Queries with IN lists vary by length; past the bound the cache starts again rather than grow.
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        cache.set(sql, statement);
      }
      return statement;
    },
  };
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
