import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CreateReturnAuthorisationRequest,
  configDocumentToServe,
  DEFAULT_TERMINAL_CONFIG,
  type JournalEvent,
  type SaleEvent,
  type SalePayloadV1,
  TerminalConfig,
} from '@tillwright/protocol';
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
const authId = (n: number) => `4f9c1b7e-2a3d-4c5e-9f60-${n.toString(16).padStart(12, '0')}`;
const S1 = { orgId: 'org-a', storeId: 's1' };
const S2 = { orgId: 'org-a', storeId: 's2' };

/** Line l1 sold three times, line l2 once. */
const threeAndOne = (payload: SalePayloadV1): SalePayloadV1 => ({
  ...payload,
  lines: [
    { ...payload.lines[0]!, quantity: 3 },
    { ...payload.lines[0]!, lineId: 'l2', quantity: 1 },
  ],
});

/** The feed store contract on every backend: config, return authorisations and the terminal's pull. */
describe.each(BACKENDS)('terminal feed store on %s', (backend) => {
  useBackend(backend);
  let opened: TestStore;
  let store: ServerStore;
  let till: TerminalPrincipal;
  let sale: SaleEvent;

  beforeEach(async () => {
    opened = await openTestStore(backend);
    store = opened.store;
    await store.createOrg('org-a', 'A');
    await store.createOrg('org-b', 'B');
    await store.createStore('org-a', 's1', 'Store one');
    await store.createStore('org-a', 's2', 'Store two');
    await store.createStore('org-b', 'b1', 'B one');
    await store.issueEnrolmentCode('org-a', 's1', hash(1), at(3600));
    till = await store.enrolTerminal({ codeHash: hash(1), terminalName: 'Till', publicKey: 'k', now: T0 });
    sale = saleChain(till, 1, undefined, threeAndOne)[0]!;
    await store.ingest(till, { epoch: 1, events: [sale] }, T0);
  });
  afterEach(() => opened.close());

  const ask = (
    n: number,
    lines: { lineId: string; quantity: number }[],
    extra: Partial<CreateReturnAuthorisationRequest> = {},
  ): CreateReturnAuthorisationRequest => ({
    authorisationId: authId(n),
    originalSaleId: sale.eventId,
    storeId: 's2',
    lines,
    validForMinutes: 60,
    ...extra,
  });

  /** Everything a refusal could have written: the feed of every store, its head, and the authorisation. */
  const snapshot = async (n: number) => ({
    s1: await store.feedAfter(S1, 0, 1000),
    s2: await store.feedAfter(S2, 0, 1000),
    authorisation: await store.returnAuthorisation('org-a', authId(n)),
  });

  const refusal = async (work: () => Promise<unknown>, n: number, expected: Record<string, unknown>) => {
    const before = await snapshot(n);
    await expect(work()).rejects.toMatchObject(expected);
    expect(await snapshot(n)).toEqual(before);
  };

  describe('terminal configuration', () => {
    it('versions documents for the org and for one store; the same document again adds nothing', async () => {
      const org = await store.putTerminalConfig('org-a', null, DEFAULT_TERMINAL_CONFIG, T0);
      const served = configDocumentToServe(DEFAULT_TERMINAL_CONFIG);
      expect(org).toEqual({ kind: 'config', version: 1, storeId: null, config: served });
      const override = TerminalConfig.parse({
        offlineCrossStoreReturns: 'manager-override',
        offlineReturnLimit: 5000,
      });
      const s2 = await store.putTerminalConfig('org-a', 's2', override, at(1));
      expect(s2).toMatchObject({ version: 2, storeId: 's2', config: configDocumentToServe(override) });
      expect(await store.putTerminalConfig('org-a', 's2', { ...override }, at(2))).toEqual(s2);
      expect(await store.putTerminalConfig('org-a', null, DEFAULT_TERMINAL_CONFIG, at(3))).toEqual(org);
      const withdrawn = await store.putTerminalConfig('org-a', 's2', null, at(4));
      expect(withdrawn).toEqual({ kind: 'config', version: 3, storeId: 's2', config: null });

      expect((await store.feedAfter(S1, 0, 100)).items).toEqual([org]);
      expect((await store.feedAfter(S2, 0, 100)).items).toEqual([org, s2, withdrawn]);
      expect((await store.feedAfter({ orgId: 'org-b', storeId: 'b1' }, 0, 100)).items).toEqual([]);
    });

    it('stores a document with quick keys at version 6, an over/short alert at 4, roles at 3, a time zone at 2, none at 1', async () => {
      const zoned = TerminalConfig.parse({ timeZone: 'Europe/Berlin' });
      // What version 6 added (quick keys, custom lines, barcode region, promotions) is left at its defaults here.
      const withoutV6 = ({
        quickKeys: _k,
        customLines: _c,
        barcodeRegion: _r,
        promotions: _p,
        ...older
      }: TerminalConfig) => older;
      const {
        roles: _roles,
        autoLockSeconds: _lock,
        pinLockout: _lockout,
        overShortAlert: _alert,
        ...v2
      } = withoutV6(zoned);
      expect((await store.putTerminalConfig('org-b', 'b1', zoned, T0)).config).toEqual({ ...v2, schema: 2 });
      const withRoles = TerminalConfig.parse({
        timeZone: 'Europe/Berlin',
        roles: { clerk: { name: 'Clerk', permissions: { noSale: true } } },
      });
      const { overShortAlert: _default, ...v3 } = withoutV6(withRoles);
      expect((await store.putTerminalConfig('org-b', 'b1', withRoles, T0)).config).toEqual({
        ...v3,
        schema: 3,
      });
      expect(await store.configInForce('org-b', 'b1')).toEqual(withRoles);
      const withAlert = TerminalConfig.parse({ overShortAlert: 0 });
      expect((await store.putTerminalConfig('org-b', 'b1', withAlert, T0)).config).toEqual({
        ...withoutV6(withAlert),
        schema: 4,
      });
      expect(await store.configInForce('org-b', 'b1')).toEqual(withAlert);
      const withKeys = TerminalConfig.parse({ quickKeys: [{ label: 'Bread', productId: 'bread' }] });
      expect((await store.putTerminalConfig('org-b', 'b1', withKeys, T0)).config).toEqual(withKeys);
      expect(await store.configInForce('org-b', 'b1')).toEqual(withKeys);
      expect(
        (await store.putTerminalConfig('org-b', null, DEFAULT_TERMINAL_CONFIG, T0)).config,
      ).toMatchObject({
        schema: 1,
      });
    });

    it("refuses a store that is not the org's, and writes nothing", async () => {
      for (const storeId of ['nowhere', 'b1']) {
        await refusal(() => store.putTerminalConfig('org-a', storeId, DEFAULT_TERMINAL_CONFIG, T0), 1, {
          status: 404,
          code: 'not_found',
        });
      }
    });
  });

  describe('the pull', () => {
    it('pages in version order and moves the cursor to the head, past what the store does not see', async () => {
      const versions: number[] = [];
      for (let i = 0; i < 5; i++) {
        const storeId = i % 2 === 0 ? null : 's2';
        const config = TerminalConfig.parse({ drawerOpenAlertSeconds: 10 + i });
        versions.push((await store.putTerminalConfig('org-a', storeId, config, at(i))).version);
      }
      await store.putTerminalConfig('org-b', null, DEFAULT_TERMINAL_CONFIG, at(9));
      expect(versions).toEqual([1, 2, 3, 4, 5]);

      const first = await store.feedAfter(S2, 0, 2);
      expect(first).toMatchObject({ nextAfter: 2, hasMore: true, head: 6 });
      expect(first.items.map((item) => item.version)).toEqual([1, 2]);
      const second = await store.feedAfter(S2, first.nextAfter, 3);
      expect(second.items.map((item) => item.version)).toEqual([3, 4, 5]);
      expect(second).toMatchObject({ nextAfter: 6, hasMore: false, head: 6 });

      const s1 = await store.feedAfter(S1, 0, 2);
      expect(s1.items.map((item) => item.version)).toEqual([1, 3]);
      expect(s1).toMatchObject({ nextAfter: 3, hasMore: true });
      const rest = await store.feedAfter(S1, 3, 2);
      expect(rest.items.map((item) => item.version)).toEqual([5]);
      expect(rest).toMatchObject({ nextAfter: 6, hasMore: false, head: 6 });
      expect(await store.feedAfter(S1, 6, 10)).toEqual({ items: [], nextAfter: 6, hasMore: false, head: 6 });
      expect(await store.feedAfter({ orgId: 'org-c', storeId: 'x' }, 0, 10)).toEqual({
        items: [],
        nextAfter: 6,
        hasMore: false,
        head: 6,
      });
    });
  });

  describe('return authorisations', () => {
    it("issues one for the return store's feed, with the original store taken from the stored sale", async () => {
      const item = await store.authoriseReturn('org-a', ask(1, [{ lineId: 'l1', quantity: 2 }]), at(5));
      expect(item).toEqual({
        kind: 'return-authorisation',
        version: 1,
        authorisation: {
          authorisationId: authId(1),
          originalSaleId: sale.eventId,
          originalStoreId: 's1',
          storeId: 's2',
          lines: [{ lineId: 'l1', quantity: 2 }],
          issuedAt: at(5),
          expiresAt: at(5 + 3600),
          status: 'active',
        },
      });
      expect(await store.returnAuthorisation('org-a', authId(1))).toEqual(item);
      expect(await store.returnAuthorisation('org-b', authId(1))).toBeNull();
      expect((await store.feedAfter(S2, 0, 10)).items).toEqual([item]);
      expect((await store.feedAfter(S1, 0, 10)).items).toEqual([]);
    });

    it('refuses an unknown sale, store or line and over-authorisation with details, writing nothing', async () => {
      await refusal(
        () =>
          store.authoriseReturn(
            'org-a',
            ask(1, [{ lineId: 'l1', quantity: 1 }], {
              originalSaleId: '019abcde-0000-7000-8000-000000000001',
            }),
            T0,
          ),
        1,
        {
          status: 404,
          code: 'unknown_sale',
          retryable: true,
        },
      );
      // Another org's authorisation cannot reach this org's sale.
      await refusal(
        () => store.authoriseReturn('org-b', ask(1, [{ lineId: 'l1', quantity: 1 }], { storeId: 'b1' }), T0),
        1,
        {
          status: 404,
          code: 'unknown_sale',
        },
      );
      await refusal(
        () => store.authoriseReturn('org-a', ask(1, [{ lineId: 'l1', quantity: 1 }], { storeId: 'b1' }), T0),
        1,
        {
          status: 404,
          code: 'not_found',
        },
      );
      await refusal(
        () =>
          store.authoriseReturn(
            'org-a',
            ask(1, [
              { lineId: 'l1', quantity: 1 },
              { lineId: 'l9', quantity: 1 },
            ]),
            T0,
          ),
        1,
        { status: 422, code: 'unknown_line', details: { lineIds: ['l9'] } },
      );
      await refusal(
        () =>
          store.authoriseReturn(
            'org-a',
            ask(1, [
              { lineId: 'l1', quantity: 1 },
              { lineId: 'l2', quantity: 2 },
            ]),
            T0,
          ),
        1,
        {
          status: 409,
          code: 'over_return',
          details: { lines: [{ lineId: 'l2', sold: 1, returned: 0, reserved: 0, asked: 2, available: 1 }] },
        },
      );
    });

    it('counts returned and reserved quantity; cancelling or expiry frees it', async () => {
      // One of l1 already returned at the original store.
      const ret = returnEvent(till, { seq: 1, hash: sale.hash }, sale, 1);
      await store.ingest(till, { epoch: 1, events: [ret] }, T0);
      const held = await store.authoriseReturn('org-a', ask(1, [{ lineId: 'l1', quantity: 1 }]), T0);
      await refusal(() => store.authoriseReturn('org-a', ask(2, [{ lineId: 'l1', quantity: 2 }]), at(1)), 2, {
        code: 'over_return',
        details: { lines: [{ lineId: 'l1', sold: 3, returned: 1, reserved: 1, asked: 2, available: 1 }] },
      });
      await store.authoriseReturn('org-a', ask(3, [{ lineId: 'l1', quantity: 1 }]), at(2));
      await refusal(() => store.authoriseReturn('org-a', ask(4, [{ lineId: 'l1', quantity: 1 }]), at(3)), 4, {
        code: 'over_return',
      });

      const cancelled = await store.cancelReturnAuthorisation('org-a', authId(1), at(4));
      expect(cancelled).toEqual({
        kind: 'return-authorisation',
        version: 3,
        authorisation: { ...held.authorisation, status: 'cancelled' },
      });
      expect(await store.cancelReturnAuthorisation('org-a', authId(1), at(5))).toEqual(cancelled);
      expect(
        (await store.authoriseReturn('org-a', ask(4, [{ lineId: 'l1', quantity: 1 }]), at(6))).version,
      ).toBe(4);
      await refusal(() => store.authoriseReturn('org-a', ask(5, [{ lineId: 'l1', quantity: 1 }]), at(7)), 5, {
        code: 'over_return',
      });
      // An hour later authorisations 3 and 4 have expired and hold nothing.
      expect(
        await store.authoriseReturn('org-a', ask(5, [{ lineId: 'l1', quantity: 2 }]), at(3600 + 6)),
      ).toMatchObject({ version: 5 });
      expect((await store.feedAfter(S2, 0, 10)).items.map((i) => i.version)).toEqual([1, 2, 3, 4, 5]);
    });

    it('counts a stored return made under an authorisation once: as returned, no longer as reserved', async () => {
      await store.authoriseReturn('org-a', ask(1, [{ lineId: 'l1', quantity: 2 }]), T0);
      await store.issueEnrolmentCode('org-a', 's2', hash(2), at(3600));
      const other = await store.enrolTerminal({
        codeHash: hash(2),
        terminalName: 'T2',
        publicKey: 'k2',
        now: T0,
      });
      const { hash: _hash, ...unsigned } = returnEvent(other, { seq: 0, hash: '0'.repeat(64) }, sale, 2);
      const used = sealEvent({
        ...unsigned,
        payload: { ...unsigned.payload, authorization: { kind: 'server-token', token: authId(1) } },
      } as never) as JournalEvent;
      expect(await store.ingest(other, { epoch: 1, events: [used] }, at(1))).toMatchObject({
        stored: 1,
        exceptions: 0,
      });
      expect(
        await store.authoriseReturn('org-a', ask(2, [{ lineId: 'l1', quantity: 1 }]), at(2)),
      ).toMatchObject({
        version: 2,
      });
      await refusal(() => store.authoriseReturn('org-a', ask(3, [{ lineId: 'l1', quantity: 1 }]), at(3)), 3, {
        details: { lines: [{ lineId: 'l1', sold: 3, returned: 2, reserved: 1, asked: 1, available: 0 }] },
      });
    });

    it('is idempotent by id: the same request answers the same, another request under the id is a conflict', async () => {
      const request = ask(1, [{ lineId: 'l1', quantity: 1 }]);
      const first = await store.authoriseReturn('org-a', request, T0);
      expect(await store.authoriseReturn('org-a', { ...request }, at(30))).toEqual(first);
      await refusal(() => store.authoriseReturn('org-a', { ...request, validForMinutes: 61 }, at(31)), 1, {
        status: 409,
        code: 'idempotency_conflict',
      });
      await refusal(
        () => store.authoriseReturn('org-a', { ...request, lines: [{ lineId: 'l1', quantity: 2 }] }, at(32)),
        1,
        { status: 409, code: 'idempotency_conflict' },
      );
      await refusal(() => store.authoriseReturn('org-b', { ...request, storeId: 'b1' }, at(33)), 1, {
        status: 409,
        code: 'idempotency_conflict',
      });
      // After a cancel, the same request answers with the authorisation as it now stands.
      const cancelled = await store.cancelReturnAuthorisation('org-a', authId(1), at(40));
      expect(await store.authoriseReturn('org-a', request, at(41))).toEqual(cancelled);
    });

    it("cancels only the org's own authorisations", async () => {
      await refusal(() => store.cancelReturnAuthorisation('org-a', authId(9), T0), 9, {
        status: 404,
        code: 'not_found',
      });
      await store.authoriseReturn('org-a', ask(1, [{ lineId: 'l1', quantity: 1 }]), T0);
      await refusal(() => store.cancelReturnAuthorisation('org-b', authId(1), T0), 1, {
        status: 404,
        code: 'not_found',
      });
    });

    it('lets exactly one of several concurrent authorisations of the same quantity win', async () => {
      const racing = await Promise.allSettled(
        [1, 2, 3, 4, 5, 6].map((n) =>
          store.authoriseReturn('org-a', ask(n, [{ lineId: 'l1', quantity: 2 }]), T0),
        ),
      );
      const won = racing.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const lost of racing.filter((r) => r.status === 'rejected')) {
        expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: 'over_return' });
      }
      expect((await store.feedAfter(S2, 0, 100)).items).toEqual([
        (won[0] as PromiseFulfilledResult<unknown>).value,
      ]);
    });

    it('answers concurrent repeats of one request alike, and one of two requests racing under one id wins', async () => {
      const request = ask(1, [{ lineId: 'l1', quantity: 1 }]);
      const repeats = await Promise.all([1, 2, 3, 4].map(() => store.authoriseReturn('org-a', request, T0)));
      expect(new Set(repeats.map((r) => JSON.stringify(r))).size).toBe(1);
      expect((await store.feedAfter(S2, 0, 100)).items).toHaveLength(1);

      // Two requests under one new id, about two different sales: different rows are locked, the key decides.
      const [second] = saleChain(till, 1, { seq: 1, hash: sale.hash }, threeAndOne);
      await store.ingest(till, { epoch: 1, events: [second!] }, T0);
      const racing = await Promise.allSettled([
        store.authoriseReturn('org-a', ask(2, [{ lineId: 'l1', quantity: 1 }]), T0),
        store.authoriseReturn(
          'org-a',
          ask(2, [{ lineId: 'l1', quantity: 1 }], { originalSaleId: second!.eventId }),
          T0,
        ),
      ]);
      expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((racing.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({
        code: 'idempotency_conflict',
      });
      expect((await store.feedAfter(S2, 0, 100)).items).toHaveLength(2);
    });
  });

  describe('migration to version 2', () => {
    if (backend === 'sqlite') {
      it('adds the feed to a SQLite store created at version 1, keeping its rows', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'tillwright-feed-migration-'));
        const path = join(dir, 'server.sqlite');
        const raw = new Database(path);
        migrateSqlite(raw, 1);
        raw.prepare("INSERT INTO orgs (org_id, name) VALUES ('org-a', 'A')").run();
        raw.close();
        const migrated = new SqliteStore(path);
        try {
          expect(await migrated.orgIds()).toEqual(['org-a']);
          expect(await migrated.putTerminalConfig('org-a', null, DEFAULT_TERMINAL_CONFIG, T0)).toMatchObject({
            version: 1,
          });
        } finally {
          await migrated.close();
          rmSync(dir, { recursive: true, force: true });
        }
      });
    } else {
      it('adds the feed to a PostgreSQL database at version 1, keeping its rows', async () => {
        const database = await postgresTestDatabase();
        try {
          const client = new Client({ connectionString: database.url });
          await client.connect();
          await migratePostgresOn(client, 1);
          await client.query("INSERT INTO orgs VALUES ('org-a', 'A')");
          const migrated = await PostgresStore.open(database.url);
          try {
            expect(await migrated.orgIds()).toEqual(['org-a']);
            expect(
              await migrated.putTerminalConfig('org-a', null, DEFAULT_TERMINAL_CONFIG, T0),
            ).toMatchObject({
              version: 1,
            });
            const versions = await client.query('SELECT version FROM schema_migrations ORDER BY version');
            expect(versions.rows.map((row: { version: number }) => row.version)).toEqual(
              MIGRATIONS.map((migration) => migration.version),
            );
          } finally {
            await migrated.close();
            await client.end();
          }
        } finally {
          await database.drop();
        }
      });
    }
  });
});
