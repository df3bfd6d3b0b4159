import type { EnrolResponse, JournalEvent } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HQ_TOKEN, saleChain, startTestServer } from './test-support.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
let terminal: EnrolResponse;

beforeEach(async () => {
  server = await startTestServer();
  terminal = await server.enrol(server.codes[0]!);
});
afterEach(() => server.close());

function push(events: JournalEvent[], token = terminal.token, epoch = terminal.epoch) {
  return server.app.inject({
    method: 'POST',
    url: '/v1/journal/batches',
    headers: { authorization: `Bearer ${token}` },
    payload: { epoch, events },
  });
}

async function hqEvents() {
  const response = await server.app.inject({
    method: 'GET',
    url: '/v1/hq/events?after=0',
    headers: { authorization: `Bearer ${HQ_TOKEN}` },
  });
  return response.json().items as { offset: number; event: JournalEvent }[];
}

describe('journal ingest', () => {
  it('stores a batch and acknowledges its last seq and hash', async () => {
    const events = saleChain(terminal, 3);
    const response = await push(events);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ackedSeq: 3, ackedHash: events[2]!.hash });
    expect((await hqEvents()).map((item) => item.event.eventId)).toEqual(events.map((e) => e.eventId));
  });

  it('answers a replayed batch identically and stores nothing twice', async () => {
    const events = saleChain(terminal, 3);
    const first = await push(events);
    const replay = await push(events);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual(first.json());
    expect(await hqEvents()).toHaveLength(3);
  });

  it('accepts a batch that overlaps what was already stored', async () => {
    const events = saleChain(terminal, 4);
    await push(events.slice(0, 2));
    const response = await push(events.slice(1));
    expect(response.json()).toEqual({ ackedSeq: 4, ackedHash: events[3]!.hash });
    expect((await hqEvents()).map((item) => item.event.seq)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a gap and says which seq it expects', async () => {
    const events = saleChain(terminal, 3);
    const response = await push(events.slice(1));
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: 'seq_gap',
      retryable: true,
      details: { expectedSeq: 1 },
    });
    expect(await hqEvents()).toHaveLength(0);
  });

  it('refuses the same seq with a different hash as a fork, keeping the original', async () => {
    const original = saleChain(terminal, 1);
    await push(original);
    const response = await push([{ ...original[0]!, hash: 'a'.repeat(64) }]);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('fork');
    expect((await hqEvents()).map((item) => item.event.hash)).toEqual([original[0]!.hash]);
  });

  it('refuses a tampered event and writes nothing of its batch', async () => {
    const events = saleChain(terminal, 3);
    events[1] = { ...events[1]!, payload: { ...events[1]!.payload, total: 1 } };
    const response = await push(events);
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: 'chain_broken',
      details: { seq: 2, reason: 'hash_mismatch' },
    });
    expect(await hqEvents()).toHaveLength(0);
  });

  it('takes identity from the credential: events claiming another terminal are refused', async () => {
    const other = await server.enrol(server.codes[1]!);
    const response = await push(saleChain(other, 1));
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('identity_mismatch');
    expect(await hqEvents()).toHaveLength(0);
  });

  it('refuses a stale epoch, an unknown credential and a malformed batch with the error envelope', async () => {
    const events = saleChain(terminal, 1);
    expect((await push(events, terminal.token, 2)).json().error.code).toBe('stale_epoch');
    expect((await push(events, 'x'.repeat(43))).statusCode).toBe(401);
    const malformed = await server.app.inject({
      method: 'POST',
      url: '/v1/journal/batches',
      headers: { authorization: `Bearer ${terminal.token}`, 'content-type': 'application/json' },
      payload: '{"epoch": 1, "events": [',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatchObject({ retryable: false });
    expect(await hqEvents()).toHaveLength(0);
  });
});

describe('enrolment', () => {
  it('consumes a code once', async () => {
    const again = await server.app.inject({
      method: 'POST',
      url: '/v1/enrol',
      payload: { code: server.codes[0], terminalName: 'Till 2' },
    });
    expect(again.statusCode).toBe(403);
    expect(again.json().error.code).toBe('enrolment_code_invalid');
  });

  it('serves the catalog of the terminal org after a cursor', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/v1/catalog?after=0&limit=3',
      headers: { authorization: `Bearer ${terminal.token}` },
    });
    const page = response.json();
    expect(page.products).toHaveLength(3);
    expect(page.hasMore).toBe(true);
    const rest = await server.app.inject({
      method: 'GET',
      url: `/v1/catalog?after=${page.version}`,
      headers: { authorization: `Bearer ${terminal.token}` },
    });
    expect(rest.json().products.length).toBeGreaterThan(0);
    expect(rest.json().hasMore).toBe(false);
  });
});
