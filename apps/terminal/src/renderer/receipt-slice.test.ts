import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { RpcCallError } from '../contract/wire.js';
import { setup } from './test-host.js';

const SALE = '0190a000-0000-7000-8000-0000000000aa';
const receipt = {
  saleId: SALE,
  receiptNumber: 'T1-1-000001',
  columns: 48,
  lines: ['Tillwright Stationers', 'No. T1-1-000001'],
};

describe('the receipt after Pay', () => {
  it('shows the receipt the host printed, and reprints it as a copy once per press', async () => {
    const { store, host } = await setup((method) => {
      if (method === 'sale.receipt') return receipt;
      if (method === 'sale.reprint') return { receipt: 'confirmed' };
      return null;
    });
    await store.getState().loadReceipt(SALE);
    expect(store.getState().receiptPreview).toMatchObject({ saleId: SALE, receipt, error: null });
    await store.getState().reprintReceipt();
    expect(store.getState().receiptPreview?.reprint).toBe('confirmed');
    expect(host.calls.filter((call) => call.method === 'sale.reprint')).toEqual([
      { method: 'sale.reprint', params: { saleId: SALE } },
    ]);
    // Loading the same sale again asks nothing more and keeps what the screen shows.
    await store.getState().loadReceipt(SALE);
    expect(host.calls.filter((call) => call.method === 'sale.receipt')).toHaveLength(1);
  });

  it('says in words why a receipt cannot be shown or a copy printed', async () => {
    const { store } = await setup((method) => {
      throw new RpcCallError({
        code: 'sale_not_found',
        message: method === 'sale.receipt' ? 'No sale with this id is recorded on this till' : 'printer gone',
        retryable: false,
      });
    });
    await store.getState().loadReceipt(SALE);
    expect(store.getState().receiptPreview?.error).toMatch(
      /^The receipt cannot be shown: No sale with this id is recorded/,
    );
    await store.getState().reprintReceipt();
    expect(store.getState().receiptPreview).toMatchObject({
      reprint: null,
      error: 'The copy was not printed: printer gone',
    });
  });
});
