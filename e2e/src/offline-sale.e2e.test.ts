import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HqEventsPage, JournalEvent } from '@tillwright/protocol';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, type RunningProcess, startProcess } from './processes.js';

const HQ_TOKEN = 'e2e-hq-token-offline-0123456789';
const CODE = 'E2E-OFFLINE-0001';

let dataDir: string;
let server: RunningProcess | null = null;
let terminal: RunningProcess;
let serverUrl: string;
let terminalUrl: string;

function startServer(port: string) {
  return startProcess(
    'apps/sync-server/dist/cli.js',
    [
      '--demo',
      '--port',
      port,
      '--data-dir',
      join(dataDir, 'server'),
      '--hq-token',
      HQ_TOKEN,
      '--demo-enrolment-code',
      CODE,
    ],
    /sync server listening on (\S+)/,
  );
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tillwright-offline-'));
  const started = await startServer('0');
  server = started.process;
  serverUrl = started.match[1]!;
  const host = await startProcess(
    'apps/terminal/dist/host/cli.js',
    [
      '--server',
      serverUrl,
      '--enrolment-code',
      CODE,
      '--port',
      '0',
      '--simulators',
      '--data-dir',
      join(dataDir, 'terminal'),
    ],
    /terminal UI at (\S+)/,
  );
  terminal = host.process;
  terminalUrl = host.match[1]!;
  await eventually(() => (/enrolled as/.test(terminal.output()) ? true : undefined), 'enrolment');
});

afterAll(async () => {
  await terminal?.stop();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(
  method: string,
  params: unknown,
): Promise<{ ok: boolean; result?: Record<string, unknown> }> {
  const ws = new WebSocket(`${terminalUrl.replace('http', 'ws')}rpc`, {
    origin: terminalUrl.replace(/\/$/, ''),
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const answer = new Promise<{ ok: boolean; result?: Record<string, unknown> }>((resolve) =>
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.kind === 'response') resolve(message);
    }),
  );
  ws.send(JSON.stringify({ id: 1, method, params }));
  const result = await answer;
  ws.close();
  return result;
}

function journalIds(): string[] {
  const db = new Database(join(dataDir, 'terminal', 'ledger.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT body FROM journal ORDER BY seq').all() as { body: string }[]).map(
      (row) => (JSON.parse(row.body) as JournalEvent).eventId,
    );
  } finally {
    db.close();
  }
}

async function serverIds(): Promise<string[]> {
  const response = await fetch(`${serverUrl}/v1/hq/events?after=0`, {
    headers: { authorization: `Bearer ${HQ_TOKEN}` },
  });
  return ((await response.json()) as HqEventsPage).items.map((item) => item.event.eventId);
}

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
        cashTendered: 500,
      });
      expect(answer).toMatchObject({ ok: true, result: { saleId, change: 250, alreadyRecorded: false } });
    }
    const offline = await eventually(async () => {
      const status = (await call('sync.status', {})).result;
      return status?.state === 'offline' ? status : undefined;
    }, 'offline status');
    expect(offline).toMatchObject({ pending: 3 });

    server = (await startServer(port)).process;
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
