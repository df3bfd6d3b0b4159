import { Kysely, PostgresDialect } from 'kysely';
import type { Pool } from 'pg';
import { createPool } from './dialect.js';
import { KyselyStore } from './kysely-store.js';
import { migratePostgres } from './migrate.js';
import type { Database } from './schema.js';

export interface PostgresStoreOptions {
  /** Most connections the pool opens (default 10). Each ingest holds one for its whole transaction. */
  poolSize?: number;
  /** An idle pooled connection failed (the server restarted, the network dropped): the pool replaces it. */
  onIdleError?: (error: Error) => void;
}

/**
 * PostgreSQL for production: a pool of connections (READ COMMITTED), the same KyselyStore as SQLite. Batches of one
 * terminal are serialised by a row lock on the terminal; batches of different terminals run in parallel and meet
 * only at the stream counter, at the end (dialect.ts, `takeNumbers`).
 */
export class PostgresStore extends KyselyStore {
  private closing: Promise<void> | undefined;

  private constructor(private readonly pool: Pool) {
    super(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
  }

  /** Connects, applies pending migrations in one transaction, and returns the store. */
  static async open(connectionString: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = createPool(connectionString, options);
    try {
      await migratePostgres(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresStore(pool);
  }

  /** Connections of the pool: opened, idle, and requests waiting for one. */
  stats(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  /** Waits for connections in use to come back, then closes them all. Calling it twice is fine. */
  override close() {
    this.closing ??= super.close().then(async () => {
      if (!this.pool.ended) await this.pool.end();
    });
    return this.closing;
  }
}
