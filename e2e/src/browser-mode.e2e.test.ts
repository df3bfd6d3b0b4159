import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrinterEmulator, startPrinterEmulator } from '@tillwright/devices/sim';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { CASHIER, signIn } from './employees.js';
import { callHost, journalEvents, openShiftAtTill } from './observe.js';
import { eventually, type RunningProcess } from './processes.js';
import { startSyncServer, startTerminalHost } from './system.js';

const CODE = 'E2E-REBIND-0001';
const REBOUND_NAME = 'till.rebind.example';

let dataDir: string;
let serverUrl: string;
let server: RunningProcess;
let terminal: RunningProcess;
let terminalUrl: string;
let ledgerPath: string;
let printer: PrinterEmulator;
let browser: Browser;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tillwright-e2e-rebind-'));
  printer = await startPrinterEmulator({ port: 0 });
  const started = await startSyncServer({
    dataDir,
    adminPassword: 'e2e-admin-password',
    enrolmentCode: CODE,
  });
  server = started.process;
  serverUrl = started.url;
  const host = await startTerminalHost({
    dataDir,
    serverUrl,
    enrolmentCode: CODE,
    printerPort: printer.port,
  });
  terminal = host.process;
  terminalUrl = host.url;
  ledgerPath = host.ledgerPath;
  await eventually(
    async () =>
      (await callHost(terminalUrl, 'catalog.lookup', { barcode: '4006381333931' })).result ? true : undefined,
    'catalog',
  );
  // An open shift, so a sale that got through would be recorded: the attack's failure is the socket's doing.
  await openShiftAtTill(terminalUrl);
  // The attacker's name now resolves to the till, as after a DNS rebinding. Chromium's own Local Network Access check
  // is off: many browsers have none, and the till must not depend on the one its browser happens to be.
  browser = await launchChromium([
    `--host-resolver-rules=MAP ${REBOUND_NAME} 127.0.0.1`,
    '--disable-features=LocalNetworkAccessChecks',
  ]);
});

afterAll(async () => {
  await browser?.close();
  await terminal?.stop();
  await server?.stop();
  await printer?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * The attacker's page, served from the attacker's name before the rebinding: it reads the till's page for the token,
 * then opens /rpc on its own origin (which is now the till) and rings up a cash sale, which would kick the drawer.
 */
const ATTACK_PAGE = (saleId: string) => `<!doctype html><title>win a prize</title><script>
window.attack = (async () => {
  const outcome = {};
  try {
    const page = await fetch('/', { cache: 'no-store' });
    outcome.pageStatus = page.status;
    outcome.token = /name="tillwright-rpc-token" content="([^"]+)"/.exec(await page.text())?.[1] ?? null;
  } catch (error) {
    outcome.pageStatus = String(error);
    outcome.token = null;
  }
  outcome.socket = await new Promise((resolve) => {
    const ws = new WebSocket('ws://' + location.host + '/rpc', ['tillwright-rpc', 'tillwright-token.' + (outcome.token ?? 'guess')]);
    ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'sale.complete', params: {
      saleId: '${saleId}', currency: 'EUR',
      lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
      tenders: [{ kind: 'cash', tendered: 1000 }],
    } }));
    ws.onmessage = (event) => {
      if (JSON.parse(event.data).kind === 'response') resolve('answered: ' + event.data);
    };
    ws.onclose = (event) => resolve('closed ' + event.code);
  });
  return outcome;
})();
</script>`;

describe('a web page rebound by DNS to the till', () => {
  it('cannot read the till page nor open its socket: no sale in the journal, no receipt, no drawer kick', async () => {
    const port = new URL(terminalUrl).port;
    const attackerUrl = `http://${REBOUND_NAME}:${port}/`;
    const page = await browser.newPage();
    // The first answer for the name came from the attacker's server; every request after it reaches the till.
    await page.route(attackerUrl, (route) =>
      route.request().isNavigationRequest()
        ? route.fulfill({
            contentType: 'text/html',
            body: ATTACK_PAGE('019ab8a0-0000-7000-8000-00000000dead'),
          })
        : route.continue(),
    );
    const before = journalEvents(ledgerPath).length;
    await page.goto(attackerUrl);
    const outcome = await page.evaluate(() => (window as unknown as { attack: Promise<unknown> }).attack);
    expect(outcome).toEqual({ pageStatus: 403, token: null, socket: expect.stringMatching(/^closed /) });
    expect(journalEvents(ledgerPath)).toHaveLength(before);
    expect(printer.drawerKicks).toBe(0);
    expect(printer.receipts).toHaveLength(0);
    await page.close();
  });
});

describe('the till its own page', () => {
  it('reconnects after the host restarts on the same port with a new token, and sells on', async () => {
    const page = await browser.newPage();
    await page.goto(terminalUrl);
    await page
      .getByTestId('terminal-id')
      .filter({ hasText: /store-001-T\d+/ })
      .waitFor();
    await signIn(page, CASHIER.number, CASHIER.pin);
    const tokenBefore = await page.locator('meta[name="tillwright-rpc-token"]').getAttribute('content');

    await terminal.stop();
    const restarted = await startTerminalHost({
      dataDir,
      serverUrl,
      enrolmentCode: CODE,
      printerPort: printer.port,
      port: Number(new URL(terminalUrl).port),
      waitForEnrolment: false,
    });
    terminal = restarted.process;
    expect(restarted.url).toBe(terminalUrl);

    // The page as loaded still holds the old token; the host has a new one, and the page must find it by itself.
    // Back in contact, it learns the restarted host has nobody signed in, and asks for a sign-in.
    await page.getByTestId('sign-in').waitFor({ timeout: 30_000 });
    await signIn(page, CASHIER.number, CASHIER.pin);
    // A scan sent while the page is still cut off is lost, so scan again until one lands in the cart.
    await expect
      .poll(
        async () => {
          await page.getByTestId('sim-barcode').fill('4006381333931');
          await page.getByTestId('sim-scan').click();
          return page.getByTestId('cart-line').count();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBeGreaterThan(0);
    expect(await page.locator('meta[name="tillwright-rpc-token"]').getAttribute('content')).toBe(tokenBefore);
    const served = await (await fetch(terminalUrl)).text();
    expect(served).not.toContain(tokenBefore!);
    await page.close();
  });
});
