import type { MethodResult, SaleReceiptText } from '../contract/methods.js';

type PrintOutcome = MethodResult<'sale.reprint'>['receipt'];

import type { TillDeps, TillGet, TillSet } from './cart-store.js';

export interface ReceiptPreview {
  saleId: string;
  /** The receipt as printed, once the host answered. */
  receipt: SaleReceiptText | null;
  /** Why it could not be shown or reprinted, in words. */
  error: string | null;
  /** The last reprint: in progress, or how the printer took it. */
  reprint: 'printing' | PrintOutcome | null;
  hidden: boolean;
}

export interface ReceiptState {
  /** The receipt of the last sale, as the screen shows it after Pay. */
  receiptPreview: ReceiptPreview | null;
  loadReceipt(saleId: string): Promise<void>;
  reprintReceipt(): Promise<void>;
  hideReceipt(): void;
}

const words = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function receiptSlice(set: TillSet, get: TillGet, deps: TillDeps): ReceiptState {
  const update = (saleId: string, change: Partial<ReceiptPreview>) => {
    const current = get().receiptPreview;
    if (current?.saleId === saleId) set({ receiptPreview: { ...current, ...change } });
  };
  return {
    receiptPreview: null,
    async loadReceipt(saleId) {
      if (get().receiptPreview?.saleId === saleId) return;
      set({ receiptPreview: { saleId, receipt: null, error: null, reprint: null, hidden: false } });
      try {
        update(saleId, { receipt: await deps.rpc.call('sale.receipt', { saleId }) });
      } catch (error) {
        update(saleId, { error: `The receipt cannot be shown: ${words(error)}` });
      }
    },
    async reprintReceipt() {
      const preview = get().receiptPreview;
      if (!preview || preview.reprint === 'printing') return;
      update(preview.saleId, { reprint: 'printing', error: null });
      try {
        const { receipt } = await deps.rpc.call('sale.reprint', { saleId: preview.saleId });
        update(preview.saleId, { reprint: receipt });
      } catch (error) {
        update(preview.saleId, { reprint: null, error: `The copy was not printed: ${words(error)}` });
      }
    },
    hideReceipt() {
      const preview = get().receiptPreview;
      if (preview) set({ receiptPreview: { ...preview, hidden: true } });
    },
  };
}
