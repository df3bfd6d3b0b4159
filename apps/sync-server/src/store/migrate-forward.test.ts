import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPin } from '@tillwright/protocol/pin';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend, postgresTestDatabase, saleChain, useBackend } from '../test-support.js';
import { findPostgresBinDir } from '../testing/postgres-server.js';
import { migratePostgresOn, migrateSqlite } from './migrate.js';
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
    // Version 6 read each event's time out of its body, so the old sales and return count in business-day reports.
    const store1 = stream[0]!.storeId;
    const around = (at: string, hours: number) => new Date(Date.parse(at) + hours * 3600_000).toISOString();
    const first = stream[0]!.event.occurredAt;
    const found = await store.storeMoneyEvents(ORG, store1, around(first, -1), around(first, 24));
    expect(found.map((event) => event.eventId)).toEqual(
      stream
        .filter(
          (item) =>
            item.storeId === store1 && Date.parse(item.event.occurredAt) < Date.parse(around(first, 24)),
        )
        .map((item) => item.event.eventId),
    );
    expect(found.length).toBeGreaterThanOrEqual(4);
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
  it('takes employees, their feed entries and audit rows once migrated (version 7), after the old feed items', async () => {
    opened = await openFixture(backend);
    const { store } = opened;
    const actor = { staffId: 'demo-admin', username: 'admin' };
    const created = await store.createEmployee(
      ORG,
      {
        employeeId: 'emp-1',
        number: '1042',
        displayName: 'Ada',
        roleId: 'cashier',
        storeIds: ['store-001'],
        pin: await hashPin('7314', { N: 1024 }),
        requestDigest: 'digest',
      },
      '2026-12-01T10:00:00.000Z',
      actor,
    );
    expect(created).toMatchObject({ created: true, view: { employeeId: 'emp-1', version: 1 } });
    // The rebuilt feed kept its items and their numbering: the employee's entry comes after them.
    const feed = await store.feedAfter({ orgId: ORG, storeId: 'store-001' }, 0, 10);
    expect(feed.items.map((item) => [item.version, item.kind])).toEqual([
      [1, 'config'],
      [2, 'return-authorisation'],
      [3, 'employee'],
    ]);
    expect((await store.auditLog(ORG, 0, 10)).map((entry) => [entry.id, entry.action, entry.target])).toEqual(
      [[1, 'employee.create', 'emp-1']],
    );
  });
});

/** Tables, columns, keys and indexes of a database, in a form both makers of it must agree on. */
async function schemaOf(backend: Backend, target: string): Promise<unknown> {
  if (backend === 'sqlite') {
    const db = new Database(target, { readonly: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all() as { name: string }[];
      return tables.map(({ name }) => ({
        name,
        columns: (db.prepare(`PRAGMA table_info(${name})`).all() as Record<string, unknown>[]).map((c) => ({
          ...c,
          type: String(c.type).toUpperCase(),
        })),
        indexes: (db.prepare(`PRAGMA index_list(${name})`).all() as { name: string; unique: number }[])
          .map((index) => ({
            ...index,
            // SQLite names the indexes of inline UNIQUE and PRIMARY KEY constraints itself, by position.
            columns: (
              db.prepare(`PRAGMA index_info(${JSON.stringify(index.name)})`).all() as { name: string }[]
            ).map((c) => c.name),
          }))
          .map(({ seq: _seq, ...index }: Record<string, unknown>) => index)
          .sort((a, b) => String(a.columns).localeCompare(String(b.columns))),
      }));
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: target });
  await client.connect();
  try {
    const query = async (text: string) => (await client.query(text)).rows;
    return {
      columns:
        await query(`SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity
                              FROM information_schema.columns WHERE table_schema = 'public'
                             ORDER BY table_name, column_name`),
      constraints:
        await query(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
                                  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                                 ORDER BY tbl, conname`),
      indexes: await query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
                             ORDER BY tablename, indexname`),
    };
  } finally {
    await client.end();
  }
}

describe.each(BACKENDS)('the migration history on %s', (backend) => {
  useBackend(backend);

  it('makes at version 3 exactly the schema the server before the query layer made (the fixture), and the same after', async () => {
    if (backend === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'tillwright-schema-'));
      try {
        const fixture = join(dir, 'fixture.sqlite');
        copyFileSync(join(FIXTURES, 'server-61b9c13.sqlite'), fixture);
        const fresh = new Database(join(dir, 'fresh.sqlite'));
        migrateSqlite(fresh, 3);
        expect(await schemaOf(backend, join(dir, 'fresh.sqlite'))).toEqual(await schemaOf(backend, fixture));
        // And from there on both are one database: migrated on, the fixture's schema is a new database's.
        migrateSqlite(fresh);
        fresh.close();
        const old = new Database(fixture);
        migrateSqlite(old);
        old.close();
        expect(await schemaOf(backend, join(dir, 'fresh.sqlite'))).toEqual(await schemaOf(backend, fixture));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return;
    }
    const [fixture, fresh] = [await postgresTestDatabase(), await postgresTestDatabase()];
    try {
      execFileSync(
        join(findPostgresBinDir(), 'psql'),
        [
          '--quiet',
          '--no-psqlrc',
          '-v',
          'ON_ERROR_STOP=1',
          '--dbname',
          fixture.url,
          '--file',
          join(FIXTURES, 'server-61b9c13.postgres.sql'),
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      const client = new Client({ connectionString: fresh.url });
      await client.connect();
      await migratePostgresOn(client, 3);
      expect(await schemaOf(backend, fresh.url)).toEqual(await schemaOf(backend, fixture.url));
      // And from there on both are one database: migrated on, the fixture's schema is a new database's.
      await migratePostgresOn(client);
      await client.end();
      const old = new Client({ connectionString: fixture.url });
      await old.connect();
      await migratePostgresOn(old);
      await old.end();
      expect(await schemaOf(backend, fresh.url)).toEqual(await schemaOf(backend, fixture.url));
    } finally {
      await fixture.drop();
      await fresh.drop();
    }
  });
});

/**
 * A database of `backend` migrated to `from`, given the rows of `seed` (SQL with `?` placeholders and their values),
 * then migrated to `to`; answers what `query` reads from it.
 */
async function migratedOver<Row>(
  backend: Backend,
  from: number,
  to: number,
  seed: [string, unknown[]][],
  query: string,
): Promise<Row[]> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tillwright-migration-'));
    try {
      const db = new Database(join(dir, 'server.sqlite'));
      migrateSqlite(db, from);
      for (const [text, values] of seed) db.prepare(text).run(...values);
      migrateSqlite(db, to);
      const rows = db.prepare(query).all() as Row[];
      db.close();
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const database = await postgresTestDatabase();
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    await migratePostgresOn(client, from);
    for (const [text, values] of seed) {
      let n = 0;
      await client.query(
        text.replace(/\?/g, () => `$${++n}`),
        values,
      );
    }
    await migratePostgresOn(client, to);
    return (await client.query(query)).rows as Row[];
  } finally {
    await client.end();
    await database.drop();
  }
}

const ORG_AND_STORES: [string, unknown[]][] = [
  ["INSERT INTO orgs (org_id, name) VALUES ('org-a', 'A')", []],
  ["INSERT INTO stores (store_id, org_id, name) VALUES ('s-a', 'org-a', 'A'), ('s-b', 'org-a', 'B')", []],
];

describe.each(BACKENDS)('migrations 8 and 9 on %s', (backend) => {
  useBackend(backend);

  it('8 deletes the employee entries a later entry of the same store and employee superseded, with their hashes', async () => {
    const entry = (
      version: number,
      storeId: string,
      employeeId: string,
      pin: string | null,
    ): [string, unknown[]] => [
      'INSERT INTO feed_items (version, org_id, store_id, kind, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [
        version,
        'org-a',
        storeId,
        'employee',
        JSON.stringify({
          kind: 'employee',
          version,
          storeId,
          employee: {
            employeeId,
            number: '1',
            displayName: 'A',
            roleId: 'cashier',
            active: pin !== null,
            pin,
          },
        }),
        '2026-12-01T10:00:00.000Z',
      ],
    ];
    // Ada at store A: v1 (old PIN), v4 (new PIN). At store B: v2 (active), v5 (she left). Bob at A: v3 only.
    const left = await migratedOver<{ version: number; body: string }>(
      backend,
      7,
      8,
      [
        ...ORG_AND_STORES,
        entry(1, 's-a', 'ada', 'old-pin'),
        entry(2, 's-b', 'ada', 'old-pin'),
        entry(3, 's-a', 'bob', 'bob-pin'),
        entry(4, 's-a', 'ada', 'new-pin'),
        entry(5, 's-b', 'ada', null),
      ],
      'SELECT CAST(version AS INTEGER) AS version, body FROM feed_items ORDER BY version',
    );
    expect(left.map((row) => row.version)).toEqual([3, 4, 5]);
    expect(left.map((row) => JSON.parse(row.body).employee.pin)).toEqual(['bob-pin', 'new-pin', null]);
  });

  it('9 gives the manager approvals stored before it their approval id, and no other event one', async () => {
    const event = (seq: number, type: string, payload: unknown): [string, unknown[]] => [
      `INSERT INTO events (stream_offset, event_id, org_id, store_id, terminal_id, epoch, seq, type, hash, body,
                           original_sale_id, occurred_at, received_at)
       VALUES (?, ?, 'org-a', 's-a', 'T1', 1, ?, ?, ?, ?, NULL, ?, ?)`,
      [
        seq,
        `019ab8a0-0000-7000-8000-00000000000${seq}`,
        seq,
        type,
        String(seq).repeat(64),
        JSON.stringify({ type, payload }),
        '2026-12-01T10:00:00.000Z',
        '2026-12-01T10:00:00.000Z',
      ],
    ];
    const approvalId = '019ab8a0-0000-7000-8000-00000000a001';
    const rows = await migratedOver<{ type: string; approval_id: string | null }>(
      backend,
      8,
      9,
      [
        ...ORG_AND_STORES,
        event(1, 'manager-approval', { approvalId }),
        event(2, 'no-sale', { approvalId, reason: 'float', employeeId: 'c1' }),
      ],
      'SELECT type, approval_id FROM events ORDER BY seq',
    );
    expect(rows).toEqual([
      { type: 'manager-approval', approval_id: approvalId },
      { type: 'no-sale', approval_id: null },
    ]);
  });
});
