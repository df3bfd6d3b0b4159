import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASHIER, MANAGER, putTerminalConfig, signIn, tapPin } from './employees.js';
import { journalEvents, openShiftAtTill } from './observe.js';
import { eventually } from './processes.js';
import { SCREEN_VIEWPORT, saveScreen } from './screens.js';
import { KEY_GAP_MS, scan } from './shift-screens.js';
import { payloadsAtHq, startTillSystem, type TillSystem } from './till-system.js';

/**
 * Issue 17, points 4 and 10: discounts and promotions on the screen in Chromium against browser mode and a real
 * server. HQ's configuration brings a promotion, which shows on the line as it is scanned; the cashier's 30 % line
 * discount is above their limit (DEFAULT_ROLES: a cashier may give none), a manager approves it on the same screen,
 * and Pay records the sale with the adjustment and the approval linked, and prints both on the receipt.
 */

const CODE = 'E2E-DISCOUNTS-0001';
const PEN = { barcode: '4006381333931', name: 'Ballpoint pen, blue', price: 250 };
const NOTEBOOK = { barcode: '5901234123457', name: 'Notebook A5, ruled', price: 499 };
const PROMOTION = {
  id: 'notebook-week',
  name: 'Notebook week 20 % off',
  kind: 'item-percent',
  target: { productIds: ['notebook'] },
  rate: 200_000,
};

/** The demo employees' ids (the server's demo seed). */
const CASHIER_ID = 'demo-alex';
const MANAGER_ID = 'demo-morgan';

let till: TillSystem;
let page: Page;

const totalShown = (text: string) => page.getByTestId('cart-total').filter({ hasText: text }).waitFor();
const lineOf = (name: string) => page.getByTestId('cart-line').filter({ hasText: name });

beforeAll(async () => {
  till = await startTillSystem({
    name: 'discounts',
    enrolmentCode: CODE,
    viewport: SCREEN_VIEWPORT,
    // HQ publishes the promotion before the till first pulls (terminal configuration v6).
    beforeTill: (serverUrl, hqToken) => putTerminalConfig(serverUrl, hqToken, { promotions: [PROMOTION] }),
  });
  page = till.page;
  await openShiftAtTill(till.terminalUrl);
  await page.goto(till.terminalUrl);
  await signIn(page, CASHIER.number, CASHIER.pin);
});

afterAll(async () => {
  await till?.stop();
});

describe('discounts, approvals and promotions on the screen (issue 17)', () => {
  it('a promotion applies on the line as it is scanned: named on the line, taken off the total', async () => {
    await scan(page, NOTEBOOK.barcode);
    // 4.99 − 20 % (1.00) = 3.99.
    await totalShown('EUR 3.99');
    expect(await lineOf(NOTEBOOK.name).getByTestId('line-promotion').textContent()).toBe(
      'Promotion: Notebook week 20 % off −EUR 1.00',
    );
    await saveScreen(page, 'promotion-line');
  });

  it("a cashier's 30 % line discount is above their limit: a manager approves it on the same screen, then Pay", async () => {
    await scan(page, PEN.barcode);
    await totalShown('EUR 6.49');
    await lineOf(PEN.name).click();
    await page.keyboard.press('F4');
    const dialog = page.getByTestId('discount-dialog');
    await dialog.waitFor();
    await page.getByTestId('discount-value').click();
    await page.keyboard.type('30', { delay: KEY_GAP_MS });
    await page.getByTestId('reason-choice').filter({ hasText: 'Loyal customer' }).click();
    await saveScreen(page, 'discount-dialog');
    await page.getByTestId('discount-apply').click();

    const approval = page.getByTestId('approval-dialog');
    await approval.waitFor();
    expect(await approval.getByTestId('approval-what').textContent()).toBe(
      'A 30 % discount on Ballpoint pen, blue needs approval',
    );
    expect(await approval.getByTestId('approval-requested-by').textContent()).toContain(CASHIER.displayName);
    await approval.getByTestId('approval-number').fill(MANAGER.number);
    await saveScreen(page, 'discount-approval');
    await approval.getByTestId('approval-pin').click();
    await tapPin(page, MANAGER.pin, approval);
    await approval.getByTestId('approve').click();
    await approval.waitFor({ state: 'detached' });

    // 2.50 − 30 % (0.75) = 1.75; with the notebook at 3.99: 5.74.
    await totalShown('EUR 5.74');
    expect(await lineOf(PEN.name).getByTestId('line-discount').textContent()).toBe(
      'Discount 30 %: Loyal customer −EUR 0.75',
    );
    expect(await page.getByTestId('line-needs-approval').count()).toBe(0);
    await saveScreen(page, 'discount-line');

    await page.getByTestId('cash-tendered').fill('10.00');
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 4.26');
  });

  it('the journal has the sale with its adjustments and the approval linked, and the manager approval', () => {
    const events = journalEvents(till.ledgerPath);
    const [sale] = events.filter((event) => event.type === 'sale');
    const approvals = events.filter((event) => event.type === 'manager-approval');
    expect(approvals).toHaveLength(1);
    const approval = approvals[0]!;
    expect(approval.payload).toMatchObject({
      approverId: MANAGER_ID,
      employeeId: CASHIER_ID,
      action: 'line-discount',
      subject: `sale ${sale!.eventId} line l2`,
      reason: 'Loyal customer',
      requested: { percent: 30 },
    });
    // Priced with the promotions of the configuration HQ published: its feed version is recorded with the sale.
    const pricedWith = (sale!.payload as { pricedWith: { promotions: number } }).pricedWith;
    expect(pricedWith.promotions).toBeGreaterThan(0);
    expect(sale?.payload).toMatchObject({
      total: 574,
      lines: [
        expect.objectContaining({
          productId: 'notebook',
          adjustments: [{ source: 'promotion', ref: PROMOTION.id, amount: 100 }],
        }),
        expect.objectContaining({
          productId: 'pen',
          adjustments: [{ source: 'manual-line', ref: 'Loyal customer', amount: 75 }],
        }),
      ],
      promotions: [expect.objectContaining({ promotionId: PROMOTION.id, name: PROMOTION.name, amount: 100 })],
      approvals: [
        {
          kind: 'line-discount',
          lineId: 'l2',
          rate: 300_000,
          limit: 0,
          approvedBy: MANAGER_ID,
          approvalId: approval.eventId,
        },
      ],
    });
  });

  it('the receipt shows the promotion and the discount with its reason', async () => {
    await eventually(() => (till.printer.receipts.length >= 1 ? true : undefined), 'the receipt printed');
    const printed = till.printer.receipts.at(-1)!.text;
    expect(printed).toMatch(/ {2}Notebook week 20 % off\s+-1\.00/);
    expect(printed).toMatch(/ {2}Discount 30 %: Loyal customer\s+-0\.75/);
    expect(printed).toMatch(/You saved\s+1\.75/);
  });

  it('a price override (Shift+F4) and a basket discount (Ctrl+Shift+F4), each approved, show on screen and receipt', async () => {
    await scan(page, NOTEBOOK.barcode);
    await scan(page, PEN.barcode);
    await totalShown('EUR 6.49');
    // The pen, just scanned, is the selected line.
    await page.keyboard.press('Shift+F4');
    await page.getByTestId('discount-dialog').waitFor();
    await page.getByTestId('discount-value').click();
    await page.keyboard.type('2.00', { delay: KEY_GAP_MS });
    await page.getByTestId('reason-choice').filter({ hasText: 'Damaged box' }).click();
    await page.getByTestId('discount-apply').click();
    await managerApproves('A price override of 20 % on Ballpoint pen, blue needs approval');
    await totalShown('EUR 5.99');
    expect(await lineOf(PEN.name).getByTestId('line-listed-price').textContent()).toBe(
      'Listed EUR 2.50, now EUR 2.00',
    );

    await page.keyboard.press('Control+Shift+F4');
    await page.getByTestId('discount-dialog').waitFor();
    await page.getByTestId('discount-value').click();
    await page.keyboard.type('10', { delay: KEY_GAP_MS });
    await page.getByTestId('reason-other').fill('Staff party');
    await page.getByTestId('discount-apply').click();
    await managerApproves('A 10 % discount on the whole sale needs approval');
    // 10 % of 5.99 is 0.60 (half up): 5.39.
    await totalShown('EUR 5.39');
    expect(await page.getByTestId('basket-discount').textContent()).toBe(
      'Basket discount 10 %: Staff party −EUR 0.60',
    );

    const receipts = till.printer.receipts.length;
    await page.getByTestId('cash-tendered').fill('10.00');
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 4.61');
    const sale = journalEvents(till.ledgerPath).filter((event) => event.type === 'sale')[1];
    expect(sale?.payload).toMatchObject({
      total: 539,
      lines: [
        expect.anything(),
        expect.objectContaining({ productId: 'pen', overrideReason: 'Damaged box' }),
      ],
      approvals: [
        expect.objectContaining({ kind: 'price-override', approvedBy: MANAGER_ID }),
        expect.objectContaining({ kind: 'basket-discount', lineId: null, approvedBy: MANAGER_ID }),
      ],
    });
    await eventually(
      () => (till.printer.receipts.length > receipts ? true : undefined),
      'the receipt printed',
    );
    const printed = till.printer.receipts.at(-1)!.text;
    expect(printed).toMatch(/ {2}Price override \(was 2\.50\): Damaged box\s+-0\.50/);
    expect(printed).toMatch(/Subtotal\s+5\.99/);
    expect(printed).toMatch(/ {2}Basket discount 10 %: Staff party\s+-0\.60/);
  });

  it('HQ receives both sales and the three manager approvals', async () => {
    await eventually(async () => {
      const sales = await payloadsAtHq(till, 'sale');
      const approvals = await payloadsAtHq(till, 'manager-approval');
      return sales.length === 2 && approvals.length === 3 ? true : undefined;
    }, 'the sales and approvals at HQ');
    const [, second] = await payloadsAtHq(till, 'sale');
    expect(second).toMatchObject({ total: 539, approvals: [expect.anything(), expect.anything()] });
  });
});

/** The manager approves on the approval dialog over the cart: what is asked is named, who asked too. */
async function managerApproves(what: string) {
  const approval = page.getByTestId('approval-dialog');
  await approval.waitFor();
  expect(await approval.getByTestId('approval-what').textContent()).toBe(what);
  expect(await approval.getByTestId('approval-requested-by').textContent()).toContain(CASHIER.displayName);
  await approval.getByTestId('approval-number').fill(MANAGER.number);
  await approval.getByTestId('approval-pin').click();
  await tapPin(page, MANAGER.pin, approval);
  await approval.getByTestId('approve').click();
  await approval.waitFor({ state: 'detached' });
}
