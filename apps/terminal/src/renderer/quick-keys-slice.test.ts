import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { CustomLinesView, QuickKeysView } from '../contract/methods.js';
import { CUSTOM_QUANTITY_WORDS } from './cart-edit-slice.js';
import { CUSTOM_LINES_OFF_WORDS, DESCRIPTION_WORDS } from './quick-keys-slice.js';
import { pen, sessionOf, setup } from './test-host.js';

/** Quick keys and custom-amount lines on the sale screen (issue 17, point 1), against the host stand-in. */

const bread = {
  ...pen,
  productId: 'bread',
  sku: 'BREAD',
  name: 'Sourdough loaf',
  barcode: null,
  unitPrice: 390,
};
const KEYS: QuickKeysView = {
  keys: [
    { label: 'Bread', product: bread },
    { label: 'Pen', product: pen },
  ],
  leftOut: 1,
};
const ALLOWED: CustomLinesView = { allowed: true, maxAmount: 50_00, currency: 'EUR' };

/** A till whose host answers these quick keys and custom-line rules. */
const till = (customLines: CustomLinesView = ALLOWED, dbName?: string) =>
  setup(
    (method) => {
      if (method === 'catalog.quickKeys') return KEYS;
      if (method === 'sale.customLines') return customLines;
      return null;
    },
    dbName ? { dbName } : {},
  );
const quoted = (host: Awaited<ReturnType<typeof till>>['host']) =>
  host.calls.filter((call) => call.method === 'sale.quote').at(-1)?.params;

describe('quick keys', () => {
  it("shows the host's keys, and a tap adds the product as a scan of it would, one more on the next tap", async () => {
    const { store } = await till();
    await expect.poll(() => store.getState().quickKeys).toEqual(KEYS);
    store.getState().tapQuickKey(0);
    store.getState().tapQuickKey(0);
    store.getState().tapQuickKey(1);
    expect(
      store.getState().cart.lines.map(({ productId, name, quantity }) => [productId, name, quantity]),
    ).toEqual([
      ['bread', 'Sourdough loaf', 2],
      ['pen', 'Pen', 1],
    ]);
    // A key past the last does nothing.
    store.getState().tapQuickKey(8);
    expect(store.getState().cart.lines).toHaveLength(2);
  });

  it('adds nothing while nobody is signed in, like a scan', async () => {
    const { store } = await till();
    await expect.poll(() => store.getState().quickKeys).toEqual(KEYS);
    store.setState({ session: sessionOf('signed-out') });
    store.getState().tapQuickKey(0);
    expect(store.getState().cart.lines).toEqual([]);
  });

  it('follows what the host pushes when HQ changes the keys or the rules', async () => {
    const { store, host } = await till();
    await expect.poll(() => store.getState().quickKeys).toEqual(KEYS);
    const fewer = { keys: KEYS.keys.slice(1), leftOut: 0 };
    host.emit({
      event: 'cart.config',
      payload: { quickKeys: fewer, customLines: { ...ALLOWED, allowed: false } },
    });
    expect(store.getState().quickKeys).toEqual(fewer);
    expect(store.getState().customLines?.allowed).toBe(false);
  });
});

describe('a custom-amount line', () => {
  it('adds the typed description at the keyed amount (parsed without floats), once, and the host prices it as custom', async () => {
    const { store, host } = await till();
    await expect.poll(() => store.getState().customLines).toEqual(ALLOWED);
    store.getState().addProduct(pen);
    store.getState().openCustomLine();
    expect(store.getState().cartDialog).toEqual({ kind: 'custom-amount' });
    expect(store.getState().addCustomLine('  Pen repair ', '12.5')).toBeNull();
    expect(store.getState().cartDialog).toBeNull();
    expect(store.getState().cart.lines[1]).toEqual({
      lineId: 'l2',
      productId: 'custom',
      barcode: null,
      name: 'Pen repair',
      unitPrice: 12_50,
      quantity: 1,
      custom: { description: 'Pen repair', amount: 12_50 },
    });
    await expect.poll(() => store.getState().quote).not.toBeNull();
    expect(quoted(host)).toMatchObject({
      lines: [
        { lineId: 'l1', productId: 'pen', quantity: 1 },
        {
          lineId: 'l2',
          productId: 'custom',
          quantity: 1,
          custom: { description: 'Pen repair', amount: 12_50 },
        },
      ],
    });
    // 0.1 + 0.2 style amounts stay exact.
    expect(store.getState().addCustomLine('Deposit', '0.30')).toBeNull();
    expect(store.getState().cart.lines[2]?.unitPrice).toBe(30);
  });

  it('is kept with the cart: a reload brings it back as a custom line', async () => {
    const dbName = 'custom-reload';
    const first = await till(ALLOWED, dbName);
    await expect.poll(() => first.store.getState().customLines).toEqual(ALLOWED);
    expect(first.store.getState().addCustomLine('Gift wrap', '3')).toBeNull();
    await expect.poll(() => first.store.getState().quote).not.toBeNull();
    const again = await till(ALLOWED, dbName);
    expect(again.store.getState().cart.lines).toEqual(first.store.getState().cart.lines);
    expect(again.store.getState().cart.lines[0]?.custom).toEqual({ description: 'Gift wrap', amount: 3_00 });
  });

  it('refuses what cannot be a custom line with words, changing nothing', async () => {
    const { store } = await till();
    await expect.poll(() => store.getState().customLines).toEqual(ALLOWED);
    store.getState().openCustomLine();
    const before = store.getState().cart;
    expect(store.getState().addCustomLine('Deposit', '50.01')).toBe(
      'At most EUR 50.00 for a custom amount at this store',
    );
    expect(store.getState().addCustomLine('Deposit', '12.345')).toBe(
      '"12.345" is not an amount: key it like 12.50 (at most EUR 50.00)',
    );
    expect(store.getState().addCustomLine('Deposit', 'ten')).toMatch(/^"ten" is not an amount/);
    expect(store.getState().addCustomLine('Deposit', '0')).toBe('Enter an amount above 0');
    expect(store.getState().addCustomLine('   ', '5')).toBe(DESCRIPTION_WORDS);
    expect(store.getState().addCustomLine('Tab\there', '5')).toBe(DESCRIPTION_WORDS);
    // Invisible format characters: text that reads backwards on the receipt (U+202E), a zero-width space.
    expect(store.getState().addCustomLine('Gift \u202Ewrap', '5')).toBe(DESCRIPTION_WORDS);
    expect(store.getState().addCustomLine('Gift\u200Bwrap', '5')).toBe(DESCRIPTION_WORDS);
    expect(store.getState().cart).toBe(before);
    expect(store.getState().cartDialog).toEqual({ kind: 'custom-amount' });
  });

  it('is sold once: its quantity cannot be changed', async () => {
    const { store } = await till();
    await expect.poll(() => store.getState().customLines).toEqual(ALLOWED);
    store.getState().addCustomLine('Repair', '5');
    const { lineId } = store.getState().cart.lines[0]!;
    expect(store.getState().setQuantity(lineId, 2)).toBe(false);
    store.getState().stepQuantity(lineId, 1);
    expect(store.getState().notice).toEqual({ kind: 'error', text: CUSTOM_QUANTITY_WORDS });
    expect(store.getState().cart.lines[0]?.quantity).toBe(1);
  });

  it('does not open where the store does not allow custom lines', async () => {
    const { store } = await till({ allowed: false, maxAmount: 0, currency: 'EUR' });
    await expect.poll(() => store.getState().customLines?.allowed).toBe(false);
    store.getState().openCustomLine();
    expect(store.getState().cartDialog).toBeNull();
    expect(store.getState().notice).toEqual({ kind: 'error', text: CUSTOM_LINES_OFF_WORDS });
    expect(store.getState().addCustomLine('Repair', '5')).toBe(CUSTOM_LINES_OFF_WORDS);
    expect(store.getState().cart.lines).toEqual([]);
  });
});
