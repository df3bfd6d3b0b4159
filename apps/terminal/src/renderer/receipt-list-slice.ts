import type { SaleListItem } from '../contract/methods.js';
import type { TillDeps, TillGet, TillSet } from './cart-store.js';
import type { ReceiptPreview } from './receipt-slice.js';

/** How many sales one page of the list asks for. */
export const RECEIPT_PAGE = 20;

export interface ReceiptListView {
  /** The sales shown, newest first: the pages loaded so far. */
  sales: SaleListItem[];
  /** Where the next (older) page starts; null when the list reached the first sale. */
  next: number | null;
  loading: boolean;
  /** What the cashier typed to find a receipt number; the list shows the answer for `searchedFor`. */
  search: string;
  searchedFor: string;
  /** The highlighted sale, whose receipt is previewed. */
  selected: number;
  error: string | null;
}

export interface ReceiptListState {
  /** The Receipts screen (F9): open over the cart, or null. */
  receiptList: ReceiptListView | null;
  openReceiptList(): Promise<void>;
  /** Esc: closes the list; the receipt shown after the last Pay, if any, is shown again. */
  closeReceiptList(): void;
  /** The next (older) page, added below. */
  moreReceipts(): Promise<void>;
  setReceiptSearch(text: string): Promise<void>;
  /** Highlights a sale (arrows, a touch) and shows its receipt through the receipt preview (sale.receipt). */
  selectReceipt(index: number): void;
}

const EMPTY: ReceiptListView = {
  sales: [],
  next: null,
  loading: true,
  search: '',
  searchedFor: '',
  selected: 0,
  error: null,
};

const words = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function receiptListSlice(set: TillSet, get: TillGet, deps: TillDeps): ReceiptListState {
  // The preview of the last sale, put back when the list closes (the list previews through the same slot).
  let previewBefore: ReceiptPreview | null = null;
  let request = 0;
  const update = (change: Partial<ReceiptListView>) => {
    const list = get().receiptList;
    if (list) set({ receiptList: { ...list, ...change } });
  };
  /** Loads a page for `search`; a page for anything but the latest question asked is dropped. */
  const load = async (search: string, before: number | null) => {
    const asked = ++request;
    update({ loading: true, error: null });
    try {
      const page = await deps.rpc.call('sale.list', {
        limit: RECEIPT_PAGE,
        ...(before === null ? {} : { before }),
        ...(search ? { receiptNumber: search } : {}),
      });
      const list = get().receiptList;
      if (asked !== request || !list) return;
      const sales = before === null ? page.sales : [...list.sales, ...page.sales];
      set({ receiptList: { ...list, sales, next: page.next, loading: false, searchedFor: search } });
      if (before === null) get().selectReceipt(0);
    } catch (error) {
      if (asked === request)
        update({ loading: false, error: `The receipts cannot be listed: ${words(error)}` });
    }
  };
  return {
    receiptList: null,
    async openReceiptList() {
      if (get().receiptList) return;
      previewBefore = get().receiptPreview;
      set({ receiptList: EMPTY });
      await load('', null);
    },
    closeReceiptList() {
      if (!get().receiptList) return;
      request += 1;
      const before = previewBefore;
      previewBefore = null;
      // A receipt still being read when the list opened had its answer dropped (the list used the slot): read again.
      const unread = before !== null && before.receipt === null && before.error === null;
      set({ receiptList: null, receiptPreview: unread ? null : before });
      if (unread) void get().loadReceipt(before.saleId);
    },
    async moreReceipts() {
      const list = get().receiptList;
      if (!list || list.loading || list.next === null) return;
      await load(list.searchedFor, list.next);
    },
    async setReceiptSearch(text) {
      const search = text.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40);
      update({ search });
      await load(search, null);
    },
    selectReceipt(index) {
      const list = get().receiptList;
      const sale = list?.sales[index];
      if (!list || !sale) return;
      set({ receiptList: { ...list, selected: index } });
      void get().loadReceipt(sale.saleId);
    },
  };
}
