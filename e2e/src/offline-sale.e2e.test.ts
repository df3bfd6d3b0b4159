import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let HQ_TOKEN = '';
const CODE = 'E2E-OFFLINE-0001';

let dataDir: string;
let server: RunningProcess | null = null;
let terminal: RunningProcess;
let serverUrl: string;
let terminalUrl: string;

const startServer = (port = 0) =>
  startSyncServer({ dataDir, adminPassword: ADMIN_PASSWORD, enrolmentCode: CODE, port });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tillwright-offline-'));
  const started = await startServer();
  server = started.process;
  serverUrl = started.url;
  HQ_TOKEN = await hqSession(serverUrl, ADMIN_PASSWORD);
  const host = await startTerminalHost({ dataDir, serverUrl, enrolmentCode: CODE });
  terminal = host.process;
  terminalUrl = host.url;
});

afterAll(async () => {
  await terminal?.stop();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const call = (method: string, params: unknown) => callHost(terminalUrl, method, params);
/** The sales in the till's journal and at HQ (the sign-ins and the shift's opening are events too). */
const journalIds = () =>
  journalEvents(join(dataDir, 'terminal', 'ledger.sqlite'))
    .filter((event) => event.type === 'sale')
    .map((event) => event.eventId);
const serverIds = async () =>
  (await serverEvents(serverUrl, HQ_TOKEN))
    .filter((item) => item.event.type === 'sale')
    .map((item) => item.event.eventId);

// Ten sales offline: ten failed attempts grow the backoff window to minutes.
const saleIds = Array.from(
  { length: 10 },
  (_, i) => `019ab8a0-0000-7000-8000-${String(i + 1).padStart(12, '0')}`,
);

describe('selling while the sync server is gone', () => {
  it('keeps selling while the server is killed, then delivers every sale exactly once as soon as it returns', async () => {
    const port = new URL(serverUrl).port;
    // Wait for the catalog to arrive, then take the server away without warning.
    await eventually(
      async () => ((await call('catalog.lookup', { barcode: '4006381333931' })).result ? true : undefined),
      'catalog',
    );
    await signInAtTill(terminalUrl);
    await openShiftAtTill(terminalUrl);
    await eventually(
      async () => ((await call('sync.status', {})).result?.pending === 0 ? true : undefined),
      'the sign-ins and the shift at HQ',
    );
    server!.child.kill('SIGKILL');
    await server!.stop();
    server = null;

    for (const saleId of saleIds) {
      const answer = await call('sale.complete', {
        saleId,
        currency: 'EUR',
        lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
        tenders: [{ kind: 'cash', tendered: 500 }],
      });
      expect(answer).toMatchObject({ ok: true, result: { saleId, change: 250, alreadyRecorded: false } });
    }
    const offline = await eventually(async () => {
      const status = (await call('sync.status', {})).result;
      return status?.state === 'offline' ? status : undefined;
    }, 'offline status');
    expect(offline).toMatchObject({ pending: saleIds.length });

    server = (await startServer(Number(port))).process;
    // No sale wakes the client now: its offline probe must notice the server is back well before the backoff ends.
    await eventually(
      async () => ((await serverIds()).length === saleIds.length ? true : undefined),
      'all sales on the server within seconds of its return',
      10_000,
    );
    expect(await serverIds()).toEqual(saleIds);
    expect(journalIds()).toEqual(saleIds);
    await eventually(
      async () => ((await call('sync.status', {})).result?.pending === 0 ? true : undefined),
      'nothing pending',
    );
  });
});
