import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASHIER, signIn } from './employees.js';
import { callHost, journalEvents, openShiftAtTill } from './observe.js';
import type { RunningProcess } from './processes.js';
import { SCREEN_VIEWPORT, saveScreen } from './screens.js';
import { KEY_GAP_MS, notice, scan } from './shift-screens.js';
import { startTerminalHost } from './system.js';
import { payloadsAtHq, startTillSystem, type TillSystem } from './till-system.js';

/**
 * Issue 17, points 5 and 10: a sale parked from the screen (F5, with a note), another customer served and paid, the
 * till host killed and started again, and the parked sale resumed from the list (F6) exactly as it was and paid —
 * in Chromium against browser mode and a real server. HQ receives the two sales and nothing of the parking.
 */

const CODE = 'E2E-PARK-RESUME-0001';
const PEN = { barcode: '4006381333931', name: 'Ballpoint pen, blue', price: 250 };
const NOTEBOOK = { barcode: '5901234123457', name: 'Notebook A5, ruled', price: 499 };

let till: TillSystem;
let page: Page;
/** The host started again after it was killed. */
let restarted: RunningProcess | null = null;
/** The sale id the host keeps the Mrs Jones sale under, as its parked list says. */
let parkedSaleId = '';

const linesShown = () =>
  page.getByTestId('cart-line').evaluateAll((rows) =>
    rows.map((row) => ({
      name: row.querySelector('td')?.textContent,
      quantity: Number(row.querySelector('[data-testid="line-quantity"]')?.textContent),
    })),
  );
const totalShown = (text: string) => page.getByTestId('cart-total').filter({ hasText: text }).waitFor();
const parkedKey = (count: number) =>
  page
    .getByTestId('parked-open')
    .filter({ hasText: `Parked (${count})` })
    .waitFor();

/** F5, an optional note typed as a person types (the screen saved as `screen` then), Enter: the cart empties. */
async function parkWithNote(note: string | null, screen?: string) {
  await page.keyboard.press('F5');
  await page.getByTestId('park-dialog').waitFor();
  if (note) await page.keyboard.type(note, { delay: KEY_GAP_MS / 4 });
  if (screen) await saveScreen(page, screen);
  await page.keyboard.press('Enter');
  await page.getByTestId('park-dialog').waitFor({ state: 'detached' });
  await page.getByTestId('cart-line').first().waitFor({ state: 'detached' });
}

beforeAll(async () => {
  till = await startTillSystem({ name: 'park-resume', enrolmentCode: CODE, viewport: SCREEN_VIEWPORT });
  page = till.page;
  await openShiftAtTill(till.terminalUrl);
  await page.goto(till.terminalUrl);
  await signIn(page, CASHIER.number, CASHIER.pin);
});

afterAll(async () => {
  await restarted?.stop();
  await till?.stop();
});

describe('parking a sale and resuming it after a restart (issue 17)', () => {
  it('parks a cart with a note (F5), serves the next customer, and survives killing the till host', async () => {
    await parkedKey(0);
    await scan(page, PEN.barcode);
    await scan(page, PEN.barcode);
    await scan(page, NOTEBOOK.barcode);
    await totalShown('EUR 9.99');
    await page.keyboard.press('F5');
    expect(await page.getByTestId('park-what').textContent()).toBe(
      '2 lines (3 items, EUR 9.99) are put aside on this till, and a new sale starts. Resume it from Parked (F6).',
    );
    await page.keyboard.press('Escape');
    await page.getByTestId('park-dialog').waitFor({ state: 'detached' });
    await parkWithNote('Mrs Jones', 'park-sale');
    await notice(page, 'Sale parked (“Mrs Jones”)');
    await parkedKey(1);

    // A second one, parked without a note, stays parked to the end.
    await scan(page, PEN.barcode);
    await totalShown('EUR 2.50');
    await parkWithNote(null);
    await parkedKey(2);

    // The next customer buys a notebook and pays.
    await scan(page, NOTEBOOK.barcode);
    await totalShown('EUR 4.99');
    await page.getByTestId('cash-tendered').fill('5.00');
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 0.01');

    // The till host dies and comes back on the same port; the screen reloads and the cashier signs in again.
    till.terminal.child.kill('SIGKILL');
    await till.terminal.stop();
    restarted = (
      await startTerminalHost({
        dataDir: till.dataDir,
        serverUrl: till.serverUrl,
        enrolmentCode: CODE,
        printerPort: till.printer.port,
        port: Number(new URL(till.terminalUrl).port),
        waitForEnrolment: false,
      })
    ).process;
    await page.reload();
    await signIn(page, CASHIER.number, CASHIER.pin);
    await parkedKey(2);
  });

  it('lists the parked sales (F6), newest first, with note, counts, total and who parked them', async () => {
    await page.keyboard.press('F6');
    await page.getByTestId('parked-dialog').waitFor();
    const rows = page.getByTestId('parked-row');
    await rows.nth(1).waitFor();
    const shown = await rows.evaluateAll((elements) =>
      elements.map((row) => ({
        label: row.querySelector('.parked-label')?.textContent,
        what: row.querySelector('.parked-what')?.textContent,
        total: row.querySelector('.parked-total')?.textContent,
        who: row.querySelector('.parked-who')?.textContent,
        selected: row.getAttribute('aria-selected') === 'true',
      })),
    );
    expect(shown).toEqual([
      {
        label: 'No note',
        what: '1 item · 1 line',
        total: 'EUR 2.50',
        who: expect.stringMatching(/^parked .+ by Alex Cashier$/),
        selected: true,
      },
      {
        label: 'Mrs Jones',
        what: '3 items · 2 lines',
        total: 'EUR 9.99',
        who: expect.stringMatching(/^parked .+ by Alex Cashier$/),
        selected: false,
      },
    ]);
    await page.keyboard.press('ArrowDown');
    await rows.nth(1).and(page.locator('[aria-selected="true"]')).waitFor();
    await saveScreen(page, 'parked-sales');
    const listed = await callHost(till.terminalUrl, 'sale.parkedList', {});
    const sales = (listed.result?.sales ?? []) as { saleId: string; label: string | null }[];
    parkedSaleId = sales.find((sale) => sale.label === 'Mrs Jones')?.saleId ?? '';
    expect(parkedSaleId).not.toBe('');
  });

  it('refuses to resume over a cart with lines, then resumes the chosen sale exactly and pays it', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('parked-dialog').waitFor({ state: 'detached' });
    await scan(page, PEN.barcode);
    await totalShown('EUR 2.50');
    await page.getByTestId('parked-open').click();
    await page.getByTestId('parked-row').filter({ hasText: 'Mrs Jones' }).click();
    await page
      .getByTestId('parked-error')
      .filter({ hasText: 'Park or clear the current sale first' })
      .waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('F7');
    await page.getByTestId('cart-line').first().waitFor({ state: 'detached' });

    await page.keyboard.press('F6');
    await page.getByTestId('parked-row').nth(1).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('parked-dialog').waitFor({ state: 'detached' });
    await totalShown('EUR 9.99');
    expect(await linesShown()).toEqual([
      { name: PEN.name, quantity: 2 },
      { name: NOTEBOOK.name, quantity: 1 },
    ]);
    await parkedKey(1);

    await page.getByTestId('cash-tendered').fill('10.00');
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 0.01');

    // The journal and HQ hold exactly the two sales paid, the resumed one as it was parked; nothing of the parking.
    const journal = journalEvents(till.ledgerPath);
    const sales = journal.filter((event) => event.type === 'sale');
    expect(sales.map((sale) => (sale.payload as { total: number }).total)).toEqual([
      NOTEBOOK.price,
      2 * PEN.price + NOTEBOOK.price,
    ]);
    expect(journal.some((event) => event.type.includes('park'))).toBe(false);
    await expect
      .poll(async () => (await payloadsAtHq(till, 'sale')).length, { timeout: 30_000, interval: 250 })
      .toBe(2);
    const atHq = await payloadsAtHq(till, 'sale');
    expect(atHq.map((sale) => sale.total)).toEqual([NOTEBOOK.price, 2 * PEN.price + NOTEBOOK.price]);
    expect(atHq[1]).toMatchObject({
      lines: [
        expect.objectContaining({ productId: 'pen', quantity: 2 }),
        expect.objectContaining({ productId: 'notebook', quantity: 1 }),
      ],
    });
    // Paid under the sale id it was parked with: nothing had been recorded under it.
    expect(sales[1]!.eventId).toBe(parkedSaleId);
  });
});
