import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callHost, hqSession, journalEvents, serverEvents } from './observe.js';
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
const journalIds = () =>
  journalEvents(join(dataDir, 'terminal', 'ledger.sqlite')).map((event) => event.eventId);
const serverIds = async () => (await serverEvents(serverUrl, HQ_TOKEN)).map((item) => item.event.eventId);

const saleIds = [
  '019ab8a0-0000-7000-8000-000000000001',
  '019ab8a0-0000-7000-8000-000000000002',
  '019ab8a0-0000-7000-8000-000000000003',
];

describe('selling while the sync server is gone', () => {
  it('keeps selling while the server is killed, then delivers every sale exactly once when it returns', async () => {
    const port = new URL(serverUrl).port;
    // Wait for the catalog to arrive, then take the server away without warning.
    await eventually(
      async () => ((await call('catalog.lookup', { barcode: '4006381333931' })).result ? true : undefined),
      'catalog',
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
    expect(offline).toMatchObject({ pending: 3 });

    server = (await startServer(Number(port))).process;
    await eventually(
      async () => ((await serverIds()).length === 3 ? true : undefined),
      'all sales on the server',
      30_000,
    );
    expect(await serverIds()).toEqual(saleIds);
    expect(journalIds()).toEqual(saleIds);
    await eventually(
      async () => ((await call('sync.status', {})).result?.pending === 0 ? true : undefined),
      'nothing pending',
    );
  });
});
