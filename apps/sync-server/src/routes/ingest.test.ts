import type { JournalEvent } from '@tillwright/protocol';
import { sealEvent } from '@tillwright/protocol/chain';
import { signRequest } from '@tillwright/protocol/signing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  FIXED_NOW,
  returnEvent,
  saleChain,
  startTestServer,
  type TestServer,
  type TestTerminal,
  useBackend,
} from '../test-support.js';

describe.each(BACKENDS)('on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let terminal: TestTerminal;

  beforeEach(async () => {
    server = await startTestServer(backend);
    terminal = await server.enrol(server.codes[0]!);
  });
  afterEach(() => server.close());

  const hq = (path: string) => server.hqGet(path);
  const hqEvents = async () =>
    (await hq('/v1/hq/events?after=0')).items as { offset: number; event: JournalEvent }[];

  describe('journal ingest', () => {
    it('stores a batch and acknowledges its last seq and hash', async () => {
      const events = saleChain(terminal, 3);
      const response = await server.push(terminal, events);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ ackedSeq: 3, ackedHash: events[2]!.hash });
      expect((await hqEvents()).map((item) => item.event.eventId)).toEqual(events.map((e) => e.eventId));
    });

    it('answers a replayed batch identically and stores nothing twice', async () => {
      const events = saleChain(terminal, 3);
      const first = await server.push(terminal, events);
      const replay = await server.push(terminal, events);
      expect(replay.statusCode).toBe(200);
      expect(replay.json()).toEqual(first.json());
      expect(await hqEvents()).toHaveLength(3);
    });

    it('accepts a batch that overlaps what was already stored', async () => {
      const events = saleChain(terminal, 4);
      await server.push(terminal, events.slice(0, 2));
      const response = await server.push(terminal, events.slice(1));
      expect(response.json()).toEqual({ ackedSeq: 4, ackedHash: events[3]!.hash });
      expect((await hqEvents()).map((item) => item.event.seq)).toEqual([1, 2, 3, 4]);
    });

    it('refuses a gap and says which seq it expects', async () => {
      const response = await server.push(terminal, saleChain(terminal, 3).slice(1));
      expect(response.statusCode).toBe(409);
      expect(response.json().error).toMatchObject({
        code: 'seq_gap',
        retryable: true,
        details: { expectedSeq: 1 },
      });
      expect(await hqEvents()).toHaveLength(0);
    });

    it('refuses the same seq with a different hash as a fork, keeps the original and raises an alert', async () => {
      const original = saleChain(terminal, 1);
      await server.push(terminal, original);
      const response = await server.push(terminal, [{ ...original[0]!, hash: 'a'.repeat(64) }]);
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('fork');
      expect((await hqEvents()).map((item) => item.event.hash)).toEqual([original[0]!.hash]);
      expect((await server.store.counts()).alerts).toBe(1);
    });

    it('refuses a tampered event and writes nothing of its batch', async () => {
      const events = saleChain(terminal, 3);
      events[1] = { ...events[1]!, payload: { ...events[1]!.payload, total: 1 } };
      const response = await server.push(terminal, events);
      expect(response.statusCode).toBe(409);
      expect(response.json().error).toMatchObject({
        code: 'chain_broken',
        details: { seq: 2, reason: 'hash_mismatch' },
      });
      expect(await hqEvents()).toHaveLength(0);
    });

    it('takes identity from the signature: events claiming another terminal are refused', async () => {
      const other = await server.enrol(server.codes[1]!);
      const response = await server.push(terminal, saleChain(other, 1));
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('identity_mismatch');
      expect(await hqEvents()).toHaveLength(0);
    });

    it('refuses a stale epoch and malformed JSON with the error envelope', async () => {
      expect((await server.push(terminal, saleChain(terminal, 1), 2)).json().error.code).toBe('stale_epoch');
      const body = '{"epoch": 1, "events": [';
      const unsigned = await server.app.inject({
        method: 'POST',
        url: '/v1/journal/batches',
        headers: { 'content-type': 'application/json' },
        payload: body,
      });
      // Authentication comes first: without a signature header the body is never read.
      expect(unsigned.statusCode).toBe(401);
      const malformed = await server.app.inject({
        method: 'POST',
        url: '/v1/journal/batches',
        headers: {
          'content-type': 'application/json',
          authorization: signRequest(
            { method: 'POST', pathWithQuery: '/v1/journal/batches', body },
            terminal.terminalId,
            terminal.keys.privateKeyPem,
            FIXED_NOW.getTime(),
          ),
        },
        payload: body,
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().error).toMatchObject({ code: 'invalid_json', retryable: false });
      expect(await hqEvents()).toHaveLength(0);
    });
  });

  describe('poison and problem events', () => {
    it('quarantines a well-chained event whose payload fails its schema, acknowledges it, and carries on', async () => {
      const [first] = saleChain(terminal, 1);
      const { hash: _hash, ...unsigned } = {
        ...first!,
        seq: 2,
        prevHash: first!.hash,
        eventId: '019ab8a0-0000-7000-8000-00000000aaaa',
      };
      const poison = sealEvent({
        ...unsigned,
        payload: { ...unsigned.payload, total: 'lots' },
      } as never) as JournalEvent;
      const response = await server.push(terminal, [first!, poison]);
      expect(response.json()).toEqual({ ackedSeq: 2, ackedHash: poison.hash });
      expect(await hqEvents()).toHaveLength(1);
      const quarantined = (await hq('/v1/hq/quarantine')).events;
      expect(quarantined).toMatchObject([
        { eventId: poison.eventId, seq: 2, issues: [expect.stringMatching(/^payload\.total/)] },
      ]);
      // The till is not blocked: the next event chains on the quarantined one.
      const next = saleChain(terminal, 1, { seq: 2, hash: poison.hash })[0]!;
      expect((await server.push(terminal, [next])).json()).toEqual({ ackedSeq: 3, ackedHash: next.hash });
    });

    it('accepts a sale of a product HQ does not know and opens an exception for it', async () => {
      const events = saleChain(terminal, 1, undefined, (payload) => ({
        ...payload,
        lines: payload.lines.map((line) => ({ ...line, productId: 'ghost' })),
      }));
      expect((await server.push(terminal, events)).statusCode).toBe(200);
      expect(await hqEvents()).toHaveLength(1);
      expect((await hq('/v1/hq/exceptions')).exceptions).toMatchObject([
        { eventId: events[0]!.eventId, kind: 'unknown_product' },
      ]);
    });
  });

  describe('offsets, ids and business checks', () => {
    it('gives offsets that only grow, across batches and terminals, and pages the REST read by nextOffset', async () => {
      const other = await server.enrol(server.codes[1]!);
      const mine = saleChain(terminal, 4);
      const theirs = saleChain(other, 3);
      await server.push(terminal, mine.slice(0, 2));
      await server.push(other, theirs);
      await server.push(terminal, mine.slice(2));
      const items = await hqEvents();
      expect(items.map((item) => item.event.eventId)).toEqual(
        [...mine.slice(0, 2), ...theirs, ...mine.slice(2)].map((e) => e.eventId),
      );
      const offsets = items.map((item) => item.offset);
      expect(offsets.every((offset, i) => i === 0 || offset > offsets[i - 1]!)).toBe(true);
      const first = await hq('/v1/hq/events?after=0&limit=4');
      const rest = await hq(`/v1/hq/events?after=${first.nextOffset}`);
      expect([...first.items, ...rest.items]).toEqual(items);
      expect(first.nextOffset).toBe(offsets[3]);
    });

    it('records when each terminal was last seen and how far it is acknowledged', async () => {
      const events = saleChain(terminal, 3);
      await server.push(terminal, events);
      expect((await hq('/v1/hq/terminals')).terminals).toMatchObject([
        { terminalId: terminal.terminalId, ackedSeq: 3, secondsSinceSeen: 0, revoked: false },
      ]);
      expect(await server.store.terminal(terminal.terminalId)).toMatchObject({
        ackedSeq: 3,
        lastSeenAt: '2026-11-25T10:00:00.000Z',
        revokedAt: null,
      });
    });

    it('quarantines a new event that reuses an id stored in its org, alerts HQ, acknowledges it, and carries on', async () => {
      const other = await server.enrol(server.codes[1]!);
      const [stored] = saleChain(other, 1);
      await server.push(other, [stored!]);
      const { hash: _hash, ...unsigned } = saleChain(terminal, 1)[0]!;
      const reused = sealEvent({ ...unsigned, eventId: stored!.eventId });
      const chained = saleChain(terminal, 1, { seq: 1, hash: reused.hash })[0]!;
      const response = await server.push(terminal, [reused, chained]);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ ackedSeq: 2, ackedHash: chained.hash });
      expect((await hqEvents()).map((item) => item.event.eventId)).toEqual([
        stored!.eventId,
        chained.eventId,
      ]);
      expect((await hq('/v1/hq/quarantine')).events).toMatchObject([
        { terminalId: terminal.terminalId, seq: 1, eventId: stored!.eventId, issues: [/already used/] },
      ]);
      // Replayed, the batch is answered the same and nothing moves.
      expect((await server.push(terminal, [reused, chained])).json()).toEqual(response.json());
      expect(await server.store.counts()).toMatchObject({ events: 2, quarantined: 1, alerts: 1 });
    });

    it('counts a return against its sale within one batch, and opens over-return and unknown-sale exceptions', async () => {
      const [sale] = saleChain(terminal, 1);
      const first = returnEvent(terminal, sale!, sale!, 1);
      const second = returnEvent(terminal, first, sale!, 1);
      const response = await server.push(terminal, [sale!, first, second]);
      expect(response.json()).toEqual({ ackedSeq: 3, ackedHash: second.hash });
      expect((await hqEvents()).map((item) => item.event.type)).toEqual(['sale', 'return', 'return']);
      expect(await server.store.returnedQuantities(server.orgId, sale!.eventId)).toEqual({ l1: 2 });
      const other = await server.enrol(server.codes[1]!);
      const [elsewhere] = saleChain(other, 1);
      const orphan = returnEvent(terminal, second, elsewhere!, 1);
      await server.push(terminal, [orphan]);
      const exceptions = (await hq('/v1/hq/exceptions')).exceptions as { id: number; kind: string }[];
      expect(exceptions).toMatchObject([
        { eventId: second.eventId, kind: 'over_return' },
        { eventId: orphan.eventId, kind: 'unknown_original_sale' },
      ]);
      expect(exceptions[1]!.id).toBeGreaterThan(exceptions[0]!.id);
      const after = (await hq(`/v1/hq/exceptions?after=${exceptions[0]!.id}`)).exceptions;
      expect(after).toMatchObject([{ eventId: orphan.eventId }]);
    });
  });

  describe('enrolment and catalog', () => {
    it('consumes a code once', async () => {
      const again = await server.app.inject({
        method: 'POST',
        url: '/v1/enrol',
        payload: { code: server.codes[0], terminalName: 'Till 2', publicKey: terminal.keys.publicKey },
      });
      expect(again.statusCode).toBe(403);
      expect(again.json().error.code).toBe('enrolment_code_invalid');
    });

    it('serves the catalog of the terminal org after a cursor, and asks for a refetch when the cursor is ahead', async () => {
      const page = (await server.signed(terminal, 'GET', '/v1/catalog?after=0&limit=3')).json();
      expect(page.products).toHaveLength(3);
      expect(page.hasMore).toBe(true);
      const rest = (await server.signed(terminal, 'GET', `/v1/catalog?after=${page.version}`)).json();
      expect(rest.products.length).toBeGreaterThan(0);
      expect(rest.hasMore).toBe(false);
      const ahead = await server.signed(terminal, 'GET', '/v1/catalog?after=999999');
      expect(ahead.statusCode).toBe(409);
      expect(ahead.json().error.code).toBe('must_refetch');
    });
  });
});
