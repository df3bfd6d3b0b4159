import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASHIER, putTerminalConfig, signIn } from './employees.js';
import { journalEvents, openShiftAtTill } from './observe.js';
import { eventually } from './processes.js';
import { SCREEN_VIEWPORT, saveScreen } from './screens.js';
import { scan } from './shift-screens.js';
import { startTillSystem, type TillSystem } from './till-system.js';

/**
 * The receipt from the screen, in Chromium against browser mode, a real server and the printer emulator: HQ sets the
 * store's legal details (config v5); a cashier sells; the screen shows the receipt as printed, with the till's own
 * consecutive receipt number and the store's name; Reprint prints a copy the emulator decodes marked COPY, and the
 * drawer stays shut.
 */

const CODE = 'E2E-RECEIPTS-0001';
const PEN = '4006381333931';
const STORE = {
  storeName: 'Tillwright Stationers',
  storeAddress: ['12 Market Street', '1000 Brussels'],
  taxId: 'BE0123456789',
};

let till: TillSystem;
let page: Page;

beforeAll(async () => {
  till = await startTillSystem({
    name: 'receipts',
    enrolmentCode: CODE,
    viewport: SCREEN_VIEWPORT,
    // A quick key for the pen, so that Alt+1 would add one (the keys-under-the-list test).
    beforeTill: (serverUrl, hqToken) =>
      putTerminalConfig(serverUrl, hqToken, { ...STORE, quickKeys: [{ label: 'Pen', productId: 'pen' }] }),
  });
  page = till.page;
  await openShiftAtTill(till.terminalUrl);
  await page.goto(till.terminalUrl);
  await page
    .getByTestId('terminal-id')
    .filter({ hasText: /store-001-T\d+/ })
    .waitFor();
});

afterAll(() => till?.stop());

describe('the receipt after Pay', () => {
  it('shows the receipt as printed, with its own number and the store, and reprints it marked COPY', async () => {
    const terminalId = (await page.getByTestId('terminal-id').textContent())!.trim();
    await signIn(page, CASHIER.number, CASHIER.pin);
    await scan(page, PEN);
    await page.getByTestId('cart-line').first().waitFor();
    await page.getByTestId('cash-tendered').fill('5.00');
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 2.50');

    // The first sale of the till is receipt 1, whatever sign-ins and the shift's opening journaled before it.
    const number = `${terminalId}-1-000001`;
    const sale = journalEvents(till.ledgerPath).find((event) => event.type === 'sale');
    expect(sale).toMatchObject({ schema: 6, payload: { receiptNumber: number } });
    expect(sale!.seq).toBeGreaterThan(1);

    const preview = page.getByTestId('receipt-preview');
    await expect.poll(() => preview.textContent()).toContain(`No. ${number}`);
    const shown = (await preview.textContent())!;
    for (const text of [
      STORE.storeName,
      ...STORE.storeAddress,
      `Tax ID ${STORE.taxId}`,
      CASHIER.displayName,
    ]) {
      expect(shown).toContain(text);
    }
    await eventually(() => (till.printer.receipts.length >= 1 ? true : undefined), 'the receipt printed');
    const printed = till.printer.receipts.at(-1)!.text;
    expect(shown).toBe(printed);
    await saveScreen(page, 'receipt-preview');

    const kicks = till.printer.drawerKicks;
    const receipts = till.printer.receipts.length;
    await page.getByTestId('reprint').click();
    await expect.poll(() => page.getByTestId('reprint-status').textContent()).toMatch(/Copy (printed|sent)/);
    await eventually(
      () => (till.printer.receipts.length === receipts + 1 ? true : undefined),
      'the copy printed',
    );
    const copy = till.printer.receipts
      .at(-1)!
      .text.split('\n')
      .filter((line) => line.trim() !== '');
    expect(copy[0]!.trim()).toBe('*** COPY ***');
    expect(copy.at(-1)!.trim()).toBe('*** COPY ***');
    expect(copy.join('\n')).toContain(`No. ${number}`);
    expect(till.printer.drawerKicks).toBe(kicks);
  });

  it('lists the till’s receipts newest first (F9) and reprints an earlier one, marked COPY, from the list', async () => {
    const terminalId = (await page.getByTestId('terminal-id').textContent())!.trim();
    const first = `${terminalId}-1-000001`;
    const second = `${terminalId}-1-000002`;
    await scan(page, PEN);
    await scan(page, PEN);
    await page.getByTestId('cart-line').first().waitFor();
    await page.getByTestId('cash-tendered').fill('10.00');
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 5.00');
    await eventually(() => (till.printer.receipts.length >= 3 ? true : undefined), 'the second sale printed');

    await page.keyboard.press('F9');
    const rows = page.getByTestId('receipt-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect((await rows.allTextContents()).map((row) => row.slice(0, second.length))).toEqual([second, first]);
    const preview = page.getByTestId('receipts-preview');
    await expect.poll(() => preview.textContent()).toContain(`No. ${second}`);
    // The earlier sale, by keyboard: one row down.
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => preview.textContent()).toContain(`No. ${first}`);
    expect(await preview.textContent()).toContain('EUR');
    await saveScreen(page, 'receipts-list');

    const kicks = till.printer.drawerKicks;
    const receipts = till.printer.receipts.length;
    await page.getByTestId('receipts-reprint').click();
    await expect
      .poll(() => page.getByTestId('receipts-reprint-status').textContent())
      .toMatch(/Copy (printed|sent)/);
    await eventually(
      () => (till.printer.receipts.length === receipts + 1 ? true : undefined),
      'the copy printed',
    );
    const copy = till.printer.receipts.at(-1)!.text;
    const lines = copy.split('\n').filter((line) => line.trim() !== '');
    expect(lines[0]!.trim()).toBe('*** COPY ***');
    expect(copy).toContain(`No. ${first}`);
    expect(copy).not.toContain(`No. ${second}`);
    expect(till.printer.drawerKicks).toBe(kicks);

    // Esc: back to the sale screen, the last sale's receipt shown as before.
    await page.keyboard.press('Escape');
    await page.getByTestId('receipts-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('receipt-preview').textContent()).toContain(`No. ${second}`);
  });

  it('with the receipts list open, the sale keys under it change nothing: F5 (park), F4 (discount), Alt+1 (quick key)', async () => {
    await page.getByTestId('quick-key').first().waitFor();
    await scan(page, PEN);
    const line = page.getByTestId('cart-line');
    await expect.poll(() => line.count()).toBe(1);
    const before = await line.first().textContent();
    await page.keyboard.press('F9');
    await page.getByTestId('receipts-dialog').waitFor();
    // With focus in the list, and with focus dropped to the page.
    await page.getByTestId('receipt-row').first().focus();
    for (const key of ['F5', 'F4', 'Shift+F4', 'Alt+Digit1']) await page.keyboard.press(key);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    for (const key of ['F5', 'F4', 'Alt+Digit1']) await page.keyboard.press(key);
    // Still the list, over the same sale: no park or discount dialog opened, no pen added.
    expect(await page.getByTestId('receipts-dialog').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('receipts-dialog').waitFor({ state: 'detached' });
    expect(await page.getByTestId('park-dialog').count()).toBe(0);
    expect(await page.getByTestId('discount-dialog').count()).toBe(0);
    expect(await line.count()).toBe(1);
    expect(await line.first().textContent()).toBe(before);
  });
});
