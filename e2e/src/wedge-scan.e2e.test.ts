import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WEDGE_DEFAULTS } from '@tillwright/devices/wedge';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { CASHIER, signIn } from './employees.js';
import type { RunningProcess } from './processes.js';
import { scannerBurst } from './scanner-burst.js';
import { startSyncServer, startTerminalHost } from './system.js';

const ENROLMENT_CODE = 'E2E-ENROL-0001';
const PEN = { barcode: '4006381333931', name: 'Ballpoint pen, blue' };

/**
 * The renderer tells a scan from typing by the gaps between keys, as the KeyboardEvents' timestamps give them (it
 * installs the classifier with its default timing: a burst whose every gap is at most `maxInterKeyMs`, ended by
 * Enter, is a scan). Both kinds of input below are chosen far from that threshold, on the side a loaded machine
 * cannot push them across:
 * - a scan's keys carry their own timestamps, SCANNER_GAP_MS apart (scanners send 1–20 ms), so the gaps the
 *   classifier measures are exactly these whatever the load. The page also settles a burst as typing once it has
 *   heard nothing for `maxInterKeyMs` after a key's timestamp, by a timer on its real clock: the keys are handed to
 *   Chromium all at once and stamped SCAN_LEAD_MS ahead, so that timer cannot run out while a loaded machine is
 *   still delivering the burst (that takes tens of milliseconds; a second is the margin);
 * - a person's keys are sent with at least HUMAN_GAP_MS between them (people type 80–300 ms apart): each key is sent
 *   only after the one before was handled and that long has passed, so load only makes the gaps longer.
 */
const { maxInterKeyMs } = WEDGE_DEFAULTS;
const SCANNER_GAP_MS = maxInterKeyMs / 8;
const HUMAN_GAP_MS = maxInterKeyMs * 5;
const SCAN_LEAD_MS = 1_000;

let dataDir: string;
let server: RunningProcess;
let terminal: RunningProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tillwright-e2e-wedge-'));
  const started = await startSyncServer({
    dataDir,
    adminPassword: 'e2e-admin-password',
    enrolmentCode: ENROLMENT_CODE,
  });
  server = started.process;
  const host = await startTerminalHost({ dataDir, serverUrl: started.url, enrolmentCode: ENROLMENT_CODE });
  terminal = host.process;

  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(host.url);
  // Enrolled and greeted: the host answered session.hello, so the store is ready; a cashier signs in, and the
  // simulator form is there to type into.
  await page
    .getByTestId('terminal-id')
    .filter({ hasText: /store-001-T\d+/ })
    .waitFor();
  await signIn(page, CASHIER.number, CASHIER.pin);
  await page.getByTestId('sim-barcode').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await terminal?.stop();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A keyboard-wedge scanner reading `barcode`, its keys SCANNER_GAP_MS apart (see scanner-burst.ts). */
async function scan(barcode: string): Promise<void> {
  await scannerBurst(page, barcode, SCANNER_GAP_MS, SCAN_LEAD_MS);
}

/**
 * Waits until every scan the page started before now has landed: scans an unknown barcode and waits for the page to
 * say so. Lookups and simulated scans go to the host in order over one socket and come back in order, so anything
 * sent before this one (a scan that should not have been) has reached the cart by then.
 */
let settleCount = 0;
async function settled(): Promise<void> {
  const unknown = `20000000000${String(++settleCount).padStart(2, '0')}`;
  await scan(unknown);
  await page
    .getByTestId('notice')
    .filter({ hasText: `No product with barcode ${unknown}` })
    .waitFor();
}

/** Every value the field took, as the page saw it: proves no scanned character ever landed there. */
async function recordValues(testId: string): Promise<() => Promise<string[]>> {
  await page.evaluate((id) => {
    const field = document.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)!;
    const seen: string[] = [];
    (window as unknown as Record<string, string[]>).__seen = seen;
    field.addEventListener('input', () => seen.push(field.value));
  }, testId);
  return () => page.evaluate(() => (window as unknown as Record<string, string[]>).__seen ?? []);
}

describe('keyboard-wedge scanner in the renderer', () => {
  it('a scanner-speed burst into the cash field becomes a cart line and leaves the field empty', async () => {
    const cash = page.getByTestId('cash-tendered');
    await cash.click();
    const seen = await recordValues('cash-tendered');
    await scan(PEN.barcode);
    await expect
      .poll(() => page.getByTestId('cart-line').allTextContents())
      .toEqual([expect.stringMatching(new RegExp(`${PEN.name}\\s*1`))]);
    expect(await cash.inputValue()).toBe('');
    expect(await seen()).toEqual([]);
    expect(await page.getByTestId('notice').count()).toBe(0);
  });

  it('a scan into the simulated scanner field adds once and never types into it (its form is not submitted)', async () => {
    const field = page.getByTestId('sim-barcode');
    await field.click();
    const seen = await recordValues('sim-barcode');
    await scan(PEN.barcode);
    await expect
      .poll(() => page.getByTestId('cart-line').allTextContents())
      .toEqual([expect.stringMatching(new RegExp(`${PEN.name}\\s*2`))]);
    // Had the form been submitted as well, a third pen would arrive through the simulated scanner, before this.
    await settled();
    expect(await page.getByTestId('cart-line').allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`${PEN.name}\\s*2`)),
    ]);
    expect(await field.inputValue()).toBe('');
    expect(await seen()).toEqual([]);
  });

  it('a person typing slowly into the same field keeps the text there and adds nothing to the cart', async () => {
    const field = page.getByTestId('sim-barcode');
    const linesBefore = await page.getByTestId('cart-line').allTextContents();
    await field.click();
    await page.keyboard.type(PEN.barcode, { delay: HUMAN_GAP_MS });
    await expect.poll(() => field.inputValue()).toBe(PEN.barcode);
    // A scan lookup, had there been one, lands before this one.
    await settled();
    expect(await page.getByTestId('cart-line').allTextContents()).toEqual(linesBefore);
    expect(await field.inputValue()).toBe(PEN.barcode);
  });

  it('a person typing slowly into the cash field, with a correction, gets exactly what they typed', async () => {
    const cash = page.getByTestId('cash-tendered');
    await cash.click();
    await page.keyboard.type('10.50', { delay: HUMAN_GAP_MS });
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('00', { delay: HUMAN_GAP_MS });
    await expect.poll(() => cash.inputValue()).toBe('10.00');
  });
});
