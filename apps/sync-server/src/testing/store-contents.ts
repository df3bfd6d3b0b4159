import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresStore } from '../store/postgres-store.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { ServerStore } from '../store/store.js';
import { startTestServer, type TestServer } from '../test-support.js';
import { type Backend, postgresDirectory, takeMigratedDatabase } from './backends.js';

/**
 * A fresh store of the backend whose every stored byte a test can search: for secrets that must never be kept (card
 * numbers, PINs), wherever they could hide (WAL, freed pages, a rolled-back write, the server's own log).
 */
export interface StoreWithContents {
  store: ServerStore;
  /** Everything the database holds, as text: every file it wrote and, on PostgreSQL, every row of every table. */
  contents(): Promise<string>;
  close(): Promise<void>;
}

/** All files under a folder, read as Latin-1 so any byte sequence is searchable as text. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    if (stat.isDirectory()) return filesUnder(path);
    return stat.isFile() ? [readFileSync(path).toString('latin1')] : [];
  });
}

export async function openStoreWithContents(backend: Backend): Promise<StoreWithContents> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tillwright-card-data-'));
    const store = new SqliteStore(join(dir, 'server.sqlite'));
    return {
      store,
      // The database file, its WAL and shared-memory file: committed, uncommitted and freed pages alike.
      contents: async () => filesUnder(dir).join('\n'),
      close: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await takeMigratedDatabase();
  const store = await PostgresStore.open(database.url);
  return {
    store,
    contents: async () => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        // Pages still in shared buffers go to disk, so the files below hold every row (the WAL held them already).
        await client.query('CHECKPOINT');
        const tables = await client.query<{ name: string }>(
          "SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public'",
        );
        const rows: string[] = [];
        for (const { name } of tables.rows) {
          const found = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
          rows.push(...found.rows.map((row) => row.row));
        }
        // The whole cluster: tables, indexes, WAL and the server's own log.
        return [...rows, ...filesUnder(postgresDirectory())].join('\n');
      } finally {
        await client.end();
      }
    },
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/**
 * A test server of the backend on such a store, logging at debug level into `logs`: for tests that a secret reaches
 * neither the database nor the log.
 */
export async function startServerKeepingEverything(
  backend: Backend,
): Promise<{ server: TestServer; logs: string[]; contents: () => Promise<string> }> {
  const opened = await openStoreWithContents(backend);
  const logs: string[] = [];
  const server = await startTestServer(backend, {
    store: opened.store,
    log: { level: 'debug', stream: { write: (line: string) => logs.push(line) } },
  });
  return { server, logs, contents: opened.contents };
}
