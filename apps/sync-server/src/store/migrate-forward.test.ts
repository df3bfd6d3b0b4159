import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend, postgresTestDatabase, saleChain, useBackend } from '../test-support.js';
import { findPostgresBinDir } from '../testing/postgres-server.js';
import { MIGRATIONS } from './migrations.js';
import { PostgresStore } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { ServerStore, TerminalPrincipal } from './store.js';

/**
 * Databases made by the server before the query layer (fixtures/README.md: commit 61b9c13, SQLite file and
 * PostgreSQL dump, never edited) open with the new store: it recognises the version they recorded (SQLite
 * `user_version` 3, PostgreSQL `schema_migrations` 1 to 3), migrates them on, and everything in them reads back as
 * before, while new ingest continues after the old offsets.
 */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
const ORG = 'demo-org';
const SESSION = '3'.repeat(64);
const AUTHORISATION = '019ab8a0-0000-7000-8000-00000000f1f1';

interface Opened {
  store: ServerStore;
  /** The versions the database records as applied, after the store opened it. */
  versions(): Promise<number[]>;
  close(): Promise<void>;
}

async function openFixture(backend: Backend): Promise<Opened> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tillwright-fixture-'));
    const path = join(dir, 'server.sqlite');
    copyFileSync(join(FIXTURES, 'server-61b9c13.sqlite'), path);
    const before = new Database(path, { readonly: true });
    expect(before.pragma('user_version', { simple: true })).toBe(3);
    before.close();
    const store = new SqliteStore(path);
    return {
      store,
      versions: async () => {
        const check = new Database(path, { readonly: true });
        try {
          return [check.pragma('user_version', { simple: true }) as number];
        } finally {
          check.close();
        }
      },
      close: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await postgresTestDatabase();
  execFileSync(
    join(findPostgresBinDir(), 'psql'),
    [
      '--quiet',
      '--no-psqlrc',
      '-v',
      'ON_ERROR_STOP=1',
      '--dbname',
      database.url,
      '--file',
      join(FIXTURES, 'server-61b9c13.postgres.sql'),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const applied = async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      return rows.map((row: { version: number }) => row.version);
    } finally {
      await client.end();
    }
  };
  expect(await applied()).toEqual([1, 2, 3]);
  const store = await PostgresStore.open(database.url);
  return {
    store,
    versions: applied,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

describe.each(BACKENDS)('a %s database made before the query layer (fixture of 61b9c13)', (backend) => {
  useBackend(backend);
  let opened: Opened | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it('is recognised by its recorded version and migrated on to the newest', async () => {
    opened = await openFixture(backend);
    const latest = MIGRATIONS.at(-1)!.version;
    expect(await opened.versions()).toEqual(
      backend === 'sqlite' ? [latest] : MIGRATIONS.map((migration) => migration.version),
    );
  });

  it('keeps the demo org, its terminals, the stream with its offsets, quarantine and exceptions', async () => {
    opened = await openFixture(backend);
    const { store } = opened;
    expect(await store.orgIds()).toEqual([ORG]);
    expect(
      (await store.terminals(ORG)).map((t) => ({ id: t.terminalId, acked: t.ackedSeq, epoch: t.epoch })),
    ).toEqual([
      { id: 'store-001-T01', acked: 5, epoch: 1 },
      { id: 'store-001-T02', acked: 1, epoch: 1 },
    ]);
    const stream = await store.readStream(null, 0, 100);
    expect(stream.map((item) => [item.offset, item.terminalId, item.event.seq, item.event.type])).toEqual([
      [1, 'store-001-T01', 1, 'sale'],
      [2, 'store-001-T01', 2, 'sale'],
      [3, 'store-001-T01', 3, 'sale'],
      [4, 'store-001-T01', 4, 'return'],
      [5, 'store-001-T02', 1, 'sale'],
    ]);
    const saleId = stream[0]!.event.eventId;
    expect(await store.findEvent(ORG, saleId, 'store-001-T01')).toEqual(stream[0]);
    // The return, found by its sale (SQLite moved the sale id from a JSON index to a column in version 4).
    expect(await store.returnedQuantities(ORG, saleId, 'store-001-T01')).toEqual({ l1: 1 });
    expect((await store.quarantine(ORG, 10)).map((q) => [q.eventId, q.seq])).toEqual([
      ['019ab8a0-0000-7000-8000-00000000dead', 5],
    ]);
    expect((await store.exceptions(ORG, 0, 10)).map((e) => [e.id, e.kind, e.terminalId])).toEqual([
      [1, 'unknown_product', 'store-001-T02'],
    ]);
    expect(await store.counts()).toMatchObject({ events: 5, quarantined: 1, exceptions: 1 });
  });

  it('keeps the HQ session valid until its expiry, and the config and return authorisation in the feed', async () => {
    opened = await openFixture(backend);
    const { store } = opened;
    expect(await store.sessionByTokenHash(SESSION, '2026-11-25T21:59:59.999Z')).toMatchObject({
      staffId: 'demo-admin',
      orgId: ORG,
      role: 'admin',
      expiresAt: '2026-11-25T22:00:00.000Z',
    });
    expect(await store.sessionByTokenHash(SESSION, '2026-11-25T22:00:00.000Z')).toBeNull();
    const feed = await store.feedAfter({ orgId: ORG, storeId: 'store-001' }, 0, 10);
    expect(feed.items.map((item) => [item.version, item.kind])).toEqual([
      [1, 'config'],
      [2, 'return-authorisation'],
    ]);
    expect(feed.head).toBe(2);
    expect(await store.returnAuthorisation(ORG, AUTHORISATION)).toMatchObject({
      version: 2,
      authorisation: { authorisationId: AUTHORISATION, status: 'active' },
    });
    // The catalog: its listings seeded the priced history, and new versions continue after them.
    expect(await store.catalogVersion(ORG)).toBe(7);
    expect(await store.catalogProductAt(ORG, 'pen', 1)).toMatchObject({ productId: 'pen', version: 1 });
    expect(await store.catalogProductAt(ORG, 'battery', 6)).toBeNull();
  });

  it('continues ingest after the old offsets, exception ids and catalog versions', async () => {
    opened = await openFixture(backend);
    const { store } = opened;
    const till = async (terminalId: string): Promise<TerminalPrincipal> => {
      const record = (await store.terminal(terminalId))!;
      return { orgId: record.orgId, storeId: record.storeId, terminalId, epoch: record.epoch };
    };
    const first = await till('store-001-T01');
    const state = await store.syncState(first);
    expect(state).toMatchObject({ epoch: 1, ackedSeq: 5 });
    const sales = saleChain(first, 2, { seq: state.ackedSeq, hash: state.ackedHash });
    expect(await store.ingest(first, { epoch: 1, events: sales }, '2026-12-01T10:00:00.000Z')).toMatchObject({
      stored: 2,
      ackedSeq: 7,
    });
    const second = await till('store-001-T02');
    const secondState = await store.syncState(second);
    const unknown = saleChain(second, 1, { seq: 1, hash: secondState.ackedHash }, (payload) => ({
      ...payload,
      lines: payload.lines.map((line) => ({ ...line, productId: 'no-such-product' })),
    }));
    expect(
      await store.ingest(second, { epoch: 1, events: unknown }, '2026-12-01T10:00:00.000Z'),
    ).toMatchObject({
      stored: 1,
      exceptions: 1,
    });
    expect((await store.readStream(null, 5, 10)).map((item) => [item.offset, item.event.eventId])).toEqual([
      [6, sales[0]!.eventId],
      [7, sales[1]!.eventId],
      [8, unknown[0]!.eventId],
    ]);
    expect((await store.exceptions(ORG, 1, 10)).map((e) => e.id)).toEqual([2]);
    const { productId: _id, version: _version, ...pen } = (await store.catalogProduct(ORG, 'pen'))!;
    expect(await store.putCatalogProducts(ORG, [{ productId: 'pen', ...pen, price: 275 }])).toBe(8);
    expect(await store.catalogProductAt(ORG, 'pen', 7)).toMatchObject({ price: 250, version: 1 });
    expect(await store.catalogProductAt(ORG, 'pen', 8)).toMatchObject({ price: 275, version: 8 });
  });
});
