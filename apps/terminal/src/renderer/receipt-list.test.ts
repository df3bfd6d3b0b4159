import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { SaleListItem } from '../contract/methods.js';
import { RECEIPT_PAGE } from './receipt-list-slice.js';
import { setup } from './test-host.js';

const sale = (n: number): SaleListItem => ({
  saleId: `0190a000-0000-7000-8000-${String(900 + n).padStart(12, '0')}`,
  receiptNumber: `T1-1-${String(n).padStart(6, '0')}`,
  occurredAt: `2026-11-25T10:${String(n).padStart(2, '0')}:00.000Z`,
  total: 250 * n,
  currency: 'EUR',
  training: false,
});

/** A host with sales 1…25, pages of the newest first, and receipts and reprints of any of them. */
function receiptsHost() {
  const all = Array.from({ length: 25 }, (_, i) => sale(25 - i));
  return (method: string, params: Record<string, unknown>) => {
    if (method === 'sale.list') {
      const found = all.filter((each) => each.receiptNumber.includes(String(params.receiptNumber ?? '')));
      const start = params.before === undefined ? 0 : Number(params.before);
      const page = found.slice(start, start + Number(params.limit));
      return { sales: page, next: start + page.length < found.length ? start + page.length : null };
    }
    if (method === 'sale.receipt') {
      const which = all.find((each) => each.saleId === params.saleId)!;
      return {
        saleId: which.saleId,
        receiptNumber: which.receiptNumber,
        columns: 42,
        lines: [`No. ${which.receiptNumber}`],
      };
    }
    if (method === 'sale.reprint') return { receipt: 'confirmed' };
    return null;
  };
}

describe('the Receipts screen', () => {
  it('lists the newest sales first and previews the highlighted one', async () => {
    const { store, host } = await setup(receiptsHost());
    await store.getState().openReceiptList();
    const list = store.getState().receiptList!;
    expect(list.sales.map((each) => each.receiptNumber).slice(0, 2)).toEqual(['T1-1-000025', 'T1-1-000024']);
    expect(list.sales).toHaveLength(RECEIPT_PAGE);
    expect(host.calls.find((call) => call.method === 'sale.list')?.params).toEqual({ limit: RECEIPT_PAGE });
    await expect.poll(() => store.getState().receiptPreview?.receipt?.receiptNumber).toBe('T1-1-000025');
  });

  it('reprints an earlier receipt, not the last one: the one highlighted', async () => {
    const { store, host } = await setup(receiptsHost());
    await store.getState().openReceiptList();
    store.getState().selectReceipt(18); // receipt 7
    await expect.poll(() => store.getState().receiptPreview?.receipt?.receiptNumber).toBe('T1-1-000007');
    await store.getState().reprintReceipt();
    expect(host.calls.filter((call) => call.method === 'sale.reprint').map((call) => call.params)).toEqual([
      { saleId: sale(7).saleId },
    ]);
    expect(store.getState().receiptPreview?.reprint).toBe('confirmed');
  });

  it('loads older sales a page at a time, and finds one by part of its number', async () => {
    const { store } = await setup(receiptsHost());
    await store.getState().openReceiptList();
    await store.getState().moreReceipts();
    expect(
      store
        .getState()
        .receiptList!.sales.map((each) => each.receiptNumber)
        .slice(-2),
    ).toEqual(['T1-1-000002', 'T1-1-000001']);
    expect(store.getState().receiptList!.next).toBeNull();
    await store.getState().setReceiptSearch(' 00001 7');
    expect(store.getState().receiptList).toMatchObject({
      search: '000017',
      searchedFor: '000017',
      selected: 0,
    });
    expect(store.getState().receiptList!.sales.map((each) => each.receiptNumber)).toEqual(['T1-1-000017']);
  });

  it('closes with Esc, putting back the receipt the screen showed after the last Pay', async () => {
    const { store } = await setup(receiptsHost());
    await store.getState().loadReceipt(sale(25).saleId);
    const shownAfterPay = store.getState().receiptPreview;
    await store.getState().openReceiptList();
    store.getState().selectReceipt(3);
    store.getState().closeReceiptList();
    expect(store.getState().receiptList).toBeNull();
    expect(store.getState().receiptPreview).toBe(shownAfterPay);
  });

  it('reads the last sale’s receipt again on close when it was still being read as the list opened', async () => {
    const { store } = await setup(receiptsHost());
    const reading = store.getState().loadReceipt(sale(25).saleId);
    await store.getState().openReceiptList();
    store.getState().selectReceipt(2);
    await reading;
    store.getState().closeReceiptList();
    await expect.poll(() => store.getState().receiptPreview?.receipt?.receiptNumber).toBe('T1-1-000025');
  });
});
