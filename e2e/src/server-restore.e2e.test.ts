import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
const CODE = 'E2E-RESTORE-0001';
const dataDir = mkdtempSync(join(tmpdir(), 'tillwright-restore-'));
const running: RunningProcess[] = [];

afterAll(async () => {
  for (const process of running.reverse()) await process.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const sale = (n: number) => ({
  saleId: `019ab8a0-0000-7000-8000-${String(n).padStart(12, '0')}`,
  currency: 'EUR',
  lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
  tenders: [{ kind: 'cash', tendered: 500 }],
});

describe('a server restored from an older backup', () => {
  it('gets back every sale it lost: the terminal resends from the seq the server expects, each sale once', async () => {
    let server = await startSyncServer({ dataDir, adminPassword: ADMIN_PASSWORD, enrolmentCode: CODE });
    running.push(server.process);
    const port = Number(new URL(server.url).port);
    const host = await startTerminalHost({ dataDir, serverUrl: server.url, enrolmentCode: CODE });
    running.push(host.process);
    const stored = async () =>
      (await serverEvents(server.url, await hqSession(server.url, ADMIN_PASSWORD))).map((i) => i.event.seq);
    const pending = async () => (await callHost(host.url, 'sync.status', {})).result?.pending;
    await eventually(
      async () =>
        (await callHost(host.url, 'catalog.lookup', { barcode: '4006381333931' })).result ? true : undefined,
      'catalog',
    );
    // The cashier signs in and the manager opens the shift: the till's first `s` events; sale n is seq s + n.
    await signInAtTill(host.url);
    await openShiftAtTill(host.url);
    const s = journalEvents(host.ledgerPath).length;
    const seqs = (to: number) => Array.from({ length: to }, (_, i) => i + 1);

    for (const n of [1, 2]) expect((await callHost(host.url, 'sale.complete', sale(n))).ok).toBe(true);
    await eventually(
      async () => ((await stored()).length === s + 2 ? true : undefined),
      'the sign-ins, the shift and two sales on the server',
    );
    await server.process.stop();
    const database = join(dataDir, 'server', 'server.sqlite');
    copyFileSync(database, join(dataDir, 'backup.sqlite'));

    server = await startSyncServer({ dataDir, adminPassword: ADMIN_PASSWORD, enrolmentCode: CODE, port });
    running.push(server.process);
    for (const n of [3, 4, 5]) expect((await callHost(host.url, 'sale.complete', sale(n))).ok).toBe(true);
    await eventually(
      async () => ((await stored()).length === s + 5 ? true : undefined),
      'five sales on the server',
    );
    await eventually(async () => ((await pending()) === 0 ? true : undefined), 'nothing pending');

    // Disaster: the server is restored from the backup taken after sale 2. Sales 3 to 5 are gone from it.
    await server.process.stop();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
    copyFileSync(join(dataDir, 'backup.sqlite'), database);
    server = await startSyncServer({ dataDir, adminPassword: ADMIN_PASSWORD, enrolmentCode: CODE, port });
    running.push(server.process);
    expect(await stored()).toEqual(seqs(s + 2));

    expect((await callHost(host.url, 'sale.complete', sale(6))).ok).toBe(true);
    await eventually(
      async () => ((await stored()).length === s + 6 ? true : undefined),
      'all six sales back on the server',
      30_000,
    );
    expect(await stored()).toEqual(seqs(s + 6));
    expect(host.process.output()).toContain(`server expects seq ${s + 3}; resending from there`);
  }, 120_000);
});
