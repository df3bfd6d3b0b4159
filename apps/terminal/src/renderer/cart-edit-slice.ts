import type { CartLine, StoredCart } from './cart-db.js';
import type { TillGet, TillSet } from './cart-store.js';

/** The contract's limits on a sale line's quantity (SaleLineRequest): 0 is not a quantity, a void is. */
export const MIN_QUANTITY = 1;
export const MAX_QUANTITY = 9999;

export const QUANTITY_ZERO_WORDS = 'A quantity of 0 is not allowed: void the line instead (F7)';
export const LINE_FULL_WORDS = `${MAX_QUANTITY} is the most one line can hold: start another sale for more`;
export const PAYING_WORDS =
  'Pay is going through: wait for the receipt, then change the sale (a scan now starts the next one)';
export const quantityWords = (text: string) =>
  `"${text}" is not a quantity: enter a whole number from ${MIN_QUANTITY} to ${MAX_QUANTITY}`;

/** A weighed line is one weighing: its quantity stays 1. */
export const WEIGHED_QUANTITY_WORDS =
  'A weighed item is one weighing: weigh the rest and add it as another line';

/** The dialogs of cart editing, over the cart: a quantity for one line, or "clear the sale?" asked once. */
export type CartDialog =
  | { kind: 'quantity'; lineId: string }
  | { kind: 'clear' }
  | { kind: 'custom-amount' }
  | null;

export const CUSTOM_QUANTITY_WORDS = 'A custom amount is sold once: void it (F7) and key the whole amount';

export interface CartEditState {
  /** The line the cashier picked (arrows, click or tap); the last line added when none is picked. */
  selectedLineId: string | null;
  cartDialog: CartDialog;
  selectLine(lineId: string): void;
  /** Arrow up (-1) or down (+1) in the cart; stops at either end. */
  moveSelection(step: -1 | 1): void;
  /** Sets a line's quantity from a number or typed text; anything outside 1–9999 is refused with words and changes nothing. */
  setQuantity(lineId: string, quantity: number | string): boolean;
  /** The + and − buttons: one more or one fewer; below 1 is refused (void the line instead). */
  stepQuantity(lineId: string, step: -1 | 1): void;
  /** F7: voids the selected line at once (no question: it is one line, scanned again in a moment if wrong). */
  voidSelectedLine(): void;
  openQuantity(): void;
  askClearSale(): void;
  closeCartDialog(): void;
  /** Empties the cart (a new sale id: the cleared sale is never paid). Asked first through `askClearSale`. */
  clearSale(): void;
}

export interface CartEditDeps {
  saveCart(cart: StoredCart): void;
  emptyCart(currency: string): StoredCart;
}

/** The selected line: the one picked if it is still in the cart, else the last line, else none. */
export function selectedLine(state: { cart: StoredCart; selectedLineId: string | null }): CartLine | null {
  const { lines } = state.cart;
  return lines.find((line) => line.lineId === state.selectedLineId) ?? lines.at(-1) ?? null;
}

/** A quantity typed by a person: digits only, 1–9999; anything else is null. */
export function parseQuantity(text: string | number): number | null {
  const trimmed = String(text).trim();
  if (!/^\d{1,4}$/.test(trimmed)) return null;
  const quantity = Number(trimmed);
  return quantity >= MIN_QUANTITY && quantity <= MAX_QUANTITY ? quantity : null;
}

export function cartEditSlice(set: TillSet, get: TillGet, deps: CartEditDeps): CartEditState {
  const refuse = (text: string) => set({ notice: { kind: 'error', text } });
  // The lines on screen are being sold: a change now would be lost when the sale completes, or sold anyway.
  const paying = () => {
    if (get().paying) refuse(PAYING_WORDS);
    return get().paying;
  };
  const withLine = (lineId: string, change: (line: CartLine) => CartLine) => {
    const { cart } = get();
    deps.saveCart({
      ...cart,
      lines: cart.lines.map((line) => (line.lineId === lineId ? change(line) : line)),
    });
  };
  return {
    selectedLineId: null,
    cartDialog: null,
    selectLine(lineId) {
      if (get().cart.lines.some((line) => line.lineId === lineId)) set({ selectedLineId: lineId });
    },
    moveSelection(step) {
      const { lines } = get().cart;
      const current = selectedLine(get());
      if (!current) return;
      const at = lines.indexOf(current) + step;
      set({ selectedLineId: lines[Math.max(0, Math.min(lines.length - 1, at))]!.lineId });
    },
    setQuantity(lineId, given) {
      if (paying()) return false;
      const line = get().cart.lines.find((each) => each.lineId === lineId);
      if (!line) return false;
      if (line.custom) {
        refuse(CUSTOM_QUANTITY_WORDS);
        return false;
      }
      if (line.measure) {
        refuse(WEIGHED_QUANTITY_WORDS);
        return false;
      }
      const quantity = parseQuantity(given);
      if (quantity === null) {
        refuse(String(given).trim() === '0' ? QUANTITY_ZERO_WORDS : quantityWords(String(given)));
        return false;
      }
      if (quantity !== line.quantity) withLine(lineId, (each) => ({ ...each, quantity }));
      set({ notice: null, selectedLineId: lineId });
      return true;
    },
    stepQuantity(lineId, step) {
      if (paying()) return;
      const line = get().cart.lines.find((each) => each.lineId === lineId);
      if (!line) return;
      const quantity = line.quantity + step;
      if (quantity < MIN_QUANTITY) return refuse(QUANTITY_ZERO_WORDS);
      if (quantity > MAX_QUANTITY) return refuse(LINE_FULL_WORDS);
      get().setQuantity(lineId, quantity);
    },
    voidSelectedLine() {
      if (paying()) return;
      const { cart } = get();
      const line = selectedLine(get());
      if (!line) return refuse('Nothing to void: the cart is empty');
      const at = cart.lines.indexOf(line);
      const lines = cart.lines.filter((each) => each !== line);
      deps.saveCart({ ...cart, lines });
      // The cursor stays where it was: on the line that moved up into the place, or the new last line.
      set({ selectedLineId: lines[Math.min(at, lines.length - 1)]?.lineId ?? null, notice: null });
    },
    openQuantity() {
      if (paying()) return;
      const line = selectedLine(get());
      if (!line) return refuse('Scan an item first: there is no line to change');
      set({ cartDialog: { kind: 'quantity', lineId: line.lineId } });
    },
    askClearSale() {
      if (paying()) return;
      if (get().cart.lines.length === 0) return refuse('Nothing to clear: the cart is empty');
      set({ cartDialog: { kind: 'clear' } });
    },
    closeCartDialog() {
      set({ cartDialog: null });
    },
    clearSale() {
      if (paying()) return;
      const { cart } = get();
      deps.saveCart(deps.emptyCart(cart.currency));
      set({ cartDialog: null, selectedLineId: null, notice: { kind: 'info', text: 'Sale cleared' } });
    },
  };
}
