import { join } from 'node:path';
import { isPostgresUrl } from './db-url.js';
import { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { ServerStore } from './store.js';

export { describeDb, isPostgresUrl } from './db-url.js';

/**
 * Opens the server's store: a PostgreSQL URL gives a PostgresStore (migrated before it is returned), anything else
 * is a SQLite file path; no `db` at all means `server.sqlite` in the data folder.
 */
export async function createStore(
  db: string | undefined,
  dataDir: string,
  options: PostgresStoreOptions = {},
): Promise<ServerStore> {
  if (db !== undefined && isPostgresUrl(db)) return PostgresStore.open(db, options);
  return new SqliteStore(db ?? join(dataDir, 'server.sqlite'));
}
