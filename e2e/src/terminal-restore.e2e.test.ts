import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_EMPLOYEES } from '@tillwright/sync-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { MANAGER, signIn } from './employees.js';
import {
  allServerEvents,
  callHost,
  hqSession,
  journalEvents,
  openShiftAtTill,
  signInAtTill,
} from './observe.js';
import { eventually, type RunningProcess } from './processes.js';
import { startSyncServer, startTerminalHost } from './system.js';

const ADMIN_PASSWORD = 'e2e-admin-password';
const CODE = 'E2E-TRESTORE-001';
const dataDir = mkdtempSync(join(tmpdir(), 'tillwright-terminal-restore-'));
const ledger = join(dataDir, 'terminal', 'ledger.sqlite');
const running: RunningProcess[] = [];
let serverUrl: string;
let serverPort: number;
let host: Awaited<ReturnType<typeof startTerminalHost>>;
let saleNumber = 0;

/**
 * Signs the cashier in if nobody is (a host remembers nobody across a restart), in the till's open shift (the
 * manager opens it the first time; every backup is taken after that, so a restored till has it open). Only when
 * the test sells: a sign-in is an event, and one written by a restored till before it reconciled would diverge
 * from what HQ holds.
 */
const signedIn = async () => {
  if ((await callHost(host.url, 'session.status', {})).result?.state !== 'signed-in')
    await signInAtTill(host.url);
  await openShiftAtTill(host.url);
};
const { number: managerNumber, pin: managerPin } = DEMO_EMPLOYEES[2];
/** The manager's number and PIN, approving a new epoch for the cashier on the same screen. */
const byManager = { approval: { number: managerNumber, pin: managerPin } };
const sell = async () => {
  await signedIn();
  saleNumber += 1;
  const saleId = `019ab8a0-0000-7000-8000-${String(saleNumber).padStart(12, '0')}`;
  const answer = await callHost(host.url, 'sale.complete', {
    saleId,
    currency: 'EUR',
    lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
    tenders: [{ kind: 'cash', tendered: 500 }],
  });
  expect(answer.ok, JSON.stringify(answer.error)).toBe(true);
  return saleId;
};
const status = async () => (await callHost(host.url, 'sync.status', {})).result as Record<string, unknown>;
let token: string | null = null;
/**
 * The sales HQ holds (each sign-in is an event too). Signs in at HQ once: sessions live in the server's database, so
 * the token outlives a restart.
 */
const stored = async () => {
  token ??= await hqSession(serverUrl, ADMIN_PASSWORD);
  return (await allServerEvents(serverUrl, token)).filter((item) => item.event.type === 'sale');
};
const startHost = async () => {
  host = await startTerminalHost({ dataDir, serverUrl, enrolmentCode: CODE, waitForEnrolment: false });
  running.push(host.process);
};
let server: RunningProcess;
const stopServer = () => server.stop();
const restartServer = async () => {
  server = (
    await startSyncServer({ dataDir, adminPassword: ADMIN_PASSWORD, enrolmentCode: CODE, port: serverPort })
  ).process;
  running.push(server);
};
/** Copies the ledger of a stopped host, WAL companions included when present. */
const copyLedger = (from: string, to: string) => {
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
    else rmSync(to + suffix, { force: true });
  }
};

beforeAll(async () => {
  const started = await startSyncServer({ dataDir, adminPassword: ADMIN_PASSWORD, enrolmentCode: CODE });
  server = started.process;
  running.push(server);
  serverUrl = started.url;
  serverPort = Number(new URL(serverUrl).port);
  host = await startTerminalHost({ dataDir, serverUrl, enrolmentCode: CODE });
  running.push(host.process);
  await eventually(
    async () =>
      (await callHost(host.url, 'catalog.lookup', { barcode: '4006381333931' })).result ? true : undefined,
    'catalog',
  );
});

afterAll(async () => {
  for (const process of running.reverse()) await process.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a terminal whose database is restored from a backup', () => {
  it('moves to a new epoch on its own when nothing of its own is unsent, and every sale reaches HQ once', async () => {
    // The cashier's sign-in and the shift's opening are epoch 1's first `s` events.
    await signedIn();
    const s = journalEvents(ledger).length;
    for (let i = 0; i < 3; i++) await sell();
    await eventually(async () => ((await status()).pending === 0 ? true : undefined), 'three sales synced');
    await host.process.stop();
    copyLedger(ledger, join(dataDir, 'backup-3.sqlite'));
    await startHost();
    for (let i = 0; i < 3; i++) await sell();
    await eventually(
      async () => ((await stored()).length === 6 ? true : undefined),
      'six sales on the server',
    );
    await host.process.stop();

    // The till's disk is replaced; IT restores last night's backup, three sales old.
    copyLedger(join(dataDir, 'backup-3.sqlite'), ledger);
    await startHost();
    await eventually(async () => ((await status()).state === 'online' ? true : undefined), 'reconciled');
    const next = [await sell(), await sell()];
    await eventually(
      async () => ((await stored()).length === 8 ? true : undefined),
      'eight events on the server',
    );

    const events = await stored();
    const ids = events.map((item) => item.event.eventId);
    expect(new Set(ids).size).toBe(8);
    // The sales made after the restore went out in epoch 2, after its sign-in; nothing reused epoch 1's seqs
    // (there the shift opened in the first s, and the cashier signed in again at s + 4, at the till's second start).
    expect(events.filter((item) => item.event.epoch === 2).map((item) => item.event.eventId)).toEqual(next);
    expect(events.filter((item) => item.event.epoch === 1).map((item) => item.event.seq)).toEqual(
      [1, 2, 3, 5, 6, 7].map((n) => s + n),
    );
    await host.process.stop();
    copyLedger(ledger, join(dataDir, 'backup-epoch-2.sqlite'));
  });

  it('stops with an alert when its backup is older than its last new epoch, keeps selling, and refuses to re-enrol', async () => {
    await host.process.stop();
    await stopServer();
    // Restored from the backup taken before the move to epoch 2, and it sells while HQ is unreachable.
    copyLedger(join(dataDir, 'backup-3.sqlite'), ledger);
    await startHost();
    await sell();
    await restartServer();

    await eventually(
      async () => ((await status()).state === 'stopped' ? true : undefined),
      'sync to stop',
      30_000,
    );
    const stopped = await status();
    expect(stopped.alert).toMatchObject({ code: 'stale_epoch' });
    expect(String((stopped.alert as { action: string }).action)).toMatch(/IT/);
    await sell(); // selling never waits for sync
    const refusal = await callHost(host.url, 'sync.startNewEpoch', {});
    expect(refusal).toMatchObject({ ok: false, error: { code: 'unsynced_events' } });
    expect((await stored()).length).toBe(8);

    // On the till's screen: a manager signs in, opens the manager menu, which offers the sync actions now that
    // sync stopped with an alert, asks for a new epoch, confirms once, and reads why the till refuses.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(host.url);
      await page.getByTestId('sync-alert').waitFor();
      await page.getByTestId('lock').click();
      await page.getByTestId('switch-employee').click();
      await signIn(page, MANAGER.number, MANAGER.pin);
      await page.keyboard.press('F12');
      await page.getByTestId('manager-sync-alert').waitFor();
      await page.getByTestId('sync-retry').waitFor();
      await page.getByTestId('sync-new-epoch').click();
      await page.getByTestId('confirm-new-epoch').click();
      await page
        .getByTestId('manager-message')
        .filter({ hasText: /not reached HQ yet, and a new epoch now would leave them on this till/ })
        .waitFor();
      expect(await page.getByTestId('approval-dialog').count()).toBe(0);
    } finally {
      await browser.close();
    }
    expect((await status()).state).toBe('stopped');
  });

  it('stops with a fork alert when it sold after a restore and HQ holds other sales at the same seqs', async () => {
    await host.process.stop();
    copyLedger(join(dataDir, 'backup-epoch-2.sqlite'), ledger);
    await startHost();
    await eventually(async () => ((await status()).state === 'online' ? true : undefined), 'in step again');
    const reachedHq = await sell();
    await eventually(async () => ((await status()).pending === 0 ? true : undefined), 'the sale synced');
    await host.process.stop();
    await stopServer();
    // Restored from the backup just before that sale, and sells offline: seq 3 of epoch 2 now holds another sale.
    copyLedger(join(dataDir, 'backup-epoch-2.sqlite'), ledger);
    await startHost();
    const onlyHere = await sell();
    await restartServer();

    await eventually(
      async () => ((await status()).state === 'stopped' ? true : undefined),
      'sync to stop',
      30_000,
    );
    expect((await status()).alert).toMatchObject({ code: 'fork' });
    expect(await callHost(host.url, 'sync.startNewEpoch', {})).toMatchObject({
      ok: false,
      error: { code: 'unsynced_events' },
    });
    const ids = (await stored()).map((item) => item.event.eventId);
    expect(ids).toContain(reachedHq);
    expect(ids).not.toContain(onlyHere);
  });

  it('after a manager re-enrols it with a new epoch (nothing unsent), it syncs again', async () => {
    await host.process.stop();
    copyLedger(join(dataDir, 'backup-3.sqlite'), ledger);
    await startHost();
    await eventually(async () => ((await status()).state === 'stopped' ? true : undefined), 'fenced', 30_000);
    // The cashier signs in (an event of the fenced epoch, which stays on the till) and a manager approves.
    await signedIn();
    expect(await callHost(host.url, 'sync.startNewEpoch', {})).toMatchObject({
      ok: false,
      error: { code: 'approval_required' },
    });
    const moved = await callHost(host.url, 'sync.startNewEpoch', byManager);
    expect(moved.ok, JSON.stringify(moved.error)).toBe(true);
    const saleId = await sell();
    await eventually(async () => ((await status()).pending === 0 ? true : undefined), 'the sale synced');
    const item = (await stored()).find((candidate) => candidate.event.eventId === saleId);
    // The manager's approval is the new epoch's first event, the sale its second.
    expect(item?.event).toMatchObject({ epoch: 3, seq: 2 });
    // Online once an idle round's liveness check answers: on a loaded machine one such check (2 s) may miss first.
    await eventually(async () => ((await status()).state === 'online' ? true : undefined), 'online again');
  });
});
