import { type CatalogProduct, DEFAULT_TERMINAL_CONFIG, KNOWN_EVENT_VERSIONS } from '@tillwright/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { SaleLineRequest } from '../contract/methods.js';
import { lookupProduct } from './product-lookup.js';
import { receiptAdjustments } from './receipt-adjustments.js';
import { receiptItems } from './receipt-layout.js';
import { germanLabel } from './test-labels.js';
import {
  cleanUpTills,
  journalEvents,
  openShiftIn,
  STAFF,
  saleServiceFor,
  staffedTill,
} from './test-support.js';

afterEach(cleanUpTills);

const product = (
  fields: Partial<CatalogProduct> & Pick<CatalogProduct, 'productId' | 'name'>,
): CatalogProduct => ({
  sku: fields.productId.toUpperCase(),
  barcodes: [],
  currency: 'EUR',
  price: 399,
  taxCategory: 'reduced',
  tags: [],
  active: true,
  version: 10,
  ...fields,
});

const APPLES_LABEL = germanLabel('28', '1234', 0);
const CHEESE_LABEL = germanLabel('22', '5678', 0);
const PRODUCTS = [
  product({ productId: 'apples', name: 'Apples', measure: 'kg', barcodes: [APPLES_LABEL] }),
  product({ productId: 'cherries', name: 'Cherries', measure: 'lb', price: 599 }),
  product({
    productId: 'flowers',
    name: 'Flowers',
    taxCategory: 'standard',
    openPrice: { min: 100, max: 5000 },
  }),
  product({ productId: 'cheese', name: 'Cheese by the piece', barcodes: [CHEESE_LABEL], price: 0 }),
  product({ productId: 'wine', name: 'Red wine', taxCategory: 'standard', price: 899, minimumAge: 18 }),
];

/** A staffed till, its shift open, with the products above and the store's barcode rules (`de` by default). */
async function till(region: string | null = 'de') {
  const t = await staffedTill(STAFF.cashier);
  openShiftIn(t.ledger);
  t.ledger.catalog.applyBatch(PRODUCTS, 10);
  const version = t.ledger.feed.cursor() + 1;
  t.ledger.feed.apply(
    [
      {
        kind: 'config',
        version,
        storeId: null,
        config: { ...DEFAULT_TERMINAL_CONFIG, barcodeRegion: region },
      },
    ],
    version,
  );
  return { ...t, sales: saleServiceFor(t) };
}
type Till = Awaited<ReturnType<typeof till>>;

const line = (fields: Partial<SaleLineRequest> & Pick<SaleLineRequest, 'productId'>): SaleLineRequest => ({
  lineId: 'l1',
  barcode: null,
  quantity: 1,
  ...fields,
});

const manual = (value: number, unit: 'g' | 'mlb' = 'g') => ({ unit, value, source: 'manual' as const });

const ageCheck = (fields: Partial<NonNullable<SaleLineRequest['ageCheck']>> = {}) => ({
  minimumAge: 18,
  method: 'id-checked' as const,
  checkedBy: STAFF.cashier.employeeId,
  checkedAt: '2026-11-25T11:59:00.000Z',
  ...fields,
});

function pay(t: Till, lines: SaleLineRequest[]) {
  return t.sales.complete({
    saleId: t.nextSaleId(),
    currency: 'EUR',
    lines,
    tenders: [{ kind: 'cash', tendered: 100_000 }],
  });
}

const sales = (t: Till) => journalEvents(t.ledger).flatMap((e) => (e.type === 'sale' ? [e.payload] : []));

/** The line is refused with `code`, at quote and at Pay, and nothing is recorded. */
async function expectRefused(t: Till, request: SaleLineRequest, code: string, message?: RegExp) {
  const before = journalEvents(t.ledger).length;
  await expect(async () => t.sales.quote({ currency: 'EUR', lines: [request] })).rejects.toMatchObject({
    code,
  });
  const refused = pay(t, [request]);
  await expect(refused).rejects.toMatchObject({ code });
  if (message) await expect(refused).rejects.toThrow(message);
  expect(journalEvents(t.ledger)).toHaveLength(before);
}

describe('a weighed item (decision 0019)', () => {
  it('is priced weight × price per kg, rounded half up, and its weight recorded on the line', async () => {
    const t = await till();
    const quote = await t.sales.quote({
      currency: 'EUR',
      lines: [line({ productId: 'apples', measure: manual(512) })],
    });
    // 0.512 kg × 3.99 = 2.04288 → 2.04
    expect(quote.lines[0]).toMatchObject({ unitPrice: 204 });
    expect(quote.total).toBe(204);
    await pay(t, [
      line({ productId: 'apples', measure: manual(512) }),
      line({ lineId: 'l2', productId: 'apples', measure: manual(500) }),
    ]);
    const [sale] = sales(t);
    expect(sale?.lines[0]).toMatchObject({
      quantity: 1,
      catalogUnitPrice: 204,
      measure: { unit: 'g', value: 512, pricePerUnit: 399, source: 'manual' },
      priceEntered: false,
    });
    // 0.5 kg × 3.99 = 1.995 → 2.00: a half rounds up
    expect(sale?.lines[1]).toMatchObject({ catalogUnitPrice: 200 });
  });

  it('prints as its weight × the price per kg, on the sale receipt and on a void slip', async () => {
    const t = await till();
    await pay(t, [line({ productId: 'apples', measure: manual(512) })]);
    const event = journalEvents(t.ledger).find((e) => e.type === 'sale');
    if (event?.type !== 'sale') throw new Error('no sale recorded');
    const weighed = expect.objectContaining({
      name: 'Apples',
      quantity: 0.512,
      unit: 'kg',
      unitPrice: 399,
      amount: 204,
    });
    expect(receiptAdjustments(event.payload).items).toEqual([weighed]);
    expect(receiptItems(event)).toEqual([weighed]);
  });

  it('priced per pound, takes thousandths of a pound', async () => {
    const t = await till();
    const quote = await t.sales.quote({
      currency: 'EUR',
      lines: [line({ productId: 'cherries', measure: manual(1250, 'mlb') })],
    });
    expect(quote.lines[0]?.unitPrice).toBe(749); // 1.25 lb × 5.99 = 7.4875 → 7.49
  });

  it('refuses a weighed line without its weight, of another quantity, in the other unit, or from a scale', async () => {
    const t = await till();
    await expectRefused(t, line({ productId: 'apples' }), 'weight_required', /key its weight/);
    await expectRefused(
      t,
      line({ productId: 'apples', quantity: 2, measure: manual(500) }),
      'weighed_quantity',
    );
    await expectRefused(
      t,
      line({ productId: 'apples', measure: manual(500, 'mlb') }),
      'weight_unit_mismatch',
    );
    await expectRefused(
      t,
      line({ productId: 'cherries', measure: manual(500, 'g') }),
      'weight_unit_mismatch',
    );
    await expectRefused(
      t,
      line({ productId: 'apples', measure: { unit: 'g', value: 500, source: 'scale' } }),
      'no_scale',
    );
    await expectRefused(
      t,
      line({ productId: 'apples', measure: manual(500), enteredPrice: 100 }),
      'price_not_open',
    );
  });

  it('refuses a weight on a product sold by the unit', async () => {
    const t = await till();
    await expectRefused(
      t,
      line({ productId: 'wine', measure: manual(500), ageCheck: ageCheck() }),
      'not_sold_by_weight',
    );
  });

  it('weighed on a label: the scan answers the product with the weight, and Pay checks the label says it', async () => {
    const t = await till();
    const label = germanLabel('28', '1234', 1234);
    expect(lookupProduct(t.ledger.catalog, label, 'de')).toMatchObject({
      productId: 'apples',
      barcode: label,
      measure: 'kg',
      embedded: { kind: 'weight', unit: 'g', value: 1234 },
    });
    // The item code itself is the product, with nothing carried: the screen asks the weight.
    expect(lookupProduct(t.ledger.catalog, APPLES_LABEL, 'de')).toMatchObject({
      productId: 'apples',
      embedded: null,
    });
    // Without barcode rules the label is just an unknown barcode.
    expect(lookupProduct(t.ledger.catalog, label, null)).toBeNull();

    const fromLabel = { unit: 'g' as const, value: 1234, source: 'barcode' as const };
    await pay(t, [line({ productId: 'apples', barcode: label, measure: fromLabel })]);
    expect(sales(t)[0]?.lines[0]).toMatchObject({
      barcode: label,
      catalogUnitPrice: 492, // 1.234 × 3.99 = 4.92366
      measure: { ...fromLabel, pricePerUnit: 399 },
    });
    await expectRefused(
      t,
      line({ productId: 'apples', barcode: label, measure: { ...fromLabel, value: 1000 } }),
      'barcode_weight_mismatch',
    );
    await expectRefused(
      t,
      line({ productId: 'apples', barcode: null, measure: fromLabel }),
      'barcode_weight_mismatch',
    );
  });

  it('weighed on a label, at a till without barcode rules: the weight is not taken from it', async () => {
    const t = await till(null);
    const label = germanLabel('28', '1234', 1234);
    await expectRefused(
      t,
      line({ productId: 'apples', barcode: label, measure: { unit: 'g', value: 1234, source: 'barcode' } }),
      'barcode_weight_mismatch',
    );
  });
});

describe('an open-price item', () => {
  it('is sold at the price keyed, recorded as its catalog price with priceEntered', async () => {
    const t = await till();
    await pay(t, [line({ productId: 'flowers', enteredPrice: 1250 })]);
    expect(sales(t)[0]?.lines[0]).toMatchObject({
      catalogUnitPrice: 1250,
      unitPrice: 1250,
      priceEntered: true,
      measure: null,
    });
  });

  it('needs a price, within its limits (the limits said in money)', async () => {
    const t = await till();
    await expectRefused(t, line({ productId: 'flowers' }), 'price_required');
    await expectRefused(
      t,
      line({ productId: 'flowers', enteredPrice: 99 }),
      'price_out_of_range',
      /1\.00 EUR to 50\.00 EUR/,
    );
    await expectRefused(t, line({ productId: 'flowers', enteredPrice: 5001 }), 'price_out_of_range');
    await pay(t, [
      line({ productId: 'flowers', enteredPrice: 100 }),
      line({ lineId: 'l2', productId: 'flowers', enteredPrice: 5000 }),
    ]);
    expect(sales(t)).toHaveLength(1);
  });

  it('a keyed price on a product sold at its price is refused', async () => {
    const t = await till();
    await expectRefused(t, line({ productId: 'apples', enteredPrice: 100 }), 'weight_required');
    await expectRefused(
      t,
      line({ productId: 'wine', enteredPrice: 100, ageCheck: ageCheck() }),
      'price_not_open',
    );
  });

  it('priced on a label: the scan answers the label price, sold at it with the label kept on the line', async () => {
    const t = await till();
    const label = germanLabel('22', '5678', 1299);
    expect(lookupProduct(t.ledger.catalog, label, 'de')).toMatchObject({
      productId: 'cheese',
      embedded: { kind: 'price', amount: 1299 },
    });
    await pay(t, [line({ productId: 'cheese', barcode: label, enteredPrice: 1299 })]);
    expect(sales(t)[0]?.lines[0]).toMatchObject({
      barcode: label,
      catalogUnitPrice: 1299,
      priceEntered: true,
    });
    await expectRefused(
      t,
      line({ productId: 'cheese', barcode: label, enteredPrice: 999 }),
      'price_not_open',
    );
  });
});

describe('an age-restricted item', () => {
  it('records the check: its minimum age, how, by whom and when', async () => {
    const t = await till();
    await pay(t, [line({ productId: 'wine', ageCheck: ageCheck({ method: 'visibly-over-age' }) })]);
    expect(sales(t)[0]?.lines[0]?.ageCheck).toEqual({
      minimumAge: 18,
      method: 'visibly-over-age',
      checkedBy: STAFF.cashier.employeeId,
      checkedAt: '2026-11-25T11:59:00.000Z',
    });
  });

  it('is refused unchecked, checked for a lower age, by nobody of this store, or dated in the future', async () => {
    const t = await till();
    await expectRefused(t, line({ productId: 'wine' }), 'age_check_required', /18 or older/);
    await expectRefused(
      t,
      line({ productId: 'wine', ageCheck: ageCheck({ minimumAge: 16 }) }),
      'age_check_required',
    );
    await expectRefused(
      t,
      line({ productId: 'wine', ageCheck: ageCheck({ checkedBy: 'emp-stranger' }) }),
      'age_check_employee',
    );
    // The till's clock says 12:00: a few minutes of drift pass, more do not.
    await pay(t, [
      line({ productId: 'wine', ageCheck: ageCheck({ checkedAt: '2026-11-25T12:04:00.000Z' }) }),
    ]);
    await expectRefused(
      t,
      line({ productId: 'wine', ageCheck: ageCheck({ checkedAt: '2026-11-25T12:06:00.000Z' }) }),
      'age_check_in_future',
    );
  });

  it('a check on a product that needs none is refused', async () => {
    const t = await till();
    await expectRefused(
      t,
      line({ productId: 'flowers', enteredPrice: 500, ageCheck: ageCheck() }),
      'age_check_not_needed',
    );
  });
});

describe('a till whose server takes only sales up to version 5', () => {
  it('refuses a weighed, keyed-price or age-checked line (it could not be recorded), and sells the rest', async () => {
    const t = await till();
    t.ledger.serverContact.recordVersions({
      events: { ...KNOWN_EVENT_VERSIONS, sale: [1, 2, 3, 4, 5] },
      feed: {},
      config: [1, 2, 3],
    });
    await expectRefused(t, line({ productId: 'apples', measure: manual(500) }), 'server_too_old');
    await expectRefused(t, line({ productId: 'flowers', enteredPrice: 500 }), 'server_too_old');
    await expectRefused(t, line({ productId: 'wine', ageCheck: ageCheck() }), 'server_too_old');
    await pay(t, [line({ productId: 'pen' })]);
    expect(sales(t)).toHaveLength(1);
  });
});
