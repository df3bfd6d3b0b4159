import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, GENESIS_HASH, type JournalEvent, type SaleEvent } from '@tillwright/protocol';
import { sealEvent } from '@tillwright/protocol/chain';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  openTestStore,
  postgresTestDatabase,
  returnEvent,
  saleChain,
  type TestStore,
  useBackend,
} from '../test-support.js';
import { migratePostgresOn, migrateSqlite } from './migrate.js';
import { MIGRATIONS } from './migrations.js';
import { PostgresStore } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { ServerStore, TerminalPrincipal } from './store.js';

const T0 = '2026-11-25T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const hash = (n: number) => n.toString(16).padStart(64, '0');
const GENESIS = { seq: 0, hash: GENESIS_HASH };
const pen = {
  productId: 'pen',
  sku: 'PEN',
  name: 'Pen',
  barcodes: [],
  currency: 'EUR',
  price: 250,
  taxCategory: 'standard',
  tags: [],
  active: true,
};

/** A sale of `terminal` after `previous`, carrying `eventId` (another till's id, when it squats). */
const saleWithId = (terminal: TerminalPrincipal, eventId: string, previous = GENESIS): SaleEvent => {
  const { hash: _hash, ...unsigned } = saleChain(terminal, 1, previous)[0]!;
  return sealEvent({ ...unsigned, eventId }) as SaleEvent;
};

/** A return of one pen of `sale`, made at `terminal` after `previous`, naming `originalTerminalId`. */
const returnNaming = (
  terminal: TerminalPrincipal,
  previous: { seq: number; hash: string },
  sale: SaleEvent,
  originalTerminalId: string,
): JournalEvent => {
  const { hash: _hash, ...unsigned } = returnEvent(terminal, previous, sale, 1);
  return sealEvent({
    ...unsigned,
    payload: { ...unsigned.payload, originalTerminalId },
  } as never) as JournalEvent;
};

/**
 * Event identity (decision 0008): an event is the terminal that wrote it and its id; an id is unique within an org,
 * and every lookup by id is scoped to the caller's org (and to the terminal, where the caller names one).
 */
describe.each(BACKENDS)('event identity on %s', (backend) => {
  useBackend(backend);
  let opened: TestStore;
  let store: ServerStore;

  beforeEach(async () => {
    opened = await openTestStore(backend);
    store = opened.store;
    for (const org of ['org-a', 'org-b']) {
      await store.createOrg(org, org);
      await store.putCatalogProducts(org, [pen]);
    }
    await store.createStore('org-a', 's1', 'A one');
    await store.createStore('org-a', 's2', 'A two');
    await store.createStore('org-b', 'b1', 'B one');
  });
  afterEach(() => opened.close());

  let codes = 0;
  const enrol = async (orgId: string, storeId: string): Promise<TerminalPrincipal> => {
    const code = hash(++codes);
    await store.issueEnrolmentCode(orgId, storeId, code, at(3600));
    return store.enrolTerminal({ codeHash: code, terminalName: 'Till', publicKey: `k${codes}`, now: T0 });
  };

  describe("another org's event under the same id", () => {
    it("does not stop org A's sale: stored, streamed and findable only in org A, and returnable", async () => {
      const tillA = await enrol('org-a', 's1');
      const tillB = await enrol('org-b', 'b1');
      // Org A's till rings a sale and prints its id in the receipt's QR; before it syncs, org B's till squats it.
      const genuine = saleChain(tillA, 1)[0]!;
      const squat = saleWithId(tillB, genuine.eventId);
      expect(await store.ingest(tillB, { epoch: 1, events: [squat] }, T0)).toMatchObject({ stored: 1 });

      expect(await store.ingest(tillA, { epoch: 1, events: [genuine] }, at(1))).toEqual({
        ackedSeq: 1,
        ackedHash: genuine.hash,
        stored: 1,
        duplicates: 0,
        quarantined: 0,
        exceptions: 0,
      });
      expect(await store.quarantine('org-a', 10)).toEqual([]);
      const streamA = await store.readStream('org-a', 0, 10);
      expect(streamA.map((item) => [item.terminalId, item.event])).toEqual([[tillA.terminalId, genuine]]);
      const streamB = await store.readStream('org-b', 0, 10);
      expect(streamB.map((item) => [item.terminalId, item.event])).toEqual([[tillB.terminalId, squat]]);
      expect(await store.findEvent('org-a', genuine.eventId)).toEqual(streamA[0]);
      expect(await store.findEvent('org-b', genuine.eventId)).toEqual(streamB[0]);
      expect(await store.findEvent('org-a', genuine.eventId, tillA.terminalId)).toEqual(streamA[0]);
      expect(await store.findEvent('org-a', genuine.eventId, tillB.terminalId)).toBeNull();

      // HQ of org A authorises a return of it, and the return reaches the server without an exception.
      const authorised = await store.authoriseReturn(
        'org-a',
        {
          authorisationId: '4f9c1b7e-2a3d-4c5e-9f60-000000000001',
          originalSaleId: genuine.eventId,
          storeId: 's1',
          lines: [{ lineId: 'l1', quantity: 1 }],
          validForMinutes: 60,
        },
        at(2),
      );
      expect(authorised.authorisation).toMatchObject({
        originalSaleId: genuine.eventId,
        originalStoreId: 's1',
      });
      const ret = returnEvent(tillA, genuine, genuine, 1);
      expect(await store.ingest(tillA, { epoch: 1, events: [ret] }, at(3))).toMatchObject({
        stored: 1,
        exceptions: 0,
      });
      expect(await store.exceptions('org-a', 0, 10)).toEqual([]);
      expect(await store.returnedQuantities('org-a', genuine.eventId)).toEqual({ l1: 1 });
      // Org B's sale under that id is untouched by org A's return.
      expect(await store.returnedQuantities('org-b', genuine.eventId)).toEqual({ l1: 0 });
      expect(await store.counts()).toMatchObject({ events: 3, quarantined: 0, exceptions: 0, alerts: 0 });
    });

    it('lets two orgs racing to store the same new id both store it', async () => {
      const tillA = await enrol('org-a', 's1');
      const tillB = await enrol('org-b', 'b1');
      const sale = saleChain(tillA, 1)[0]!;
      const twin = saleWithId(tillB, sale.eventId);
      const outcomes = await Promise.all([
        store.ingest(tillA, { epoch: 1, events: [sale] }, T0),
        store.ingest(tillB, { epoch: 1, events: [twin] }, T0),
      ]);
      expect(outcomes.map((outcome) => outcome.stored)).toEqual([1, 1]);
    });
  });

  describe('two terminals of one org under the same id', () => {
    it('keeps the stored event, quarantines the later one with the reason, and alerts HQ once', async () => {
      const till1 = await enrol('org-a', 's1');
      const till2 = await enrol('org-a', 's2');
      const genuine = saleChain(till1, 1)[0]!;
      const squat = saleWithId(till2, genuine.eventId);
      await store.ingest(till2, { epoch: 1, events: [squat] }, T0);

      const batch = { epoch: 1, events: [genuine] };
      const outcome = await store.ingest(till1, batch, at(1));
      expect(outcome).toMatchObject({ ackedSeq: 1, ackedHash: genuine.hash, stored: 0, quarantined: 1 });
      expect(await store.quarantine('org-a', 10)).toEqual([
        {
          orgId: 'org-a',
          terminalId: till1.terminalId,
          eventId: genuine.eventId,
          seq: 1,
          type: 'sale',
          issues: [expect.stringMatching(`already used in this org by terminal ${till2.terminalId}`)],
          receivedAt: at(1),
        },
      ]);
      expect((await store.readStream('org-a', 0, 10)).map((item) => item.event)).toEqual([squat]);
      expect(await store.counts()).toMatchObject({ events: 1, quarantined: 1, alerts: 1 });
      // The same request gets the same answer, and nothing more is written.
      expect(await store.ingest(till1, batch, at(2))).toEqual({ ...outcome, quarantined: 0, duplicates: 1 });
      expect(await store.counts()).toMatchObject({ events: 1, quarantined: 1, alerts: 1 });
    });

    it('resolves an id to the stored sale, and a return naming the quarantined sale to no sale at all', async () => {
      const till1 = await enrol('org-a', 's1');
      const till2 = await enrol('org-a', 's2');
      const genuine = saleChain(till1, 1)[0]!;
      const squat = saleWithId(till2, genuine.eventId);
      await store.ingest(till2, { epoch: 1, events: [squat] }, T0);
      await store.ingest(till1, { epoch: 1, events: [genuine] }, at(1));

      // The customer of the quarantined sale brings it back to its till: the return names that till, so it is not
      // counted against the other till's stored sale, and HQ gets an exception to look at.
      const ret = returnNaming(till1, genuine, genuine, till1.terminalId);
      expect(await store.ingest(till1, { epoch: 1, events: [ret] }, at(2))).toMatchObject({
        stored: 1,
        exceptions: 1,
      });
      expect(await store.exceptions('org-a', 0, 10)).toMatchObject([
        { eventId: ret.eventId, kind: 'unknown_original_sale' },
      ]);
      expect(await store.returnedQuantities('org-a', genuine.eventId)).toEqual({ l1: 0 });
      expect(await store.returnedQuantities('org-a', genuine.eventId, till1.terminalId)).toEqual({});

      // HQ asking by id alone gets the stored sale; naming the till whose sale was quarantined finds none.
      const ask = (n: number, originalTerminalId?: string) =>
        store.authoriseReturn(
          'org-a',
          {
            authorisationId: `4f9c1b7e-2a3d-4c5e-9f60-00000000000${n}`,
            originalSaleId: genuine.eventId,
            storeId: 's1',
            lines: [{ lineId: 'l1', quantity: 1 }],
            validForMinutes: 60,
            ...(originalTerminalId === undefined ? {} : { originalTerminalId }),
          },
          at(3),
        );
      await expect(ask(1, till1.terminalId)).rejects.toMatchObject({ status: 404, code: 'unknown_sale' });
      expect((await ask(2)).authorisation.originalStoreId).toBe('s2');
      await store.cancelReturnAuthorisation('org-a', '4f9c1b7e-2a3d-4c5e-9f60-000000000002', at(3));
      expect((await ask(3, till2.terminalId)).authorisation.originalStoreId).toBe('s2');
      // A return naming the stored sale's till counts against it.
      const back = returnNaming(till2, squat, squat, till2.terminalId);
      expect(await store.ingest(till2, { epoch: 1, events: [back] }, at(4))).toMatchObject({ exceptions: 0 });
      expect(await store.returnedQuantities('org-a', genuine.eventId)).toEqual({ l1: 1 });
    });

    it('lets one of two terminals racing to store the same new id store it; the other ends in quarantine', async () => {
      const till1 = await enrol('org-a', 's1');
      const till2 = await enrol('org-a', 's2');
      const first = saleChain(till1, 1)[0]!;
      const second = saleWithId(till2, first.eventId);
      // PostgreSQL may refuse the loser with a retryable event_id_in_use; its retry quarantines the event.
      const push = async (till: TerminalPrincipal, event: JournalEvent) => {
        for (;;) {
          try {
            return await store.ingest(till, { epoch: 1, events: [event] }, T0);
          } catch (error) {
            if ((error as { code?: string }).code !== 'event_id_in_use') throw error;
          }
        }
      };
      const outcomes = await Promise.all([push(till1, first), push(till2, second)]);
      expect(outcomes.map((outcome) => outcome.stored).sort()).toEqual([0, 1]);
      expect(outcomes.map((outcome) => outcome.quarantined).sort()).toEqual([0, 1]);
      expect(await store.counts()).toMatchObject({ events: 1, quarantined: 1, alerts: 1 });
    });
  });

  describe('migration to version 3', () => {
    // A database made at version 2 (ids unique across the server) holding org A's sale at offset 5 and its return
    // at offset 9, and a terminal of org B with nothing stored yet.
    const tillA: TerminalPrincipal = { orgId: 'org-a', storeId: 's1', terminalId: 's1-T01', epoch: 1 };
    const tillB: TerminalPrincipal = { orgId: 'org-b', storeId: 'b1', terminalId: 'b1-T01', epoch: 1 };
    const sale = saleChain(tillA, 1)[0]!;
    const ret = returnEvent(tillA, sale, sale, 1);
    const rows = {
      orgs: [
        ['org-a', 'A'],
        ['org-b', 'B'],
      ],
      stores: [
        ['s1', 'org-a', 'A one'],
        ['b1', 'org-b', 'B one'],
      ],
      terminals: [
        ['s1-T01', 'org-a', 's1', 'Till', 'k1', 1, 2, ret.hash],
        ['b1-T01', 'org-b', 'b1', 'Till', 'k2', 1, 0, GENESIS_HASH],
      ],
      events: [
        [5, sale],
        [9, ret],
      ] as const,
    };
    const eventRow = ([offset, event]: readonly [number, JournalEvent]) => [
      offset,
      event.eventId,
      'org-a',
      's1',
      's1-T01',
      event.epoch,
      event.seq,
      event.type,
      event.hash,
      canonicalJson(event),
      T0,
    ];

    /** What every migrated database must do: keep rows and offsets, and hold ids per org from now on. */
    const behavesAtVersion3 = async (migrated: ServerStore) => {
      expect((await migrated.readStream('org-a', 0, 10)).map((item) => [item.offset, item.event])).toEqual([
        [5, sale],
        [9, ret],
      ]);
      expect(await migrated.returnedQuantities('org-a', sale.eventId)).toEqual({ l1: 1 });
      expect(
        await migrated.ingest(tillB, { epoch: 1, events: [saleWithId(tillB, sale.eventId)] }, at(1)),
      ).toMatchObject({ stored: 1 });
      const next = saleChain(tillA, 1, { seq: 2, hash: ret.hash })[0]!;
      expect(await migrated.ingest(tillA, { epoch: 1, events: [next] }, at(2))).toMatchObject({ stored: 1 });
      expect((await migrated.readStream(null, 0, 10)).map((item) => [item.orgId, item.offset])).toEqual([
        ['org-a', 5],
        ['org-a', 9],
        ['org-b', 10],
        ['org-a', 11],
      ]);
      await migrated.issueEnrolmentCode('org-a', 's1', hash(99), at(3600));
      const till2 = await migrated.enrolTerminal({
        codeHash: hash(99),
        terminalName: 'T2',
        publicKey: 'k',
        now: T0,
      });
      expect(
        await migrated.ingest(till2, { epoch: 1, events: [saleWithId(till2, ret.eventId)] }, at(3)),
      ).toMatchObject({ stored: 0, quarantined: 1 });
    };

    if (backend === 'sqlite') {
      it('rebuilds the events table of a SQLite store, keeping rows and offsets, with ids unique per org', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'tillwright-identity-migration-'));
        const path = join(dir, 'server.sqlite');
        try {
          const raw = new Database(path);
          migrateSqlite(raw, 2);
          for (const row of rows.orgs) raw.prepare('INSERT INTO orgs VALUES (?, ?)').run(...row);
          for (const row of rows.stores) raw.prepare('INSERT INTO stores VALUES (?, ?, ?)').run(...row);
          for (const row of rows.terminals)
            raw
              .prepare(
                `INSERT INTO terminals (terminal_id, org_id, store_id, name, public_key, epoch, acked_seq, acked_hash)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
              )
              .run(...row);
          for (const row of rows.events)
            raw.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(...eventRow(row));
          raw.close();

          const migrated = new SqliteStore(path);
          try {
            await behavesAtVersion3(migrated);
          } finally {
            await migrated.close();
          }
          const check = new Database(path, { readonly: true });
          try {
            expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
            const { sql } = check.prepare("SELECT sql FROM sqlite_master WHERE name = 'events'").get() as {
              sql: string;
            };
            expect(sql).toMatch(/UNIQUE \(org_id, event_id\)/);
            expect(sql).not.toMatch(/event_id TEXT NOT NULL UNIQUE/);
            const indexes = check
              .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL",
              )
              .all() as { name: string }[];
            // The rebuild kept version 1's indexes; version 6 added the one by store and time, 9 the approvals', 10
            // the shifts'.
            expect(indexes.map((index) => index.name).sort()).toEqual([
              'events_approvals',
              'events_by_org',
              'events_by_shift',
              'events_by_store_time',
              'events_returns_by_sale',
            ]);
          } finally {
            check.close();
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    } else {
      it('replaces the server-wide unique event id of a PostgreSQL database with one per org, keeping rows', async () => {
        const database = await postgresTestDatabase();
        const client = new Client({ connectionString: database.url });
        try {
          await client.connect();
          await migratePostgresOn(client, 2);
          for (const row of rows.orgs) await client.query('INSERT INTO orgs VALUES ($1, $2)', row);
          for (const row of rows.stores) await client.query('INSERT INTO stores VALUES ($1, $2, $3)', row);
          for (const row of rows.terminals)
            await client.query(
              `INSERT INTO terminals (terminal_id, org_id, store_id, name, public_key, epoch, acked_seq, acked_hash)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
              row,
            );
          for (const row of rows.events)
            await client.query(
              `INSERT INTO events (stream_offset, event_id, org_id, store_id, terminal_id, epoch, seq, type, hash, body,
                                   received_at, original_sale_id)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
              [...eventRow(row), row[1].type === 'return' ? sale.eventId : null],
            );
          await client.query("UPDATE counters SET value = 9 WHERE name = 'stream_offset'");

          const migrated = await PostgresStore.open(database.url);
          try {
            await behavesAtVersion3(migrated);
          } finally {
            await migrated.close();
          }
          const versions = await client.query('SELECT version FROM schema_migrations ORDER BY version');
          expect(versions.rows.map((row: { version: number }) => row.version)).toEqual(
            MIGRATIONS.map((migration) => migration.version),
          );
          const unique = await client.query(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'events'::regclass AND contype = 'u' ORDER BY conname",
          );
          expect(unique.rows.map((row: { conname: string }) => row.conname)).toEqual([
            'events_org_event_id_key',
            'events_terminal_id_epoch_seq_key',
          ]);
        } finally {
          await client.end();
          await database.drop();
        }
      });
    }
  });
});
