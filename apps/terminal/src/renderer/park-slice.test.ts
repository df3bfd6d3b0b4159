import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { ParkedLine, ParkedSaleSummary } from '../contract/methods.js';
import { RpcCallError } from '../contract/wire.js';
import { CartDatabase } from './cart-db.js';
import { PARK_EMPTY_WORDS, RESUME_BUSY_WORDS } from './park-slice.js';
import { pen, setup } from './test-host.js';

const book = { ...pen, productId: 'book', name: 'Book', barcode: '5901234123457', unitPrice: 499 };

/** A host stand-in that parks as the real one does: keyed by sale id, listed newest first, unpark idempotent. */
function parkingHost(options: { unpark?: () => unknown } = {}) {
  const parked = new Map<
    string,
    { currency: string; label: string | null; lines: ParkedLine[]; basketDiscount?: unknown }
  >();
  const answer = (method: string, params: Record<string, unknown>) => {
    const saleId = String(params.saleId);
    if (method === 'sale.park') {
      parked.delete(saleId);
      parked.set(saleId, {
        currency: String(params.currency),
        label: (params.label as string | undefined) ?? null,
        lines: params.lines as ParkedLine[],
        ...(params.basketDiscount ? { basketDiscount: params.basketDiscount } : {}),
      });
      return { parkedAt: '2026-12-06T10:00:00.000Z' };
    }
    if (method === 'sale.parkedList') {
      const sales: ParkedSaleSummary[] = [...parked].reverse().map(([id, sale]) => ({
        saleId: id,
        parkedAt: '2026-12-06T10:00:00.000Z',
        parkedBy: 'Ada',
        label: sale.label,
        currency: sale.currency,
        lineCount: sale.lines.length,
        itemCount: sale.lines.reduce((sum, line) => sum + line.quantity, 0),
        total: null,
      }));
      return { sales };
    }
    if (method === 'sale.parkedRead') {
      const sale = parked.get(saleId);
      if (!sale)
        throw new RpcCallError({ code: 'parked_sale_not_found', message: 'not parked', retryable: false });
      return { saleId, parkedAt: '2026-12-06T10:00:00.000Z', ...sale };
    }
    if (method === 'sale.unpark') {
      if (options.unpark) return options.unpark();
      return { removed: parked.delete(saleId) };
    }
    return null;
  };
  return { parked, answer };
}

async function cartWithTwoLines(host = parkingHost(), dbName?: string) {
  const till = await setup(host.answer, dbName ? { dbName } : {});
  till.store.getState().addProduct(pen);
  till.store.getState().addProduct(book);
  till.store.getState().setQuantity(till.store.getState().cart.lines[0]!.lineId, 3);
  return { ...till, parking: host };
}

describe('parking a sale and resuming it (issue 17, point 5)', () => {
  it('parks the cart under its sale id with its lines and note, then starts a new empty sale with a new id', async () => {
    const { store, host, parking } = await cartWithTwoLines();
    const before = store.getState().cart;
    store.getState().openPark();
    expect(store.getState().park.dialog).toBe('park');
    expect(await store.getState().parkSale('  Mrs Jones ')).toBe(true);
    expect(host.calls.find((call) => call.method === 'sale.park')?.params).toEqual({
      saleId: before.saleId,
      currency: 'EUR',
      lines: before.lines,
      label: 'Mrs Jones',
    });
    const after = store.getState().cart;
    expect(after.lines).toEqual([]);
    expect(after.saleId).not.toBe(before.saleId);
    expect(store.getState().park).toMatchObject({
      dialog: null,
      sales: [{ saleId: before.saleId, lineCount: 2 }],
    });
    expect(store.getState().notice?.text).toMatch(/Sale parked \(“Mrs Jones”\)/);
    expect(parking.parked.size).toBe(1);
  });

  it('refuses to park an empty cart without asking the host', async () => {
    const { store, host } = await setup(parkingHost().answer);
    store.getState().openPark();
    expect(store.getState().park.dialog).toBeNull();
    expect(store.getState().notice).toEqual({ kind: 'error', text: PARK_EMPTY_WORDS });
    expect(await store.getState().parkSale()).toBe(false);
    expect(host.calls.some((call) => call.method === 'sale.park')).toBe(false);
  });

  it('keeps the cart as it was when the host refuses to park, and says why in the dialog', async () => {
    const refusing = (method: string) => {
      if (method === 'sale.park')
        throw new RpcCallError({ code: 'too_many_parked', message: '50 sales are parked', retryable: false });
      return null;
    };
    const { store } = await cartWithTwoLines({ parked: new Map(), answer: refusing });
    const before = store.getState().cart;
    store.getState().openPark();
    expect(await store.getState().parkSale()).toBe(false);
    expect(store.getState().cart).toEqual(before);
    expect(store.getState().park).toMatchObject({ dialog: 'park', error: '50 sales are parked' });
  });

  it('refuses to resume while the cart has lines, changing neither the cart nor the parked sale', async () => {
    const { store, parking } = await cartWithTwoLines();
    const parkedId = store.getState().cart.saleId;
    await store.getState().parkSale();
    store.getState().addProduct(pen);
    const busy = store.getState().cart;
    await store.getState().openParked();
    expect(await store.getState().resumeParked(parkedId)).toBe(false);
    expect(store.getState().park).toMatchObject({ dialog: 'list', error: RESUME_BUSY_WORDS });
    expect(store.getState().cart).toEqual(busy);
    expect(parking.parked.has(parkedId)).toBe(true);
  });

  it('resumes a parked sale exactly: same sale id, same lines, names, prices and quantities; then removes it', async () => {
    const { store, host, parking } = await cartWithTwoLines();
    const parkedCart = store.getState().cart;
    await store.getState().parkSale();
    await store.getState().openParked();
    expect(store.getState().park.sales?.map((sale) => sale.saleId)).toEqual([parkedCart.saleId]);
    expect(await store.getState().resumeParked(parkedCart.saleId)).toBe(true);
    expect(store.getState().cart).toEqual({ ...parkedCart, cashTendered: '' });
    expect(parking.parked.size).toBe(0);
    expect(store.getState().park).toMatchObject({ dialog: null, sales: [] });
    // The host re-prices the resumed cart, as any cart shown.
    await expect.poll(() => store.getState().quote?.total).toBe(4 * 250);
    // The next line added continues after the parked ones.
    store.getState().addProduct({ ...pen, productId: 'cup', name: 'Cup' });
    expect(store.getState().cart.lines.at(-1)?.lineId).toBe(`l${parkedCart.nextLine}`);
    const order = host.calls
      .map((call) => call.method)
      .filter((method) => method.startsWith('sale.p') || method === 'sale.unpark');
    expect(order.slice(-4)).toEqual(['sale.parkedList', 'sale.parkedRead', 'sale.unpark', 'sale.parkedList']);
  });

  it('parks and resumes every field of each line and the basket discount: a custom line, a discount, an override', async () => {
    const { store, host } = await cartWithTwoLines();
    const cart = store.getState().cart;
    const [pens, books] = cart.lines;
    const adjusted = {
      ...cart,
      lines: [
        {
          ...pens!,
          discount: { discount: { kind: 'percent' as const, rate: 100_000 }, reason: 'loyal customer' },
        },
        { ...books!, priceOverride: { unitPrice: 470, reason: 'cover scratched' } },
        {
          lineId: 'l9',
          productId: 'custom',
          barcode: null,
          name: 'Engraving',
          unitPrice: 2000,
          quantity: 1,
          custom: { description: 'Engraving', amount: 2000 },
        },
      ],
      nextLine: 10,
      basketDiscount: { discount: { kind: 'amount' as const, amount: 100 }, reason: 'waited long' },
    };
    store.setState({ cart: adjusted });
    expect(await store.getState().parkSale()).toBe(true);
    expect(host.calls.find((call) => call.method === 'sale.park')?.params).toEqual({
      saleId: adjusted.saleId,
      currency: 'EUR',
      lines: adjusted.lines,
      basketDiscount: adjusted.basketDiscount,
    });
    expect(await store.getState().resumeParked(adjusted.saleId)).toBe(true);
    expect(store.getState().cart).toEqual({ ...adjusted, cashTendered: '' });
  });

  it('loses nothing when the till stops between saving the resumed cart and removing the parked copy', async () => {
    // unpark never answers: the renderer is gone before the host removed the parked copy.
    const host = parkingHost({ unpark: () => new Promise(() => {}) });
    const dbName = 'park-crash';
    const { store, parking } = await cartWithTwoLines(host, dbName);
    const parkedCart = store.getState().cart;
    await store.getState().parkSale();
    void store.getState().resumeParked(parkedCart.saleId);
    await expect
      .poll(() => parking.parked.has(parkedCart.saleId) && store.getState().cart.saleId)
      .toBe(parkedCart.saleId);
    // What is on disk is the resumed cart.
    await expect.poll(async () => (await new CartDatabase(dbName).load())?.saleId).toBe(parkedCart.saleId);

    // A new renderer on the same database, the host answering unpark again: the cart is the resumed sale, and
    // resuming it again (it is still listed) only removes the parked copy.
    const working = parkingHost();
    for (const [id, sale] of parking.parked) working.parked.set(id, sale);
    const again = await setup(working.answer, { dbName });
    expect(again.store.getState().cart).toMatchObject({ saleId: parkedCart.saleId, lines: parkedCart.lines });
    expect(await again.store.getState().resumeParked(parkedCart.saleId)).toBe(true);
    expect(working.parked.size).toBe(0);
    expect(again.store.getState().cart).toMatchObject({ saleId: parkedCart.saleId, lines: parkedCart.lines });
    expect(again.host.calls.some((call) => call.method === 'sale.parkedRead')).toBe(false);
  });

  it('moves the highlight through the list with the arrows, wrapping', async () => {
    const host = parkingHost();
    const { store } = await setup(host.answer);
    for (const product of [pen, book, pen]) {
      store.getState().addProduct(product);
      await store.getState().parkSale();
    }
    await store.getState().openParked();
    expect(store.getState().park.sales).toHaveLength(3);
    store.getState().moveParkedSelection(1);
    store.getState().moveParkedSelection(1);
    expect(store.getState().park.selected).toBe(2);
    store.getState().moveParkedSelection(1);
    expect(store.getState().park.selected).toBe(0);
    store.getState().moveParkedSelection(-1);
    expect(store.getState().park.selected).toBe(2);
  });
});
