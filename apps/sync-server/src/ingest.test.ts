import type { JournalEvent } from '@tillwright/protocol';
import { sealEvent } from '@tillwright/protocol/chain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saleChain, startTestServer, type TestTerminal } from './test-support.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
let terminal: TestTerminal;

beforeEach(async () => {
  server = await startTestServer();
  terminal = await server.enrol(server.codes[0]!);
});
afterEach(() => server.close());

async function hq(path: string) {
  const response = await server.app.inject({
    method: 'GET',
    url: path,
    headers: { authorization: `Bearer ${await server.hqToken()}` },
  });
  return response.json();
}
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
    const malformed = await server.app.inject({
      method: 'POST',
      url: '/v1/journal/batches',
      headers: { 'content-type': 'application/json' },
      payload: '{"epoch": 1, "events": [',
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
