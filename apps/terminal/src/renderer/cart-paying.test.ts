import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { ProductView } from '../contract/methods.js';
import { PAYING_WORDS } from './cart-edit-slice.js';
import { pen, setup } from './test-host.js';

const paper: ProductView = {
  ...pen,
  productId: 'paper',
  sku: 'PAPER',
  name: 'Paper A4',
  barcode: '4006381333948',
};

/** A host whose Pay is in flight (printing, the drawer) until the test lets it answer. */
async function payingTill() {
  let answer: () => void = () => {};
  let payCalled: () => void = () => {};
  const payArrived = new Promise<void>((resolve) => {
    payCalled = resolve;
  });
  const { store, host } = await setup((method, params) => {
    if (method !== 'sale.complete') return null;
    payCalled();
    return new Promise((resolve) => {
      answer = () =>
        resolve({
          saleId: params.saleId,
          receiptNumber: 'T1-1-000001',
          currency: 'EUR',
          total: 500,
          taxTotal: 0,
          paid: 500,
          cashRounding: 0,
          change: 0,
          alreadyRecorded: false,
          receipt: 'confirmed',
          drawer: 'confirmed',
          training: false,
        });
    });
  });
  store.getState().addProduct(pen);
  store.getState().addProduct(pen);
  const soldId = store.getState().cart.saleId;
  const paid = store.getState().pay();
  await payArrived;
  const finish = () => {
    answer();
    return paid;
  };
  return { store, host, soldId, finish };
}

describe('the cart while Pay is in flight', () => {
  it('refuses quantity changes, voids and clearing with words, leaving the lines that are being sold alone', async () => {
    const { store, finish } = await payingTill();
    expect(store.getState().paying).toBe(true);
    const before = store.getState().cart;
    expect(store.getState().setQuantity('l1', 5)).toBe(false);
    expect(store.getState().notice).toEqual({ kind: 'error', text: PAYING_WORDS });
    store.getState().stepQuantity('l1', -1);
    store.getState().voidSelectedLine();
    store.getState().removeLine('l1');
    store.getState().openQuantity();
    store.getState().askClearSale();
    store.getState().clearSale();
    expect(store.getState().cart).toBe(before);
    expect(store.getState().cartDialog).toBeNull();
    await finish();
    expect(store.getState().cart.lines).toEqual([]);
    expect(store.getState().paying).toBe(false);
  });

  it('carries what was scanned or added meanwhile into a new sale, never lost nor sold with the paid one', async () => {
    const { store, host, soldId, finish } = await payingTill();
    host.emit({ event: 'scanner.scan', payload: { barcode: paper.barcode!, product: paper } });
    store.getState().addProduct(pen); // one more pen than Pay is selling
    await finish();
    const { cart, lastSale, notice } = store.getState();
    expect(lastSale).toMatchObject({ saleId: soldId });
    expect(cart.saleId).not.toBe(soldId);
    expect(cart.lines.map(({ productId, quantity }) => ({ productId, quantity }))).toEqual([
      { productId: 'pen', quantity: 1 },
      { productId: 'paper', quantity: 1 },
    ]);
    expect(notice).toEqual({
      kind: 'info',
      text: 'Added while Pay went through, now a new sale: Pen × 1, Paper A4 × 1',
    });
  });
});
