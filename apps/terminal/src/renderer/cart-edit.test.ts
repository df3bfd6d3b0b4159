import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { SaleLineRequest } from '../contract/methods.js';
import { CartDatabase } from './cart-db.js';
import {
  LINE_FULL_WORDS,
  MAX_QUANTITY,
  QUANTITY_ZERO_WORDS,
  quantityWords,
  selectedLine,
} from './cart-edit-slice.js';
import { pen, setup } from './test-host.js';

const book = { ...pen, productId: 'book', name: 'Book', barcode: '5901234123457' };
const cup = { ...pen, productId: 'cup', name: 'Cup', barcode: null };

async function threeLines() {
  const till = await setup(() => null);
  for (const product of [pen, book, cup]) till.store.getState().addProduct(product);
  return {
    ...till,
    lineOf: (name: string) => till.store.getState().cart.lines.find((l) => l.name === name)!,
  };
}

describe('editing the cart (issue 17, point 1)', () => {
  it('selects the line just scanned, and arrows move the selection without passing either end', async () => {
    const { store } = await threeLines();
    expect(selectedLine(store.getState())?.name).toBe('Cup');
    store.getState().moveSelection(-1);
    store.getState().moveSelection(-1);
    store.getState().moveSelection(-1);
    expect(selectedLine(store.getState())?.name).toBe('Pen');
    store.getState().moveSelection(1);
    expect(selectedLine(store.getState())?.name).toBe('Book');
    store.getState().addProduct(pen);
    expect(selectedLine(store.getState())).toMatchObject({ name: 'Pen', quantity: 2 });
  });

  it('sets a typed quantity, and + and − step it; the host re-prices the new cart', async () => {
    const { store, lineOf } = await threeLines();
    expect(store.getState().setQuantity(lineOf('Book').lineId, ' 12 ')).toBe(true);
    store.getState().stepQuantity(lineOf('Book').lineId, 1);
    store.getState().stepQuantity(lineOf('Pen').lineId, 1);
    store.getState().stepQuantity(lineOf('Pen').lineId, -1);
    expect(store.getState().cart.lines.map((l) => l.quantity)).toEqual([1, 13, 1]);
    expect(selectedLine(store.getState())?.name).toBe('Pen');
    await expect.poll(() => store.getState().quote?.total).toBe(15 * 250);
  });

  it('refuses 0, negatives, fractions, words and more than 9999 with words, changing nothing', async () => {
    const { store, lineOf } = await threeLines();
    const before = store.getState().cart;
    const id = lineOf('Pen').lineId;
    expect(store.getState().setQuantity(id, '0')).toBe(false);
    expect(store.getState().notice).toEqual({ kind: 'error', text: QUANTITY_ZERO_WORDS });
    for (const bad of ['-1', '1.5', 'two', '', '10000', 0.5, 10000]) {
      expect(store.getState().setQuantity(id, bad)).toBe(false);
      if (bad !== 0.5 && bad !== 10000)
        expect(store.getState().notice?.text).toBe(quantityWords(String(bad)));
    }
    store.getState().stepQuantity(id, -1);
    expect(store.getState().notice?.text).toBe(QUANTITY_ZERO_WORDS);
    expect(store.getState().cart).toBe(before);
  });

  it('stops a line at 9999: + and a rescan are refused with words, changing nothing', async () => {
    const { store, lineOf } = await threeLines();
    store.getState().setQuantity(lineOf('Pen').lineId, MAX_QUANTITY);
    const before = store.getState().cart;
    store.getState().stepQuantity(lineOf('Pen').lineId, 1);
    expect(store.getState().notice?.text).toBe(LINE_FULL_WORDS);
    store.getState().setQuantity(lineOf('Pen').lineId, 'nothing');
    store.getState().addProduct(pen);
    expect(store.getState().notice?.text).toBe(LINE_FULL_WORDS);
    expect(store.getState().cart).toBe(before);
  });

  it('keeps to the contract: the largest quantity it accepts is the largest a sale line may carry', () => {
    const line = { lineId: 'l1', productId: 'pen', barcode: null };
    expect(SaleLineRequest.safeParse({ ...line, quantity: MAX_QUANTITY }).success).toBe(true);
    expect(SaleLineRequest.safeParse({ ...line, quantity: MAX_QUANTITY + 1 }).success).toBe(false);
  });

  it('voids the selected line at once and keeps the cursor in its place', async () => {
    const { store, lineOf } = await threeLines();
    store.getState().selectLine(lineOf('Book').lineId);
    store.getState().voidSelectedLine();
    expect(store.getState().cart.lines.map((l) => l.name)).toEqual(['Pen', 'Cup']);
    expect(selectedLine(store.getState())?.name).toBe('Cup');
    store.getState().voidSelectedLine();
    store.getState().voidSelectedLine();
    expect(store.getState().cart.lines).toEqual([]);
    store.getState().voidSelectedLine();
    expect(store.getState().notice?.text).toMatch(/nothing to void/i);
  });

  it('clears the sale only after asking, with a new sale id, and Esc keeps it', async () => {
    const { store } = await threeLines();
    const { saleId } = store.getState().cart;
    store.getState().askClearSale();
    expect(store.getState().cartDialog).toEqual({ kind: 'clear' });
    store.getState().closeCartDialog();
    expect(store.getState().cart.lines).toHaveLength(3);
    store.getState().askClearSale();
    store.getState().clearSale();
    expect(store.getState().cart).toMatchObject({ lines: [], cashTendered: '' });
    expect(store.getState().cart.saleId).not.toBe(saleId);
    expect(store.getState().cartDialog).toBeNull();
    store.getState().askClearSale();
    expect(store.getState().cartDialog).toBeNull();
  });

  it('keeps every edit in the cart database, so a reload restores the cart exactly', async () => {
    const { store, dbName, lineOf } = await threeLines();
    store.getState().setQuantity(lineOf('Cup').lineId, '7');
    store.getState().selectLine(lineOf('Pen').lineId);
    store.getState().voidSelectedLine();
    const shown = store.getState().cart;
    await expect.poll(async () => (await new CartDatabase(dbName).load())?.lines).toEqual(shown.lines);
    const reloaded = await setup(() => null, { dbName });
    expect(reloaded.store.getState().cart).toEqual(shown);
  });
});
