import { gtinCheckDigit, priceWeightCheckDigit } from '@tillwright/devices';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASHIER, hqRequest, putTerminalConfig, signIn } from './employees.js';
import { callHost, journalEvents, openShiftAtTill } from './observe.js';
import { eventually } from './processes.js';
import { SCREEN_VIEWPORT, saveScreen } from './screens.js';
import { KEY_GAP_MS, scan } from './shift-screens.js';
import { payloadsAtHq, startTillSystem, type TillSystem } from './till-system.js';

/**
 * Issue 17, points 1, 3, 6 and 10, in Chromium against browser mode, a real server and the printer emulator: HQ lists
 * a product sold by the kilogram, an open-price one and an age-restricted one, and sets the store's barcode rules
 * (`de`). The cashier weighs apples by typing their weight, scans a label that carries its weight, keys the price of
 * flowers within their limits, refuses wine once (nothing added) and sells it after checking ID; Pay records sale v6
 * lines with the weights and the check, and the printed receipt shows weight × price per kg.
 */

const CODE = 'E2E-WEIGHED-AGE-0001';

/** A German variable-measure EAN-13: prefix, 4-digit item, the value's verifier digit, 5-digit value, check digit. */
function germanLabel(prefix: string, item: string, value: number): string {
  const digits = String(value).padStart(5, '0');
  const body = `${prefix}${item}${priceWeightCheckDigit(digits)}${digits}`;
  return `${body}${gtinCheckDigit(body)}`;
}
const ean13 = (twelve: string) => `${twelve}${gtinCheckDigit(twelve)}`;

const APPLES = germanLabel('28', '1234', 0);
const APPLES_1234_G = germanLabel('28', '1234', 1234);
const FLOWERS = ean13('400000000101');
const WINE = ean13('400000000202');
const base = { currency: 'EUR', taxCategory: 'reduced', tags: [], active: true };
const PRODUCTS = [
  {
    ...base,
    productId: 'apples',
    sku: 'APL-1',
    name: 'Apples, Elstar',
    barcodes: [APPLES],
    price: 399,
    measure: 'kg',
  },
  {
    ...base,
    productId: 'flowers',
    sku: 'FLW-1',
    name: 'Flower bouquet',
    barcodes: [FLOWERS],
    price: 0,
    taxCategory: 'standard',
    openPrice: { min: 100, max: 5000 },
  },
  {
    ...base,
    productId: 'wine',
    sku: 'WIN-1',
    name: 'Red wine, Rioja',
    barcodes: [WINE],
    price: 899,
    taxCategory: 'standard',
    minimumAge: 18,
  },
];

let till: TillSystem;
let page: Page;

const totalShown = (text: string) => page.getByTestId('cart-total').filter({ hasText: text }).waitFor();
const lineNamed = (name: string) => page.getByTestId('cart-line').filter({ hasText: name });

beforeAll(async () => {
  till = await startTillSystem({
    name: 'weighed-age',
    enrolmentCode: CODE,
    viewport: SCREEN_VIEWPORT,
    beforeTill: async (serverUrl, hqToken) => {
      const put = await hqRequest(serverUrl, hqToken, 'PUT', '/v1/hq/catalog', { products: PRODUCTS });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      await putTerminalConfig(serverUrl, hqToken, { barcodeRegion: 'de' });
    },
  });
  page = till.page;
  await eventually(
    async () =>
      (await callHost(till.terminalUrl, 'catalog.lookup', { barcode: WINE })).result ? true : undefined,
    'the catalog on the till',
  );
  await openShiftAtTill(till.terminalUrl);
  await page.goto(till.terminalUrl);
  await signIn(page, CASHIER.number, CASHIER.pin);
});

afterAll(() => till?.stop());

describe('weighed, open-price and age-restricted items on the screen (issue 17)', () => {
  it('a label carrying its weight is added at once, as weight × price per kg', async () => {
    await scan(page, APPLES_1234_G);
    await lineNamed('Apples').getByTestId('line-weight').filter({ hasText: '1.234 kg × 3.99 /kg' }).waitFor();
    await totalShown('EUR 4.92'); // 1.234 × 3.99 = 4.92366
  });

  it('an apple without a weight on its label asks for it: 0.512 typed in kg', async () => {
    await scan(page, APPLES);
    await page.getByTestId('weight-dialog').waitFor();
    await page.getByTestId('weight-input').focus();
    await page.keyboard.type('0.5127', { delay: KEY_GAP_MS });
    await page.keyboard.press('Enter');
    await page.getByTestId('weight-error').filter({ hasText: 'is not a weight' }).waitFor();
    await page.getByTestId('pad-clear').click();
    // Typing again takes the refusal away.
    await page.getByTestId('weight-error').waitFor({ state: 'detached' });
    for (const key of ['0', '.', '5', '1', '2']) await page.getByTestId(`pad-${key}`).click();
    await saveScreen(page, 'weighed-item');
    await page.keyboard.press('Enter');
    await page.getByTestId('weight-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('line-weight').filter({ hasText: '0.512 kg × 3.99 /kg' }).waitFor();
    await totalShown('EUR 6.96'); // + 2.04288 → 2.04
    expect(await lineNamed('Apples').count()).toBe(2);
  });

  it('an open-price item asks its price, within its limits', async () => {
    await scan(page, FLOWERS);
    await page.getByTestId('price-dialog').getByText('from EUR 1.00 to EUR 50.00').waitFor();
    await page.keyboard.type('60', { delay: KEY_GAP_MS });
    await page.keyboard.press('Enter');
    await page
      .getByTestId('price-error')
      .filter({ hasText: 'Key a price from EUR 1.00 to EUR 50.00' })
      .waitFor();
    await page.getByTestId('price-input').fill('12.50');
    await page.keyboard.press('Enter');
    await page.getByTestId('price-dialog').waitFor({ state: 'detached' });
    await totalShown('EUR 19.46');
  });

  it('an age-restricted item asks first: refused, nothing is added; then ID checked, it is added with the mark', async () => {
    await scan(page, WINE);
    await page.getByTestId('age-dialog').getByText('Customer must be 18+. Check ID.').waitFor();
    await saveScreen(page, 'age-check');
    await page.keyboard.press('Escape');
    await page.getByTestId('age-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('notice').filter({ hasText: 'was not sold' }).waitFor();
    expect(await lineNamed('Red wine').count()).toBe(0);

    await scan(page, WINE);
    await page.getByTestId('age-id-checked').waitFor();
    // Keyboard: the first button has focus; Enter confirms "ID checked".
    await page.keyboard.press('Enter');
    await lineNamed('Red wine')
      .getByTestId('line-age-checked')
      .filter({ hasText: 'Age 18+ checked (ID)' })
      .waitFor();
    await totalShown('EUR 28.45');
  });

  it('Pay records sale v6 lines with the weights, the keyed price and the check; the receipt shows weight × price', async () => {
    await page.getByTestId('cash-tendered').fill('30.00');
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 1.55');
    const sale = journalEvents(till.ledgerPath).find((event) => event.type === 'sale');
    expect(sale?.schema).toBe(6);
    const payload = sale?.payload as { employeeId: string; lines: Record<string, unknown>[] };
    expect(payload.lines).toEqual([
      expect.objectContaining({
        productId: 'apples',
        barcode: APPLES_1234_G,
        quantity: 1,
        catalogUnitPrice: 492,
        measure: { unit: 'g', value: 1234, pricePerUnit: 399, source: 'barcode' },
      }),
      expect.objectContaining({
        productId: 'apples',
        catalogUnitPrice: 204,
        measure: { unit: 'g', value: 512, pricePerUnit: 399, source: 'manual' },
      }),
      expect.objectContaining({ productId: 'flowers', catalogUnitPrice: 1250, priceEntered: true }),
      expect.objectContaining({
        productId: 'wine',
        ageCheck: expect.objectContaining({
          minimumAge: 18,
          method: 'id-checked',
          checkedBy: payload.employeeId,
        }),
      }),
    ]);
    await eventually(() => (till.printer.receipts.length >= 1 ? true : undefined), 'the receipt printed');
    const printed = till.printer.receipts.at(-1)!.text;
    expect(printed).toMatch(/1\.234 kg x (EUR )?3\.99/);
    expect(printed).toMatch(/0\.512 kg x (EUR )?3\.99/);
  });

  it('HQ stores the sale with its weighed lines and the check, and flags none of its prices', async () => {
    const [sale] = await eventually(async () => {
      const sales = await payloadsAtHq(till, 'sale');
      return sales.length > 0 ? sales : undefined;
    }, 'the sale at HQ');
    expect(
      (sale as { lines: { measure: unknown; ageCheck: unknown }[] }).lines.map((line) => line.measure),
    ).toEqual([
      expect.objectContaining({ value: 1234, source: 'barcode' }),
      expect.objectContaining({ value: 512, source: 'manual' }),
      null,
      null,
    ]);
    const exceptions = await hqRequest(till.serverUrl, till.hqToken, 'GET', '/v1/hq/exceptions');
    expect((exceptions.body as { exceptions: { kind: string }[] }).exceptions).toEqual([]);
  });
});
