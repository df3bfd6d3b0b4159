import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import type { RunningProcess } from './processes.js';
import { startSyncServer, startTerminalHost } from './system.js';

const ENROLMENT_CODE = 'E2E-ENROL-0001';
const PEN = { barcode: '4006381333931', name: 'Ballpoint pen, blue' };

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
  // Enrolled and greeted: the host answered session.hello, so the store is ready and the simulator form shown.
  await page
    .getByTestId('terminal-id')
    .filter({ hasText: /store-001-T\d+/ })
    .waitFor();
  await page.getByTestId('sim-barcode').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await terminal?.stop();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

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
    await page.keyboard.type(PEN.barcode, { delay: 0 });
    await page.keyboard.press('Enter');
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
    await page.keyboard.type(PEN.barcode, { delay: 0 });
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('cart-line').allTextContents())
      .toEqual([expect.stringMatching(new RegExp(`${PEN.name}\\s*2`))]);
    // Had the form been submitted as well, a third pen would arrive through the simulated scanner.
    await new Promise((resolve) => setTimeout(resolve, 500));
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
    await page.keyboard.type(PEN.barcode, { delay: 200 });
    await expect.poll(() => field.inputValue()).toBe(PEN.barcode);
    // Give a scan lookup, had there been one, time to land.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await page.getByTestId('cart-line').allTextContents()).toEqual(linesBefore);
    expect(await field.inputValue()).toBe(PEN.barcode);
  });

  it('a person typing slowly into the cash field, with a correction, gets exactly what they typed', async () => {
    const cash = page.getByTestId('cash-tendered');
    await cash.click();
    await page.keyboard.type('10.50', { delay: 200 });
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('00', { delay: 200 });
    await expect.poll(() => cash.inputValue()).toBe('10.00');
  });
});
