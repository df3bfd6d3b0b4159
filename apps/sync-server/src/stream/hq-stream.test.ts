import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  eventChain,
  followStream,
  saleChain,
  startTestServer,
  type TestServer,
  useBackend,
} from '../test-support.js';
import { movement, noSale, SHIFT_A, shiftClose, shiftOpen, trainingSale } from '../testing/shift-events.js';

describe.each(BACKENDS)('HQ stream on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let baseUrl: string;

  beforeEach(async () => {
    server = await startTestServer(backend);
    baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => server.close());

  /** Follows the stream over a real socket until `count` items arrived. */
  const follow = async (count: number, lastEventId?: number) =>
    followStream(baseUrl, await server.hqToken(), {
      count,
      ...(lastEventId === undefined ? {} : { lastEventId }),
    });

  it('delivers committed events live, in offset order, once each', async () => {
    const terminal = await server.enrol(server.codes[0]!);
    const events = saleChain(terminal, 5);
    const received = follow(5);
    for (const event of events) {
      await server.push(terminal, [event]);
    }
    const items = await received;
    expect(items.map((item) => item.event.eventId)).toEqual(events.map((e) => e.eventId));
    expect(items.map((item) => item.offset)).toEqual(
      [...items.map((item) => item.offset)].sort((a, b) => a - b),
    );
  });

  it('resumes after Last-Event-ID without repeating what was seen', async () => {
    const terminal = await server.enrol(server.codes[0]!);
    const events = saleChain(terminal, 4);
    await server.push(terminal, events);
    const firstTwo = await follow(2);
    // Once the resumed consumer has the other two, a fifth sale marks the end: anything else sent to it (a repeat)
    // would come before that sale, in offset order.
    let received = 0;
    const resumed = followStream(baseUrl, await server.hqToken(), {
      count: 3,
      lastEventId: firstTwo[1]!.offset,
      onItem: (_item, count) => {
        received = count;
      },
    });
    while (received < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const [fifth] = saleChain(terminal, 1, { seq: 4, hash: events[3]!.hash });
    await server.push(terminal, [fifth!]);
    const rest = await resumed;
    expect([...firstTwo, ...rest].map((item) => item.event.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives each org only its own events', async () => {
    await server.store.createOrg('other-org', 'Other Retail');
    await server.store.createStore('other-org', 'other-store', 'Elsewhere');
    await server.store.issueEnrolmentCode(
      'other-org',
      'other-store',
      '0'.repeat(64),
      '2026-11-26T10:00:00.000Z',
    );
    const stranger = await server.store.enrolTerminal({
      codeHash: '0'.repeat(64),
      terminalName: 'Their till',
      publicKey: 'unused-in-this-test',
      now: '2026-11-25T10:00:00.000Z',
    });
    await server.store.ingest(
      stranger,
      { epoch: 1, events: saleChain(stranger, 2) },
      '2026-11-25T10:00:00.000Z',
    );
    const terminal = await server.enrol(server.codes[0]!);
    const mine = saleChain(terminal, 2);
    await server.push(terminal, mine);
    const items = await follow(2);
    expect(items.map((item) => item.event.eventId)).toEqual(mine.map((e) => e.eventId));
    expect(await server.store.readStream('other-org', 0, 10)).toHaveLength(2);
    expect(await server.store.readStream(null, 0, 10)).toHaveLength(4);
  });

  it('carries shift opens, cash movements, no-sales, training sales and closes, each with its employee and shift', async () => {
    const terminal = await server.enrol(server.codes[0]!);
    const events = eventChain(terminal, [
      shiftOpen(SHIFT_A),
      movement('cash-drop', SHIFT_A, 5_000, 'to the safe'),
      movement('paid-in', SHIFT_A, 2_000, 'change from the bank'),
      movement('paid-out', SHIFT_A, 300, 'milk'),
      noSale(SHIFT_A),
      trainingSale(SHIFT_A),
      shiftClose(SHIFT_A, 11_700, 0),
    ]);
    const received = follow(events.length);
    expect((await server.push(terminal, events)).statusCode).toBe(200);
    const items = await received;
    expect(items.map((item) => item.event)).toEqual(events);
    expect(items.map((item) => item.event.type)).toEqual([
      'shift-open',
      'cash-drop',
      'paid-in',
      'paid-out',
      'no-sale',
      'training-sale',
      'shift-close',
    ]);
    for (const { event } of items) {
      expect(event.payload, event.type).toMatchObject({ shiftId: SHIFT_A, employeeId: expect.any(String) });
    }
    expect(items.map((item) => (item.event.payload as { employeeId: string }).employeeId)).toEqual([
      'mgr-1',
      'cashier-7',
      'cashier-7',
      'cashier-7',
      'cashier-7',
      'cashier-7',
      'mgr-1',
    ]);
  });

  it('refuses a consumer without an HQ credential', async () => {
    const response = await fetch(`${baseUrl}/v1/hq/stream`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });
});
