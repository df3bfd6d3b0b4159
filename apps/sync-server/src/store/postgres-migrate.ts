import type { Pool } from 'pg';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';

/** Key of the advisory lock that lets one server at a time migrate (replicas may start together). */
const MIGRATION_LOCK_KEY = 7_411_005_001;

/**
 * Applies the migrations this server knows and the database lacks, in one transaction, under an advisory lock so
 * that replicas starting together migrate once. A database migrated by a newer server is refused, not guessed at.
 */
export async function migratePostgres(pool: Pool): Promise<number> {
  const client = await pool.connect();
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
    const known = Math.max(0, ...POSTGRES_MIGRATIONS.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      throw new Error(
        `the database is at schema version ${newest}, newer than this server knows (${known}): run a newer server`,
      );
    }
    for (const migration of POSTGRES_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
    }
    await client.query('COMMIT');
    return known;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
