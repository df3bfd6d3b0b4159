import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { shiftedClockEnv } from './fake-clock.js';
import { callHost, hqSession, openShiftAtTill, serverEvents, signInAtTill } from './observe.js';
import { eventually, type RunningProcess, repoRoot } from './processes.js';
import { startSyncServer, startTerminalHost } from './system.js';

const ADMIN_PASSWORD = 'e2e-admin-password';
const CODE = 'E2E-CLOCK-0001';
const artifacts = join(repoRoot, 'test-artifacts', 'e2e');

let dataDir = '';
const running: RunningProcess[] = [];
afterEach(async () => {
  for (const process of running.splice(0).reverse()) await process.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

// The server refuses a signed request more than 5 minutes off its clock; these tills are further off than that.
describe.each([
  { shift: '+10m', minutes: 10, words: 'ahead of' },
  { shift: '-7m', minutes: -7, words: 'behind' },
])('a till whose clock is $shift off the server’s', ({ shift, minutes, words }) => {
  it('pulls its catalog, sends its sales and shows the manager a clock alert', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tillwright-clock-'));
    const server = await startSyncServer({ dataDir, adminPassword: ADMIN_PASSWORD, enrolmentCode: CODE });
    running.push(server.process);
    const hq = await hqSession(server.url, ADMIN_PASSWORD);
    const host = await startTerminalHost({
      dataDir,
      serverUrl: server.url,
      enrolmentCode: CODE,
      env: shiftedClockEnv(shift),
    });
    running.push(host.process);
    const call = (method: string, params: unknown) => callHost(host.url, method, params);

    // The catalog pull is a signed request: it arrives only if the till signs with the server's time.
    await eventually(
      async () => ((await call('catalog.lookup', { barcode: '4006381333931' })).result ? true : undefined),
      'the catalog',
    );
    // The till sells only in an open shift: the manager opens it, the cashier sells.
    await signInAtTill(host.url);
    await openShiftAtTill(host.url);
    const sale = await call('sale.complete', {
      saleId: '019ab8a0-0000-7000-8000-0000000c10c1',
      currency: 'EUR',
      lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
      tenders: [{ kind: 'cash', tendered: 500 }],
    });
    expect(sale).toMatchObject({ ok: true });
    await eventually(
      async () =>
        (await serverEvents(server.url, hq)).some(
          (item) => item.event.eventId === '019ab8a0-0000-7000-8000-0000000c10c1',
        )
          ? true
          : undefined,
      'the sale at HQ',
    );

    const status = (await call('sync.status', {})).result as {
      state: string;
      clock: { offsetMs: number; alert: string | null };
    };
    expect(status.state).toBe('online');
    // Server minus till: a till 10 minutes fast is 10 minutes ahead, an offset of about -10 minutes.
    expect(Math.abs(status.clock.offsetMs + minutes * 60_000)).toBeLessThan(5_000);
    expect(status.clock.alert).toContain(`${Math.abs(minutes)} min ${words} HQ's`);

    // What the manager sees on the till's screen.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(host.url);
      const alert = page.getByTestId('clock-alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain(`${Math.abs(minutes)} min ${words} HQ's`);
      expect(await page.getByTestId('last-sync').textContent()).toMatch(/^last sync \d{1,2}:\d\d:\d\d/);
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, `clock-alert-${shift}.png`) });
    } finally {
      await browser.close();
    }
  });
});
