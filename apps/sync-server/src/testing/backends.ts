import { Pool } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migratePostgres } from '../store/migrate.js';
import {
  createTestDatabase,
  type PostgresServer,
  startPostgres,
  type TestDatabase,
} from './postgres-server.js';

/** Every storage backend; store-level suites run once per entry with `describe.each(BACKENDS)`. */
export const BACKENDS = ['sqlite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

/** The PostgreSQL server of the running test file, started by `useBackend('postgres')`. */
let postgres: PostgresServer | undefined;
/**
 * The next test's database, created and migrated while the current test runs: creating a database costs a few
 * tenths of a second (it copies and syncs a template), which would otherwise be paid in every test's set-up.
 */
let spare: Promise<TestDatabase> | undefined;

/**
 * Call once at the top of a `describe.each(BACKENDS)` block. On PostgreSQL it starts one real server for the block
 * (beforeAll) and stops it afterwards (afterAll); `openTestStore` and `startTestServer` then give every test a
 * fresh database on it. On SQLite it does nothing: every test gets a fresh file.
 */
export function useBackend(backend: Backend): void {
  if (backend !== 'postgres') return;
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await spare?.catch(() => {});
    spare = undefined;
    await postgres?.stop();
    postgres = undefined;
  }, 60_000);
}

function postgresServer(): PostgresServer {
  if (!postgres)
    throw new Error("no PostgreSQL server for this file: call useBackend('postgres') in its describe");
  return postgres;
}

/** The folder of the file's PostgreSQL server: its cluster (tables, indexes, WAL) and its log. */
export function postgresDirectory(): string {
  return postgresServer().dir;
}

/** A fresh, empty database on the file's PostgreSQL server (see `useBackend`); `drop()` removes it. */
export function postgresTestDatabase(): Promise<TestDatabase> {
  return createTestDatabase(postgresServer().url);
}

async function migratedDatabase(adminUrl: string): Promise<TestDatabase> {
  const database = await createTestDatabase(adminUrl);
  const pool = new Pool({ connectionString: database.url, max: 1 });
  try {
    await migratePostgres(pool);
  } finally {
    await pool.end();
  }
  return database;
}

/** A fresh database with the schema in place: the one made ahead, and the next one is started. */
export function takeMigratedDatabase(): Promise<TestDatabase> {
  const { url } = postgresServer();
  const taken = spare ?? migratedDatabase(url);
  spare = migratedDatabase(url);
  spare.catch(() => {}); // reported to the test that takes it
  return taken;
}
