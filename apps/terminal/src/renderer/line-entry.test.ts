import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { ProductView } from '../contract/methods.js';
import { WEIGHED_QUANTITY_WORDS } from './cart-edit-slice.js';
import { entrySteps, parseWeight, weightWords } from './line-entry-slice.js';
import { pen, setup } from './test-host.js';

const apples: ProductView = {
  ...pen,
  productId: 'apples',
  name: 'Apples',
  barcode: '2812340000002',
  unitPrice: 399,
  measure: 'kg',
};
const cherries: ProductView = {
  ...apples,
  productId: 'cherries',
  name: 'Cherries',
  measure: 'lb',
  unitPrice: 599,
};
const flowers: ProductView = {
  ...pen,
  productId: 'flowers',
  name: 'Flowers',
  openPrice: { min: 100, max: 5000 },
};
const wine: ProductView = { ...pen, productId: 'wine', name: 'Red wine', unitPrice: 899, minimumAge: 18 };
const NOW = Date.parse('2026-11-25T12:00:00.000Z');

const till = () => setup(() => null, { now: () => NOW });
const sentLines = (host: Awaited<ReturnType<typeof till>>['host']) =>
  host.calls.filter((c) => c.method === 'sale.quote').at(-1)?.params.lines;

describe('typing a weight', () => {
  it('reads kilograms (pounds) with up to 3 decimals as an integer of thousandths, without floats', () => {
    expect(parseWeight('0.512')).toBe(512);
    expect(parseWeight('1')).toBe(1000);
    expect(parseWeight('1.5')).toBe(1500);
    expect(parseWeight('0,25')).toBe(250);
    expect(parseWeight('.005')).toBe(5);
    expect(parseWeight('1000')).toBe(1_000_000);
    for (const bad of ['', '0', '0.000', '1.2345', 'abc', '-1', '1001', '1e3', '.']) {
      expect(parseWeight(bad), bad).toBeNull();
    }
  });

  it('shows a weighed line as weight × price per kg', () => {
    expect(
      weightWords({ measure: { unit: 'g', value: 512, source: 'manual' }, pricePerUnit: 399 }, 'EUR'),
    ).toBe('0.512 kg × 3.99 /kg');
    expect(
      weightWords({ measure: { unit: 'mlb', value: 1250, source: 'manual' }, pricePerUnit: 599 }, 'USD'),
    ).toBe('1.250 lb × 5.99 /lb');
  });
});

describe('adding a product that needs the cashier first', () => {
  it('knows what each product asks, the age check first', () => {
    expect(entrySteps(pen)).toEqual([]);
    expect(entrySteps(apples)).toEqual(['weight']);
    expect(entrySteps({ ...apples, embedded: { kind: 'weight', unit: 'g', value: 700 } })).toEqual([]);
    expect(entrySteps(flowers)).toEqual(['price']);
    expect(entrySteps({ ...wine, openPrice: { min: 1, max: 2 } })).toEqual(['age', 'price']);
  });

  it('a weighed product asks its weight, and each weighing is a line of its own sent with its weight', async () => {
    const { store, host } = await till();
    store.getState().addProduct(apples);
    expect(store.getState().lineEntry).toMatchObject({ step: 'weight' });
    expect(store.getState().cart.lines).toEqual([]);
    expect(store.getState().enterWeight('0.5127')).toBe(false);
    expect(store.getState().lineEntry?.error).toMatch(/not a weight/);
    store.getState().clearLineEntryError();
    expect(store.getState().lineEntry).toMatchObject({ step: 'weight', error: null });
    expect(store.getState().enterWeight('0.512')).toBe(true);
    store.getState().addProduct(apples);
    store.getState().enterWeight('1');
    const lines = store.getState().cart.lines;
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      quantity: 1,
      unitPrice: 204,
      measure: { unit: 'g', value: 512, source: 'manual' },
    });
    await expect
      .poll(() => sentLines(host))
      .toEqual([
        {
          lineId: 'l1',
          productId: 'apples',
          barcode: '2812340000002',
          quantity: 1,
          measure: { unit: 'g', value: 512, source: 'manual' },
        },
        {
          lineId: 'l2',
          productId: 'apples',
          barcode: '2812340000002',
          quantity: 1,
          measure: { unit: 'g', value: 1000, source: 'manual' },
        },
      ]);
    // Its quantity stays 1.
    expect(store.getState().setQuantity('l1', 2)).toBe(false);
    expect(store.getState().notice?.text).toBe(WEIGHED_QUANTITY_WORDS);
  });

  it('a product priced per pound takes its weight in pounds', async () => {
    const { store } = await till();
    store.getState().addProduct(cherries);
    store.getState().enterWeight('1.25');
    expect(store.getState().cart.lines[0]?.measure).toEqual({ unit: 'mlb', value: 1250, source: 'manual' });
  });

  it('a weight-embedded label is added at once with the weight it carries (source barcode)', async () => {
    const { store } = await till();
    const label = {
      ...apples,
      barcode: '2812344005126',
      embedded: { kind: 'weight' as const, unit: 'g' as const, value: 512 },
    };
    store.getState().addProduct(label);
    store.getState().addProduct(label);
    expect(store.getState().lineEntry).toBeNull();
    expect(store.getState().cart.lines.map((l) => l.measure)).toEqual([
      { unit: 'g', value: 512, source: 'barcode' },
      { unit: 'g', value: 512, source: 'barcode' },
    ]);
  });

  it('a price-embedded label is added with its price as the entered price', async () => {
    const { store } = await till();
    store
      .getState()
      .addProduct({ ...pen, barcode: '2256785012990', embedded: { kind: 'price', amount: 1299 } });
    expect(store.getState().cart.lines[0]).toMatchObject({ enteredPrice: 1299, unitPrice: 1299 });
  });

  it('an open-price product asks its price within its limits', async () => {
    const { store } = await till();
    store.getState().addProduct(flowers);
    expect(store.getState().enterPrice('0.99')).toBe(false);
    expect(store.getState().lineEntry?.error).toBe('Key a price from EUR 1.00 to EUR 50.00');
    expect(store.getState().enterPrice('twelve')).toBe(false);
    expect(store.getState().enterPrice('12.50')).toBe(true);
    expect(store.getState().cart.lines[0]).toMatchObject({
      enteredPrice: 1250,
      unitPrice: 1250,
      quantity: 1,
    });
  });

  it('an age-restricted product asks before it is added: refused, nothing is added', async () => {
    const { store } = await till();
    store.getState().addProduct(wine);
    expect(store.getState().lineEntry?.step).toBe('age');
    store.getState().refuseAge();
    expect(store.getState().lineEntry).toBeNull();
    expect(store.getState().cart.lines).toEqual([]);
    expect(store.getState().notice?.text).toMatch(/not sold/);
  });

  it('an age check confirmed adds the line with who checked, how and when', async () => {
    const { store, host } = await till();
    store.getState().addProduct(wine);
    store.getState().confirmAge('id-checked');
    const check = {
      minimumAge: 18,
      method: 'id-checked',
      checkedBy: 'emp-ada',
      checkedAt: '2026-11-25T12:00:00.000Z',
    };
    expect(store.getState().cart.lines[0]?.ageCheck).toEqual(check);
    await expect
      .poll(() => sentLines(host))
      .toEqual([expect.objectContaining({ productId: 'wine', ageCheck: check })]);
  });

  it('cancel (Esc) adds nothing, and another scan waits until the one being added is done', async () => {
    const { store } = await till();
    store.getState().addProduct(apples);
    store.getState().addProduct(pen);
    expect(store.getState().notice?.text).toBe('Finish adding Apples first');
    store.getState().cancelLineEntry();
    expect(store.getState().cart.lines).toEqual([]);
    store.getState().addProduct(pen);
    store.getState().addProduct(pen);
    expect(store.getState().cart.lines).toMatchObject([{ productId: 'pen', quantity: 2 }]);
  });
});
