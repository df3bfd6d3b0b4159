import { formatMinorUnits, parseMinorUnits } from '@tillwright/commerce';
import {
  CUSTOM_LINE_PRODUCT,
  type CustomLinesView,
  type QuickKeysView,
  SaleLineRequest,
} from '../contract/methods.js';
import type { CartLine, StoredCart } from './cart-db.js';
import type { TillDeps, TillGet, TillSet } from './cart-store.js';
import { isSignedIn } from './session-slice.js';

/** How many quick keys have a keyboard shortcut: Alt+1 … Alt+9. */
export const QUICK_KEY_SHORTCUTS = 9;

export const CUSTOM_LINES_OFF_WORDS = 'This store does not allow custom amounts: find the item by name (F2)';
export const DESCRIPTION_WORDS = 'Say what it is: a description of 1 to 60 printable characters';

export interface QuickKeysState {
  /** The store's quick keys as the host last said (null until it has). */
  quickKeys: QuickKeysView | null;
  /** Whether custom-amount lines may be rung up here, and up to how much (null until the host has said). */
  customLines: CustomLinesView | null;
  /** Asks the host for both, and follows its `cart.config` pushes from then on. */
  initQuickKeys(): void;
  refreshQuickKeys(): Promise<void>;
  /** A tap on quick key `index` (or Alt+index+1): the product goes into the cart exactly as a scan of it would. */
  tapQuickKey(index: number): void;
  /** The "Custom amount" key (F10): opens its dialog where the store allows custom lines. */
  openCustomLine(): void;
  /**
   * Adds a custom-amount line from what the cashier typed: the description, and the amount as text in the store
   * currency (parsed to minor units without floating point). Answers the words to show when refused, else null.
   */
  addCustomLine(description: string, amountText: string): string | null;
}

/** What a custom line asks the host: its description and amount. */
export const customRequest = (line: CartLine) => (line.custom ? { custom: line.custom } : {});

/** The words for an amount that cannot be a custom line's, or the amount in minor units. */
export function parseCustomAmount(text: string, view: CustomLinesView): number | string {
  const limit = `${view.currency} ${formatMinorUnits(view.maxAmount, view.currency)}`;
  let amount: number;
  try {
    amount = parseMinorUnits(text, view.currency);
  } catch {
    return `"${text.trim()}" is not an amount: key it like 12.50 (at most ${limit})`;
  }
  if (amount < 1) return 'Enter an amount above 0';
  if (amount > view.maxAmount) return `At most ${limit} for a custom amount at this store`;
  return amount;
}

export function quickKeysSlice(
  set: TillSet,
  get: TillGet,
  deps: TillDeps & { saveCart(cart: StoredCart): void },
): QuickKeysState {
  const refuse = (text: string) => set({ notice: { kind: 'error', text } });
  return {
    quickKeys: null,
    customLines: null,
    initQuickKeys() {
      deps.rpc.on('cart.config', ({ quickKeys, customLines }) => set({ quickKeys, customLines }));
      void get().refreshQuickKeys();
    },
    async refreshQuickKeys() {
      try {
        const [quickKeys, customLines] = await Promise.all([
          deps.rpc.call('catalog.quickKeys', {}),
          deps.rpc.call('sale.customLines', {}),
        ]);
        set({ quickKeys, customLines });
      } catch {
        // The keys stay as they were; the next push (after the host's next sync round) brings them.
      }
    },
    tapQuickKey(index) {
      const key = get().quickKeys?.keys[index];
      if (!key) return;
      // The scan's own path: whatever a scanned product goes through (a weight, a price, an age check) applies.
      get().scanned(key.product.barcode ?? key.product.sku, key.product);
    },
    openCustomLine() {
      if (!isSignedIn(get().session)) return;
      if (!get().customLines?.allowed) return refuse(CUSTOM_LINES_OFF_WORDS);
      set({ cartDialog: { kind: 'custom-amount' }, notice: null });
    },
    addCustomLine(description, amountText) {
      const view = get().customLines;
      if (!view?.allowed) return CUSTOM_LINES_OFF_WORDS;
      const amount = parseCustomAmount(amountText, view);
      if (typeof amount === 'string') return amount;
      const { cart } = get();
      const lineId = `l${cart.nextLine}`;
      const request = SaleLineRequest.safeParse({
        lineId,
        productId: CUSTOM_LINE_PRODUCT,
        barcode: null,
        quantity: 1,
        custom: { description, amount },
      });
      if (!request.success || !request.data.custom) return DESCRIPTION_WORDS;
      const { custom } = request.data;
      const line: CartLine = {
        lineId,
        productId: CUSTOM_LINE_PRODUCT,
        barcode: null,
        name: custom.description,
        unitPrice: custom.amount,
        quantity: 1,
        custom,
      };
      deps.saveCart({ ...cart, lines: [...cart.lines, line], nextLine: cart.nextLine + 1 });
      set({ cartDialog: null, notice: null, lastSale: null, selectedLineId: lineId });
      return null;
    },
  };
}
