import type BetterSqlite3 from 'better-sqlite3';
import {
  DummyDriver,
  Kysely,
  type Dialect as KyselyDialect,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { ClientBase, Pool } from 'pg';
import { compileSteps, LATEST_VERSION, MIGRATIONS, type MigrationDb } from './migrations.js';

/** Key of the advisory lock that lets one server at a time migrate (replicas may start together). */
const MIGRATION_LOCK_KEY = 7_411_005_001;

const newerThanKnown = (found: number) =>
  new Error(
    `the database is at schema version ${found}, newer than this server knows (${LATEST_VERSION}): run a newer server`,
  );

/** Kyselys that only compile: the runners execute the SQL on their own connection, in their own transaction. */
const compilerOnly = (dialect: Omit<KyselyDialect, 'createDriver'>) =>
  new Kysely({ dialect: { ...dialect, createDriver: () => new DummyDriver() } }) as MigrationDb;
const postgresCompiler = compilerOnly({
  createAdapter: () => new PostgresAdapter(),
  createIntrospector: (db) => new PostgresIntrospector(db),
  createQueryCompiler: () => new PostgresQueryCompiler(),
});
const sqliteCompiler = compilerOnly({
  createAdapter: () => new SqliteAdapter(),
  createIntrospector: (db) => new SqliteIntrospector(db),
  createQueryCompiler: () => new SqliteQueryCompiler(),
});

/**
 * SQLite: the applied version is `PRAGMA user_version`, as it always was, so a file made before the query layer is
 * recognised by it. Synchronous (better-sqlite3), so the store is migrated when its constructor returns. Each
 * version is one transaction; a file migrated by a newer server is refused, not guessed at.
 */
export function migrateSqlite(raw: BetterSqlite3.Database, target: number = LATEST_VERSION): number {
  const current = raw.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_VERSION) throw newerThanKnown(current);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    raw.transaction(() => {
      for (const step of compileSteps(migration, sqliteCompiler, 'sqlite')) {
        if (step.parameters.length === 0) raw.exec(step.sql);
        else raw.prepare(step.sql).run(...(step.parameters as unknown[]));
      }
      raw.pragma(`user_version = ${migration.version}`);
    })();
  }
  return Math.max(current, Math.min(target, LATEST_VERSION));
}

/**
 * PostgreSQL: applies what is missing in one transaction, under an advisory lock so that replicas starting together
 * migrate once, and records each version in `schema_migrations`, as the server before the query layer did (so its
 * databases are recognised). A database migrated by a newer server is refused.
 */
export async function migratePostgres(pool: Pool, target: number = LATEST_VERSION): Promise<number> {
  const client = await pool.connect();
  try {
    return await migratePostgresOn(client, target);
  } finally {
    client.release();
  }
}

/** `migratePostgres` on a connection of the caller's (tests make databases of an older version with it). */
export async function migratePostgresOn(
  client: ClientBase,
  target: number = LATEST_VERSION,
): Promise<number> {
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const applied = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (row) => row.version,
      ),
    );
    const newest = Math.max(0, ...applied);
    if (newest > LATEST_VERSION) throw newerThanKnown(newest);
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version) || migration.version > target) continue;
      for (const step of compileSteps(migration, postgresCompiler, 'postgres')) {
        await client.query(step.sql, step.parameters as unknown[]);
      }
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
    }
    await client.query('COMMIT');
    return LATEST_VERSION;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
