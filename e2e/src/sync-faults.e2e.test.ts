import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';
import { followHqStream } from './hq-follower.js';
import {
  callHost,
  hqSession,
  journalEvents,
  openShiftAtTill,
  serverEvents,
  signInAtTill,
} from './observe.js';
import { eventually, type RunningProcess } from './processes.js';
import { startSyncServer, startTerminalHost } from './system.js';

const ADMIN_PASSWORD = 'e2e-admin-password';
const CODE = 'E2E-FAULTS-0001';
const MAX_SALES = 300;
const FAULTS = ['drop', 'reset', 'truncate', 'duplicate', 'lose-response', 'delay'] as const;

let dataDir: string;
let server: RunningProcess;
let terminal: RunningProcess;
let proxy: FaultProxy;
let serverUrl: string;
let terminalUrl: string;
let ledgerPath: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tillwright-faults-'));
  const started = await startSyncServer({ dataDir, adminPassword: ADMIN_PASSWORD, enrolmentCode: CODE });
  server = started.process;
  serverUrl = started.url;
  // Enrolment and catalog pulls pass untouched; every journal push draws a fault.
  proxy = await startFaultProxy(serverUrl, { weights: { pass: 0 }, seed: 7 });
  proxy.setPlan({ weights: { pass: 1 }, seed: 7 });
  const host = await startTerminalHost({ dataDir, serverUrl: proxy.url, enrolmentCode: CODE });
  terminal = host.process;
  terminalUrl = host.url;
  ledgerPath = host.ledgerPath;
});

afterAll(async () => {
  await terminal?.stop();
  await proxy?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const isSale = (item: { event: { type: string } }) => item.event.type === 'sale';

describe('sync under network faults', () => {
  it('delivers every sale to the server and the HQ stream exactly once through drops, resets, truncation, duplicates, lost answers and delays', async () => {
    const token = await hqSession(serverUrl, ADMIN_PASSWORD);
    const stream = followHqStream(serverUrl, token);
    await eventually(
      async () =>
        (await callHost(terminalUrl, 'catalog.lookup', { barcode: '4006381333931' })).result
          ? true
          : undefined,
      'catalog',
    );
    await signInAtTill(terminalUrl);
    await openShiftAtTill(terminalUrl);
    proxy.setPlan({
      weights: { pass: 2, drop: 1, reset: 1, truncate: 1, duplicate: 1, 'lose-response': 2, delay: 1 },
      delayMs: 100,
      seed: 20261125,
    });
    const saleIds: string[] = [];
    // Sell until every kind of fault has hit at least two pushes (each sale wakes the sync client at once).
    const allFaultsSeen = () => FAULTS.every((fault) => proxy.counts[fault] >= 2);
    for (let i = 0; i < MAX_SALES && !allFaultsSeen(); i++) {
      const saleId = `019ab8a0-0000-7000-8000-${String(i + 1).padStart(12, '0')}`;
      const answer = await callHost(terminalUrl, 'sale.complete', {
        saleId,
        currency: 'EUR',
        lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 + (i % 3) }],
        tenders: [{ kind: 'cash', tendered: 1_000 }],
      });
      expect(answer.ok).toBe(true);
      saleIds.push(saleId);
      // Pacing only, not a wait for an outcome: the loop ends on what the proxy counted, and MAX_SALES leaves room
      // for a slow machine whose client carries several sales in one push.
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    // Every fault must really have happened for the run to mean anything.
    for (const fault of FAULTS) expect(proxy.counts[fault], fault).toBeGreaterThanOrEqual(2);
    proxy.setPlan({ weights: { pass: 1 }, seed: 1 });
    // The network is healthy again; the next sale wakes the sync client out of its backoff at once.
    const last = `019ab8a0-0000-7000-8000-${String(saleIds.length + 1).padStart(12, '0')}`;
    await callHost(terminalUrl, 'sale.complete', {
      saleId: last,
      currency: 'EUR',
      lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
      tenders: [{ kind: 'cash', tendered: 1_000 }],
    });
    saleIds.push(last);
    const drainStarted = Date.now();
    await eventually(
      async () => ((await callHost(terminalUrl, 'sync.status', {})).result?.pending === 0 ? true : undefined),
      'the outbox to drain',
      90_000,
    );
    await eventually(
      () => (stream.items.filter(isSale).length >= saleIds.length ? true : undefined),
      'the stream to catch up',
      30_000,
    );
    process.stdout.write(
      `sync-faults: ${saleIds.length} sales, faults ${JSON.stringify(proxy.counts)}, drained in ${Date.now() - drainStarted} ms\n`,
    );

    // Jepsen-style accounting: the journal's set, the server's set and the stream's set are equal, each once.
    // The sign-ins and the shift's opening are events too: what is counted here are the sales.
    const journal = journalEvents(ledgerPath)
      .filter((event) => event.type === 'sale')
      .map((event) => event.eventId);
    const stored = (await serverEvents(serverUrl, token)).filter(isSale).map((item) => item.event.eventId);
    const streamed = stream.items.filter(isSale).map((item) => item.event.eventId);
    const once = (ids: string[]) => new Set(ids).size === ids.length;
    expect(journal).toEqual(saleIds);
    expect(once(stored) && once(streamed)).toBe(true);
    expect([...stored].sort()).toEqual([...saleIds].sort());
    expect([...streamed].sort()).toEqual([...saleIds].sort());
    stream.stop();
    await stream.done;
  }, 180_000);
});
