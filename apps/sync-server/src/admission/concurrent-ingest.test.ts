import type { HqStreamItem, SaleEvent } from '@tillwright/protocol';
import { mulberry32 } from '@tillwright/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostgresStore } from '../store/postgres-store.js';
import type { ServerStore } from '../store/store.js';
import {
  BACKENDS,
  followStream,
  saleChain,
  startTestServer,
  type TestServer,
  type TestTerminal,
  useBackend,
} from '../test-support.js';

const TERMINALS = 10;
const EVENTS_PER_TERMINAL = 30;
const MAX_BATCH = 6;

/** Splits a terminal's chain into consecutive batches of 1 to MAX_BATCH events. */
function batchesOf(events: SaleEvent[], random: () => number): SaleEvent[][] {
  const batches: SaleEvent[][] = [];
  for (let at = 0; at < events.length; ) {
    const size = 1 + Math.floor(random() * MAX_BATCH);
    batches.push(events.slice(at, at + size));
    at += size;
  }
  return batches;
}

/** Waits for a state of the server: as long as a loaded machine takes, up to half the test's own timeout. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const strictlyIncreasing = (values: number[]) =>
  values.every((value, i) => i === 0 || value > values[i - 1]!);

describe.each(BACKENDS)('concurrent ingest on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let baseUrl: string;

  beforeEach(async () => {
    // A pool larger than the number of terminals, so on PostgreSQL their transactions really run side by side.
    // Every injected push comes from one address, as a store's tills behind one router would.
    server = await startTestServer(backend, { poolSize: TERMINALS + 6, ingest: { perAddress: TERMINALS } });
    baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => server.close());

  /** Wraps the store's ingest to record how many batches were inside it at once (and, on PostgreSQL, connections in use). */
  function measureOverlap(store: ServerStore) {
    const seen = { batches: 0, connections: 0 };
    let inside = 0;
    const ingest = store.ingest.bind(store);
    store.ingest = async (...args) => {
      inside += 1;
      seen.batches = Math.max(seen.batches, inside);
      try {
        return await ingest(...args);
      } finally {
        if (store instanceof PostgresStore) {
          const { total, idle } = store.stats();
          seen.connections = Math.max(seen.connections, total - idle);
        }
        inside -= 1;
      }
    };
    return seen;
  }

  it('many terminals push at once: a live consumer gets every event exactly once in offset order, and a consumer resuming mid-way gets exactly the rest', async () => {
    // Seeded (testkit's mulberry32), so a failing interleaving plan can be run again.
    const random = mulberry32(0x5eed_0005);
    const terminals: TestTerminal[] = [];
    for (let i = 0; i < TERMINALS; i++) terminals.push(await server.enrolDirect());
    const chains = new Map(terminals.map((t) => [t.terminalId, saleChain(t, EVENTS_PER_TERMINAL)]));
    const plans = terminals.map((t) => batchesOf(chains.get(t.terminalId)!, random));
    const total = TERMINALS * EVENTS_PER_TERMINAL;
    const token = await server.hqToken();
    const overlap = measureOverlap(server.store);

    // The consumer is attached before the first push, so it follows the stream live rather than reading history.
    const live = followStream(baseUrl, token, { count: total, timeoutMs: 40_000 });
    await until(() => server.stream.size > 0, 'the live consumer to attach');
    expect(server.stream.size).toBe(1);

    const replays = { count: 0 };
    await Promise.all(
      terminals.map(async (terminal, index) => {
        for (const batch of plans[index]!) {
          const response = await server.push(terminal, batch);
          expect(response.statusCode, response.body).toBe(200);
          expect(response.json()).toEqual({ ackedSeq: batch.at(-1)!.seq, ackedHash: batch.at(-1)!.hash });
          // Now and then the answer is "lost" and the terminal sends the same batch again: same answer, no copy.
          if (random() < 0.25) {
            replays.count += 1;
            const again = await server.push(terminal, batch);
            expect(again.json()).toEqual(response.json());
          }
          if (random() < 0.5) await new Promise((r) => setImmediate(r));
        }
      }),
    );
    const items = await live;

    // Every event exactly once, offsets strictly increasing, each terminal's events in its own seq order.
    const pushed = [...chains.values()].flat().map((e) => e.eventId);
    expect(items).toHaveLength(total);
    expect(new Set(items.map((item) => item.event.eventId))).toEqual(new Set(pushed));
    expect(strictlyIncreasing(items.map((item) => item.offset))).toBe(true);
    for (const terminal of terminals) {
      const seqs = items
        .filter((item) => item.terminalId === terminal.terminalId)
        .map((item) => item.event.seq);
      expect(seqs).toEqual(chains.get(terminal.terminalId)!.map((e) => e.seq));
    }
    expect((await server.store.counts()).events).toBe(total);

    // The paged REST read agrees with the live stream.
    const paged: HqStreamItem[] = [];
    for (let after = 0; ; ) {
      const page = await server.app.inject({
        method: 'GET',
        url: `/v1/hq/events?after=${after}&limit=97`,
        headers: { authorization: `Bearer ${token}` },
      });
      const body = page.json() as { items: HqStreamItem[]; nextOffset: number };
      if (body.items.length === 0) break;
      paged.push(...body.items);
      after = body.nextOffset;
    }
    expect(paged).toEqual(items);

    // A second consumer resumes after a middle offset: exactly the rest, and nothing after it. Once it has the rest,
    // one more sale is committed to mark the end: the stream is in offset order, so anything else the server sent
    // the resumed consumer (a repeat, an event twice) would reach it before that sale.
    const middle = Math.floor(total / 2);
    let received = 0;
    const resumed = followStream(baseUrl, token, {
      count: total - middle + 1,
      lastEventId: items[middle - 1]!.offset,
      timeoutMs: 30_000,
      onItem: (_item, count) => {
        received = count;
      },
    });
    await until(() => received >= total - middle, 'the resumed consumer to receive the rest');
    const [marker] = terminals;
    const lastOfMarker = chains.get(marker!.terminalId)!.at(-1)!;
    const [next] = saleChain(marker!, 1, { seq: lastOfMarker.seq, hash: lastOfMarker.hash });
    expect((await server.push(marker!, [next!])).statusCode).toBe(200);
    expect(await resumed).toEqual([
      ...items.slice(middle),
      expect.objectContaining({ terminalId: marker!.terminalId, event: next }),
    ]);

    // Terminals' batches were interleaved, not run one terminal after another, and some were replays.
    const switches = items.filter((item, i) => i > 0 && item.terminalId !== items[i - 1]!.terminalId).length;
    expect(switches).toBeGreaterThanOrEqual(3 * TERMINALS);
    expect(replays.count).toBeGreaterThan(0);
    // On PostgreSQL the transactions really overlapped, on separate connections (SQLite runs them one at a time).
    if (backend === 'postgres') {
      expect(overlap.batches).toBeGreaterThanOrEqual(4);
      expect(overlap.connections).toBeGreaterThanOrEqual(4);
    }
  }, 60_000);
});
