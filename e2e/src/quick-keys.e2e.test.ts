import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASHIER, hqRequest, putTerminalConfig, signIn } from './employees.js';
import { callHost, journalEvents, openShiftAtTill } from './observe.js';
import { SCREEN_VIEWPORT, saveScreen } from './screens.js';
import { KEY_GAP_MS, scan } from './shift-screens.js';
import { startTillSystem, type TillSystem } from './till-system.js';

/**
 * Issue 17, point 1: quick keys and custom-amount lines in Chromium against browser mode and a real server. HQ sets
 * the store's quick keys and allows custom amounts (terminal config v6); the till shows the keys, a tap adds the
 * item, a custom amount is keyed, Pay records a sale v6 with the custom line. Then HQ turns custom amounts off: the
 * key goes from the screen when the till pulls the change (the host pushes `cart.config`) and the host refuses one.
 */

const CODE = 'E2E-QUICK-KEYS-0001';
const BAKERY = [
  { productId: 'bread', sku: 'BRD-01', name: 'Sourdough loaf', price: 390 },
  { productId: 'croissant', sku: 'CRS-01', name: 'Butter croissant', price: 145 },
  { productId: 'retired', sku: 'OLD-01', name: 'Retired bun', price: 100, active: false },
];
const QUICK_KEYS = [
  { label: 'Bread', productId: 'bread' },
  { label: 'Croissant', productId: 'croissant' },
  { label: 'Coffee 250 g', productId: 'coffee' },
  // Not sold any more: the till leaves this key out.
  { label: 'Old bun', productId: 'retired' },
];
const CUSTOM_LINES = { allowed: true, maxAmount: 50_00, taxCategory: 'standard' };

let till: TillSystem;
let page: Page;

const totalShown = (text: string) => page.getByTestId('cart-total').filter({ hasText: text }).waitFor();
const keyLabels = () => page.locator('[data-testid="quick-key"] .label').allTextContents();

beforeAll(async () => {
  till = await startTillSystem({
    name: 'quick-keys',
    enrolmentCode: CODE,
    viewport: SCREEN_VIEWPORT,
    beforeTill: async (serverUrl, hqToken) => {
      const products = BAKERY.map(({ active = true, ...product }) => ({
        ...product,
        barcodes: [],
        currency: 'EUR',
        taxCategory: 'reduced',
        tags: ['bakery'],
        active,
      }));
      const answer = await hqRequest(serverUrl, hqToken, 'PUT', '/v1/hq/catalog', { products });
      if (answer.status !== 200) throw new Error(`catalog: ${answer.status} ${JSON.stringify(answer.body)}`);
      await putTerminalConfig(serverUrl, hqToken, { quickKeys: QUICK_KEYS, customLines: CUSTOM_LINES });
    },
  });
  page = till.page;
  await openShiftAtTill(till.terminalUrl);
  await page.goto(till.terminalUrl);
  await signIn(page, CASHIER.number, CASHIER.pin);
});

afterAll(async () => {
  await till?.stop();
});

describe('quick keys and custom amounts on the sale screen (issue 17)', () => {
  it("shows the store's quick keys in HQ's order, leaving out a product no longer sold", async () => {
    await page.getByTestId('quick-key').first().waitFor();
    expect(await keyLabels()).toEqual(['Bread', 'Croissant', 'Coffee 250 g']);
    expect(await page.getByTestId('quick-key').first().textContent()).toContain('Alt+1');
    const sizes = await page
      .getByTestId('quick-key')
      .evaluateAll((keys) => keys.map((key) => key.getBoundingClientRect().height));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(48);
    // From 600 px wide to full HD the keys wrap into the panel: nothing scrolls sideways.
    for (const width of [600, 1024, 1920]) {
      await page.setViewportSize({ width, height: 800 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `at ${width} px`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize(SCREEN_VIEWPORT);
  });

  it('a tap adds the item as a scan would; Alt+2 adds the second key', async () => {
    await page.getByTestId('quick-key').filter({ hasText: 'Bread' }).click();
    await totalShown('EUR 3.90');
    await page.keyboard.press('Alt+2');
    await totalShown('EUR 5.35');
    await scan(page, '4006381333931');
    await totalShown('EUR 7.85');
  });

  it('F10 keys a custom amount: a description and an amount on the pad; the line shows as custom', async () => {
    await page.keyboard.press('F10');
    await page.getByTestId('custom-dialog').waitFor();
    await page
      .getByTestId('custom-description')
      .pressSequentially('Cake order deposit', { delay: KEY_GAP_MS / 4 });
    await page.getByTestId('custom-amount-input').click();
    for (const key of ['2', '0', '.', '5']) await page.getByTestId(`pad-${key}`).click();
    await saveScreen(page, 'custom-amount');
    await page.getByTestId('custom-ok').click();
    await page.getByTestId('custom-dialog').waitFor({ state: 'detached' });
    await totalShown('EUR 28.35');
    const custom = page.getByTestId('cart-line').filter({ has: page.getByTestId('line-custom') });
    expect(await custom.locator('td').first().textContent()).toBe('Cake order depositCustom amount');
  });

  it('refuses an amount above the store limit in the dialog, adding nothing', async () => {
    await page.getByTestId('custom-amount').click();
    await page.getByTestId('custom-description').fill('Wedding cake');
    await page.getByTestId('custom-amount-input').fill('75.00');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('custom-error').textContent()).toBe(
      'At most EUR 50.00 for a custom amount at this store',
    );
    await page.keyboard.press('Escape');
    await page.getByTestId('custom-dialog').waitFor({ state: 'detached' });
    expect(await page.getByTestId('cart-line').count()).toBe(4);
    await saveScreen(page, 'quick-keys');
  });

  it('Pay records a sale v6 whose custom line says so, and the receipt prints it', async () => {
    await page.getByTestId('cash-tendered').fill('30.00');
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 1.65');
    const [sale] = journalEvents(till.ledgerPath).filter((event) => event.type === 'sale');
    expect(sale?.schema).toBe(6);
    expect(sale?.payload).toMatchObject({
      total: 28_35,
      lines: [
        expect.objectContaining({ productId: 'bread', kind: 'product', quantity: 1, unitPrice: 390 }),
        expect.objectContaining({ productId: 'croissant', kind: 'product', quantity: 1 }),
        expect.objectContaining({ productId: 'pen', kind: 'product' }),
        expect.objectContaining({
          productId: 'custom',
          kind: 'custom',
          name: 'Cake order deposit',
          quantity: 1,
          unitPrice: 20_50,
          priceEntered: true,
          taxCategory: 'standard',
        }),
      ],
    });
    await expect.poll(() => till.printer.receipts.length).toBe(1);
    expect(till.printer.receipts[0]!.text).toMatch(/Cake order deposit\s+20\.50/);
  });

  it('a store that does not allow custom amounts shows no key, and its till refuses one', async () => {
    await putTerminalConfig(till.serverUrl, till.hqToken, {
      quickKeys: QUICK_KEYS.slice(0, 1),
      customLines: { ...CUSTOM_LINES, allowed: false },
    });
    // The till pulls HQ's change within a minute and pushes it to the screen.
    await page.getByTestId('custom-amount').waitFor({ state: 'detached', timeout: 100_000 });
    expect(await keyLabels()).toEqual(['Bread']);
    await page.keyboard.press('F10');
    await page.getByTestId('notice').filter({ hasText: 'does not allow custom amounts' }).waitFor();
    expect(await page.getByTestId('custom-dialog').count()).toBe(0);
    const refused = await callHost(till.terminalUrl, 'sale.quote', {
      currency: 'EUR',
      lines: [
        {
          lineId: 'l1',
          productId: 'custom',
          barcode: null,
          quantity: 1,
          custom: { description: 'Cake order deposit', amount: 20_50 },
        },
      ],
    });
    expect(refused.error).toMatchObject({ code: 'custom_lines_not_allowed' });
  });
});
