import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASHIER, signIn } from './employees.js';
import { journalEvents, openShiftAtTill } from './observe.js';
import { SCREEN_VIEWPORT, saveScreen } from './screens.js';
import { KEY_GAP_MS, scan } from './shift-screens.js';
import { startTillSystem, type TillSystem } from './till-system.js';

/**
 * Issue 17, points 1 and 10: the cart edited from the screen in Chromium against browser mode and a real server —
 * a quantity typed after F3 and stepped with +, a line voided with F7, a reload mid-sale that brings the cart back
 * exactly — and then Pay records what the screen showed.
 */

const CODE = 'E2E-CART-EDIT-0001';
const PEN = { barcode: '4006381333931', name: 'Ballpoint pen, blue', price: 250 };
const NOTEBOOK = { barcode: '5901234123457', name: 'Notebook A5, ruled', price: 499 };

let till: TillSystem;
let page: Page;

/** Each line as the screen shows it: name and quantity, and which one is selected. */
const linesShown = () =>
  page.getByTestId('cart-line').evaluateAll((rows) =>
    rows.map((row) => ({
      name: row.querySelector('td')?.textContent,
      quantity: Number(row.querySelector('[data-testid="line-quantity"]')?.textContent),
      selected: row.getAttribute('aria-selected') === 'true',
    })),
  );
const totalShown = (text: string) => page.getByTestId('cart-total').filter({ hasText: text }).waitFor();

beforeAll(async () => {
  till = await startTillSystem({ name: 'cart-edit', enrolmentCode: CODE, viewport: SCREEN_VIEWPORT });
  page = till.page;
  // The manager opens the shift and signs out again; the cashier signs in on the screen.
  await openShiftAtTill(till.terminalUrl);
  await page.goto(till.terminalUrl);
  await signIn(page, CASHIER.number, CASHIER.pin);
});

afterAll(async () => {
  await till?.stop();
});

describe('editing the cart on the screen (issue 17)', () => {
  it('F3 sets a typed quantity on the line picked with the arrow keys, and + adds one more', async () => {
    await scan(page, PEN.barcode);
    await scan(page, NOTEBOOK.barcode);
    await totalShown('EUR 7.49');
    expect(await linesShown()).toEqual([
      { name: PEN.name, quantity: 1, selected: false },
      { name: NOTEBOOK.name, quantity: 1, selected: true },
    ]);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('F3');
    await page.getByTestId('quantity-dialog').waitFor();
    await page.keyboard.type('3', { delay: KEY_GAP_MS });
    await page.keyboard.press('Enter');
    await page.getByTestId('quantity-dialog').waitFor({ state: 'detached' });
    await totalShown('EUR 12.49');
    await page.getByTestId('quantity-plus').click();
    await totalShown('EUR 14.99');
    expect(await linesShown()).toEqual([
      { name: PEN.name, quantity: 4, selected: true },
      { name: NOTEBOOK.name, quantity: 1, selected: false },
    ]);
    await saveScreen(page, 'cart-editing');
  });

  it('refuses a quantity of 0 in the pad with words, and Esc leaves the line as it was', async () => {
    await page.keyboard.press('F3');
    await page.getByTestId('quantity-input').waitFor();
    await page.keyboard.type('0', { delay: KEY_GAP_MS });
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('quantity-error').textContent()).toBe('Not 0: void the line instead (F7)');
    await page.keyboard.press('Escape');
    await page.getByTestId('quantity-dialog').waitFor({ state: 'detached' });
    await totalShown('EUR 14.99');
  });

  it('F7 voids the selected line at once', async () => {
    await page.getByTestId('cart-line').filter({ hasText: NOTEBOOK.name }).click();
    await page.keyboard.press('F7');
    await totalShown('EUR 10.00');
    expect(await linesShown()).toEqual([{ name: PEN.name, quantity: 4, selected: true }]);
  });

  it('a reload mid-sale brings back exactly the cart that was on the screen, then Pay records it', async () => {
    await scan(page, NOTEBOOK.barcode);
    await totalShown('EUR 14.99');
    const before = await linesShown();
    await page.reload();
    await totalShown('EUR 14.99');
    expect((await linesShown()).map(({ name, quantity }) => ({ name, quantity }))).toEqual(
      before.map(({ name, quantity }) => ({ name, quantity })),
    );
    await page.getByTestId('cash-tendered').fill('20.00');
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 5.01');
    const [sale] = journalEvents(till.ledgerPath).filter((event) => event.type === 'sale');
    expect(sale?.payload).toMatchObject({
      total: 4 * PEN.price + NOTEBOOK.price,
      lines: [
        expect.objectContaining({ productId: 'pen', quantity: 4 }),
        expect.objectContaining({ productId: 'notebook', quantity: 1 }),
      ],
    });
  });

  it('Shift+F7 asks once, naming what is lost; Esc keeps the sale, Clear sale empties the cart and records nothing', async () => {
    await scan(page, PEN.barcode);
    await scan(page, NOTEBOOK.barcode);
    await totalShown('EUR 7.49');
    await page.keyboard.press('Shift+F7');
    expect(await page.getByTestId('clear-what').textContent()).toBe(
      '2 lines (2 items, EUR 7.49) will be taken off. Nothing is paid.',
    );
    await page.keyboard.press('Escape');
    await page.getByTestId('clear-dialog').waitFor({ state: 'detached' });
    expect(await page.getByTestId('cart-line').count()).toBe(2);
    await page.keyboard.press('Shift+F7');
    await page.getByTestId('clear-confirm').click();
    await page.getByTestId('cart-line').first().waitFor({ state: 'detached' });
    await page.reload();
    await page.getByText('Scan or search an item (F2)', { exact: true }).waitFor();
    expect(await page.getByTestId('cart-line').count()).toBe(0);
    expect(journalEvents(till.ledgerPath).filter((event) => event.type === 'sale')).toHaveLength(1);
  });
});
