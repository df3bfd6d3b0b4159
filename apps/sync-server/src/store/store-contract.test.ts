import { canonicalJson, type JournalEvent } from '@tillwright/protocol';
import { hashEvent, sealEvent } from '@tillwright/protocol/chain';
import { Client } from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  openTestStore,
  postgresTestDatabase,
  saleChain,
  type TestStore,
  useBackend,
} from '../test-support.js';
import { createStore } from './create-store.js';
import { MIGRATIONS } from './migrations.js';
import { PostgresStore } from './postgres-store.js';
import type { ServerStore, TerminalPrincipal } from './store.js';

const T0 = '2026-11-25T10:00:00.000Z';
const EVERY_VERSION = MIGRATIONS.map((migration) => migration.version);
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const hash = (n: number) => n.toString(16).padStart(64, '0');
const product = (productId: string, price: number) => ({
  productId,
  sku: productId.toUpperCase(),
  name: `Product ${productId}`,
  barcodes: [],
  currency: 'EUR',
  price,
  taxCategory: 'standard',
  tags: [],
  active: true,
});

/** The store contract, method by method, on every backend: the two dialects must answer alike. */
describe.each(BACKENDS)('ServerStore on %s', (backend) => {
  useBackend(backend);
  let opened: TestStore;
  let store: ServerStore;

  beforeEach(async () => {
    opened = await openTestStore(backend);
    store = opened.store;
    await store.createOrg('org-a', 'A');
    await store.createStore('org-a', 's1', 'Store one');
  });
  afterEach(() => opened.close());

  const enrol = async (n: number, storeId = 's1', orgId = 'org-a'): Promise<TerminalPrincipal> => {
    await store.issueEnrolmentCode(orgId, storeId, hash(n), at(3600));
    return store.enrolTerminal({
      codeHash: hash(n),
      terminalName: `Till ${n}`,
      publicKey: `key-${n}`,
      now: T0,
    });
  };

  it('creates orgs and stores once and lists orgs in byte order', async () => {
    for (const id of ['alpha', 'Zeta', 'Beta']) await store.createOrg(id, id);
    await store.createOrg('org-a', 'renamed');
    await store.createStore('org-a', 's1', 'renamed');
    expect(await store.orgIds()).toEqual(['Beta', 'Zeta', 'alpha', 'org-a']);
    await expect(store.createStore('no-such-org', 's9', 'x')).rejects.toThrow();
  });

  it("never lets one org take over another org's store id or staff user name", async () => {
    await store.createOrg('org-b', 'B');
    await expect(store.createStore('org-b', 's1', 'Hijack')).rejects.toMatchObject({
      code: 'store_id_taken',
    });
    await store.createStaff({
      staffId: 'a-admin',
      orgId: 'org-a',
      username: 'admin',
      passwordHash: 'hash-a',
      role: 'admin',
    });
    await expect(
      store.createStaff({
        staffId: 'b-admin',
        orgId: 'org-b',
        username: 'admin',
        passwordHash: 'hash-b',
        role: 'viewer',
      }),
    ).rejects.toMatchObject({ code: 'username_taken' });
    expect(await store.staffByUsername('admin')).toMatchObject({
      orgId: 'org-a',
      role: 'admin',
      passwordHash: 'hash-a',
    });
    await store.createStaff({
      staffId: 'a-admin',
      orgId: 'org-a',
      username: 'admin',
      passwordHash: 'hash-a2',
      role: 'viewer',
    });
    expect(await store.staffByUsername('admin')).toMatchObject({
      orgId: 'org-a',
      role: 'viewer',
      passwordHash: 'hash-a2',
    });
  });

  it('issues codes only for a store of the org; a re-issued code takes the new expiry; a code works once', async () => {
    await store.createOrg('org-b', 'B');
    await expect(store.issueEnrolmentCode('org-b', 's1', hash(1), at(60))).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
    await store.issueEnrolmentCode('org-a', 's1', hash(1), at(60));
    const late = { codeHash: hash(1), terminalName: 'Till', publicKey: 'key', now: at(60) };
    await expect(store.enrolTerminal(late)).rejects.toMatchObject({ code: 'enrolment_code_invalid' });
    await store.issueEnrolmentCode('org-a', 's1', hash(1), at(120));
    expect(await store.enrolTerminal(late)).toEqual({
      orgId: 'org-a',
      storeId: 's1',
      terminalId: 's1-T01',
      epoch: 1,
    });
    await expect(store.enrolTerminal(late)).rejects.toMatchObject({ code: 'enrolment_code_invalid' });
    await expect(store.enrolTerminal({ ...late, codeHash: hash(2) })).rejects.toMatchObject({
      code: 'enrolment_code_invalid',
    });
    expect(await store.terminal('s1-T01')).toEqual({
      orgId: 'org-a',
      storeId: 's1',
      terminalId: 's1-T01',
      epoch: 1,
      name: 'Till',
      publicKey: 'key',
      revokedAt: null,
      ackedSeq: 0,
      lastSeenAt: null,
    });
  });

  it('numbers terminals per store even when enrolments race, and one of several racing uses of a code wins', async () => {
    const racing = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => enrol(n)));
    expect(racing.map((t) => t.terminalId).sort()).toEqual([
      's1-T01',
      's1-T02',
      's1-T03',
      's1-T04',
      's1-T05',
      's1-T06',
    ]);
    await store.issueEnrolmentCode('org-a', 's1', hash(99), at(60));
    const uses = await Promise.allSettled(
      [1, 2, 3].map((n) =>
        store.enrolTerminal({ codeHash: hash(99), terminalName: `T${n}`, publicKey: `k${n}`, now: T0 }),
      ),
    );
    expect(uses.filter((use) => use.status === 'fulfilled')).toHaveLength(1);
    for (const use of uses.filter((u) => u.status === 'rejected'))
      expect((use as PromiseRejectedResult).reason).toMatchObject({ code: 'enrolment_code_invalid' });
    expect((await store.terminals('org-a')).map((t) => t.terminalId)).toEqual([
      's1-T01',
      's1-T02',
      's1-T03',
      's1-T04',
      's1-T05',
      's1-T06',
      's1-T07',
    ]);
    expect(await store.terminals('org-b')).toEqual([]);
  });

  it('remembers a nonce until it expires, per terminal, and lets one of several racing uses win', async () => {
    expect(await store.useNonce('t1', 'n1', at(10), T0)).toBe(true);
    expect(await store.useNonce('t1', 'n1', at(10), at(5))).toBe(false);
    expect(await store.useNonce('t2', 'n1', at(10), at(5))).toBe(true);
    expect(await store.useNonce('t1', 'n1', at(30), at(11))).toBe(true);
    const racing = await Promise.all([1, 2, 3, 4, 5].map(() => store.useNonce('t1', 'race', at(60), T0)));
    expect(racing.filter(Boolean)).toHaveLength(1);
  });

  it('revokes a terminal of its own org, once', async () => {
    const terminal = await enrol(1);
    expect(await store.revokeTerminal('org-b', terminal.terminalId, at(1))).toBe(false);
    expect(await store.revokeTerminal('org-a', terminal.terminalId, at(1))).toBe(true);
    expect(await store.revokeTerminal('org-a', terminal.terminalId, at(2))).toBe(false);
    expect((await store.terminal(terminal.terminalId))?.revokedAt).toBe(at(1));
  });

  it('keeps staff by user name (a second create updates hash and role) and sessions until they expire', async () => {
    const staff = {
      staffId: 'st1',
      orgId: 'org-a',
      username: 'ann',
      passwordHash: 'h1',
      role: 'viewer' as const,
    };
    await store.createStaff(staff);
    await store.createStaff({ ...staff, staffId: 'ignored', passwordHash: 'h2', role: 'admin' });
    expect(await store.staffByUsername('ann')).toEqual({
      staffId: 'st1',
      orgId: 'org-a',
      role: 'admin',
      passwordHash: 'h2',
    });
    expect(await store.staffByUsername('nobody')).toBeNull();
    expect(await store.staffByUsername('an\u0000n')).toBeNull();
    await store.createSession(hash(7), 'st1', at(60));
    expect(await store.sessionByTokenHash(hash(7), at(59))).toEqual({
      staffId: 'st1',
      orgId: 'org-a',
      role: 'admin',
      username: 'ann',
      sessionId: hash(7),
      expiresAt: at(60),
    });
    expect(await store.sessionByTokenHash(hash(7), at(60))).toBeNull();
    expect(await store.sessionByTokenHash(hash(8), T0)).toBeNull();
  });

  it('finds staff only within their org, and ends one session, all of a user, or all on a password change', async () => {
    await store.createOrg('org-b', 'Org B');
    const ann = {
      staffId: 'st1',
      orgId: 'org-a',
      username: 'ann',
      passwordHash: 'h1',
      role: 'viewer' as const,
    };
    const bob = {
      staffId: 'st2',
      orgId: 'org-b',
      username: 'bob',
      passwordHash: 'h1',
      role: 'admin' as const,
    };
    await store.createStaff(ann);
    await store.createStaff(bob);
    expect(await store.staffById('org-a', 'st1')).toEqual({
      staffId: 'st1',
      orgId: 'org-a',
      role: 'viewer',
      username: 'ann',
      passwordHash: 'h1',
    });
    expect(await store.staffById('org-b', 'st1')).toBeNull();
    expect(await store.staffById('org-a', 'st\u00001')).toBeNull();
    for (const n of [1, 2, 3]) await store.createSession(hash(n), 'st1', at(60));
    await store.createSession(hash(9), 'st2', at(60));

    expect(await store.deleteSession(hash(1))).toBe(true);
    expect(await store.deleteSession(hash(1))).toBe(false);
    expect(await store.sessionByTokenHash(hash(1), T0)).toBeNull();
    expect(await store.sessionByTokenHash(hash(2), T0)).not.toBeNull();

    await store.setPassword('st1', 'h2');
    expect((await store.staffById('org-a', 'st1'))?.passwordHash).toBe('h2');
    // A sign-in checked against the old password opens nothing; one against the new one does.
    expect(await store.createSession(hash(5), 'st1', at(60), 'h1')).toBe(false);
    expect(await store.sessionByTokenHash(hash(5), T0)).toBeNull();
    expect(await store.createSession(hash(6), 'st1', at(60), 'h2')).toBe(true);
    expect(await store.deleteSession(hash(6))).toBe(true);
    expect(await store.sessionByTokenHash(hash(2), T0)).toBeNull();
    expect(await store.sessionByTokenHash(hash(3), T0)).toBeNull();
    expect(await store.sessionByTokenHash(hash(9), T0)).not.toBeNull();

    await store.createSession(hash(4), 'st1', at(60));
    expect(await store.deleteSessionsOfStaff('st1')).toBe(1);
    expect(await store.deleteSessionsOfStaff('st1')).toBe(0);
    expect(await store.sessionByTokenHash(hash(9), T0)).not.toBeNull();
  });

  it('versions catalog imports from one counter across orgs; a product listed twice ends as its last listing', async () => {
    expect(await store.putCatalogProducts('org-a', [])).toBe(0);
    expect(await store.putCatalogProducts('org-a', [product('p1', 100), product('p2', 200)])).toBe(2);
    expect(await store.putCatalogProducts('org-b', [product('p3', 300)])).toBe(3);
    expect(
      await store.putCatalogProducts('org-a', [product('p1', 110), product('p4', 400), product('p1', 120)]),
    ).toBe(6);
    expect(await store.catalogProduct('org-a', 'p1')).toEqual({ ...product('p1', 120), version: 6 });
    expect(await store.catalogProduct('org-b', 'p1')).toBeNull();
    const page = await store.catalogAfter('org-a', 0, 2);
    expect(page).toEqual({
      version: 5,
      products: [
        { ...product('p2', 200), version: 2 },
        { ...product('p4', 400), version: 5 },
      ],
      hasMore: true,
    });
    expect(await store.catalogAfter('org-a', 5, 10)).toMatchObject({ version: 6, hasMore: false });
    expect(await store.catalogAfter('org-a', 6, 10)).toEqual({ version: 6, products: [], hasMore: false });
    expect(await store.catalogVersion('org-a')).toBe(6);
    expect(await store.catalogVersion('org-b')).toBe(3);
    expect(await store.catalogVersion('org-c')).toBe(0);
  });

  it('gives back exactly the event it stored, scoped to its org, and counts what it holds', async () => {
    await store.putCatalogProducts('org-a', [product('pen', 250)]);
    const terminal = await enrol(1);
    const events = saleChain(terminal, 3);
    const outcome = await store.ingest(terminal, { epoch: 1, events }, at(1));
    expect(outcome).toEqual({
      ackedSeq: 3,
      ackedHash: events[2]!.hash,
      stored: 3,
      duplicates: 0,
      quarantined: 0,
      exceptions: 0,
    });
    const items = await store.readStream('org-a', 0, 10);
    expect(items.map((item) => item.event)).toEqual(events);
    for (const item of items) {
      const { hash: stored, ...unsigned } = item.event as JournalEvent;
      expect(hashEvent(unsigned as never)).toBe(stored);
      expect(canonicalJson(item.event)).toBe(canonicalJson(events[item.event.seq - 1]));
    }
    expect(items[0]).toMatchObject({ orgId: 'org-a', storeId: 's1', terminalId: terminal.terminalId });
    expect(await store.readStream('org-a', items[1]!.offset, 10)).toEqual(items.slice(2));
    expect(await store.readStream('org-b', 0, 10)).toEqual([]);
    expect(await store.findEvent('org-a', events[1]!.eventId)).toEqual(items[1]);
    expect(await store.findEvent('org-b', events[1]!.eventId)).toBeNull();
    expect(await store.counts()).toEqual({ events: 3, quarantined: 0, exceptions: 0, alerts: 0 });
    expect(await store.terminal(terminal.terminalId)).toMatchObject({ ackedSeq: 3, lastSeenAt: at(1) });
  });

  it('records a fork alert although the refused batch rolled back', async () => {
    await store.putCatalogProducts('org-a', [product('pen', 250)]);
    const terminal = await enrol(1);
    const events = saleChain(terminal, 2);
    await store.ingest(terminal, { epoch: 1, events: events.slice(0, 1) }, T0);
    const forked = { ...events[0]!, hash: 'f'.repeat(64) };
    // seq 2 is new and fine, then seq 1 comes again with other content: the whole batch is refused.
    await expect(
      store.ingest(terminal, { epoch: 1, events: [events[1]!, forked] }, T0),
    ).rejects.toMatchObject({
      code: 'fork',
    });
    expect(await store.counts()).toEqual({ events: 1, quarantined: 0, exceptions: 0, alerts: 1 });
    expect(await store.terminal(terminal.terminalId)).toMatchObject({ ackedSeq: 1 });
  });

  it('serialises batches of one terminal: racing copies of one batch store it once and get the same answer', async () => {
    const terminal = await enrol(1);
    const events = saleChain(terminal, 5);
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() => store.ingest(terminal, { epoch: 1, events }, T0)),
    );
    expect(new Set(answers.map((a) => `${a.ackedSeq}:${a.ackedHash}`)).size).toBe(1);
    expect(answers.reduce((sum, a) => sum + a.stored, 0)).toBe(5);
    expect(answers.reduce((sum, a) => sum + a.duplicates, 0)).toBe(15);
    expect((await store.counts()).events).toBe(5);
  });

  it('quarantines an event whose type holds a NUL instead of failing; PostgreSQL shows the NUL as U+FFFD', async () => {
    const terminal = await enrol(1);
    const { hash: _hash, ...unsigned } = saleChain(terminal, 1)[0]!;
    const odd = sealEvent({ ...unsigned, type: 'sa\u0000le' } as never) as JournalEvent;
    const outcome = await store.ingest(terminal, { epoch: 1, events: [odd] }, T0);
    expect(outcome).toMatchObject({ ackedSeq: 1, quarantined: 1 });
    const [record] = await store.quarantine('org-a', 10);
    expect(record).toMatchObject({ eventId: odd.eventId, seq: 1, receivedAt: T0 });
    expect(record!.type).toBe(backend === 'postgres' ? 'sa\uFFFDle' : 'sa\u0000le');
  });

  it('answers a NUL in a terminal name with a 400 on PostgreSQL (which cannot store it) and keeps it on SQLite', async () => {
    await store.issueEnrolmentCode('org-a', 's1', hash(1), at(60));
    const enrolment = store.enrolTerminal({
      codeHash: hash(1),
      terminalName: 'Till\u00001',
      publicKey: 'k',
      now: T0,
    });
    if (backend === 'postgres') {
      await expect(enrolment).rejects.toMatchObject({ status: 400, code: 'invalid_request' });
      expect(await store.terminals('org-a')).toEqual([]);
    } else {
      expect((await store.terminal((await enrolment).terminalId))?.name).toBe('Till\u00001');
    }
  });

  if (backend === 'postgres') {
    describe('PostgreSQL migrations', () => {
      const versions = async (url: string) => {
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map(
            (row: { version: number }) => row.version,
          );
        } finally {
          await client.end();
        }
      };

      it('records what it applied, opens again without migrating, and refuses a newer schema', async () => {
        const database = await postgresTestDatabase();
        try {
          await (await PostgresStore.open(database.url)).close();
          expect(await versions(database.url)).toEqual(EVERY_VERSION);
          const again = await PostgresStore.open(database.url);
          await again.ping();
          await again.close();
          expect(await versions(database.url)).toEqual(EVERY_VERSION);
          const client = new Client({ connectionString: database.url });
          await client.connect();
          await client.query('INSERT INTO schema_migrations (version) VALUES (999)');
          await client.end();
          await expect(PostgresStore.open(database.url)).rejects.toThrow(/schema version 999, newer/);
        } finally {
          await database.drop();
        }
      });

      it('is what createStore opens for a postgres:// URL', async () => {
        const database = await postgresTestDatabase();
        try {
          const opened = await createStore(database.url.replace(/^postgres:/, 'postgresql:'), '/nonexistent');
          expect(opened).toBeInstanceOf(PostgresStore);
          await opened.ping();
          await opened.close();
        } finally {
          await database.drop();
        }
      });

      it('migrates once when several servers start together on an empty database', async () => {
        const database = await postgresTestDatabase();
        try {
          const stores = await Promise.all([1, 2, 3, 4].map(() => PostgresStore.open(database.url)));
          await Promise.all(stores.map((s) => s.close()));
          expect(await versions(database.url)).toEqual(EVERY_VERSION);
        } finally {
          await database.drop();
        }
      });
    });
  }
});
