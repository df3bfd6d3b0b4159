import type { ParkedSaleSummary, ParkedSaleView } from '../contract/methods.js';
import type { StoredCart } from './cart-db.js';
import type { TillDeps, TillGet, TillSet } from './cart-store.js';
import { cartRequest } from './discount-slice.js';
import { RpcCallError } from './rpc-client.js';

export const PARK_EMPTY_WORDS = 'Nothing to park: the cart is empty';
export const RESUME_BUSY_WORDS = 'Park or clear the current sale first';

/** The park dialog (F5, with an optional note) or the list of parked sales (F6); null when neither is open. */
export type ParkDialog = 'park' | 'list' | null;

export interface ParkView {
  dialog: ParkDialog;
  /** The till's parked sales as the host last listed them, the most recently parked first; null until it has. */
  sales: ParkedSaleSummary[] | null;
  /** The highlighted row of the list (arrows move it, Enter resumes it). */
  selected: number;
  busy: boolean;
  /** Why the last park or resume was refused, shown in the dialog. */
  error: string | null;
}

export interface ParkState {
  park: ParkView;
  /** F5: asks for a note and parks, unless the cart is empty (said so, nothing opens). */
  openPark(): void;
  /** Parks the cart on the host with an optional note; on success the till starts a new, empty sale. */
  parkSale(label?: string): Promise<boolean>;
  /** F6: lists the parked sales. */
  openParked(): Promise<void>;
  /** Asks the host for the parked sales (the count on the Parked key); quiet when it cannot answer. */
  refreshParked(): Promise<void>;
  moveParkedSelection(step: number): void;
  /**
   * Resumes a parked sale as the current cart, under its own sale id: refused while the cart has lines. The cart is
   * saved first and the parked copy removed only then, so a crash between the two loses nothing; resuming a sale
   * that is already the current cart just removes its parked copy.
   */
  resumeParked(saleId: string): Promise<boolean>;
  closePark(): void;
}

export interface ParkDeps extends TillDeps {
  saveCart(cart: StoredCart): void;
  emptyCart(currency: string): StoredCart;
}

const CLOSED: ParkView = { dialog: null, sales: null, selected: 0, busy: false, error: null };

const wordsOf = (error: unknown) =>
  error instanceof RpcCallError && error.code === 'invalid_params'
    ? 'The note must be printable text of at most 40 characters'
    : error instanceof Error
      ? error.message
      : String(error);

/**
 * The cart of a parked sale: its lines exactly (every field as parked), its basket discount, the next line number
 * after the highest one.
 */
export function resumedCart(parked: ParkedSaleView): StoredCart {
  const { saleId, currency, lines, basketDiscount } = parked;
  const highest = Math.max(0, ...lines.map((line) => Number(line.lineId.replace(/^l/, '')) || 0));
  return {
    key: 'current',
    saleId,
    currency,
    lines,
    nextLine: highest + 1,
    cashTendered: '',
    ...(basketDiscount ? { basketDiscount } : {}),
  };
}

export function parkSlice(set: TillSet, get: TillGet, deps: ParkDeps): ParkState {
  const update = (patch: Partial<ParkView>) => set((state) => ({ park: { ...state.park, ...patch } }));
  const refuse = (text: string) => set({ notice: { kind: 'error', text } });
  return {
    park: CLOSED,
    openPark() {
      if (get().cart.lines.length === 0) return refuse(PARK_EMPTY_WORDS);
      update({ dialog: 'park', error: null, busy: false });
    },
    async parkSale(label) {
      const { cart } = get();
      if (cart.lines.length === 0) {
        refuse(PARK_EMPTY_WORDS);
        return false;
      }
      update({ busy: true, error: null });
      try {
        // The whole request the host prices and a Pay would send (every field of every line, the basket discount),
        // with what the screen shows of each line.
        const request = cartRequest(cart);
        await deps.rpc.call('sale.park', {
          saleId: cart.saleId,
          currency: cart.currency,
          lines: request.lines.map((line, index) => ({
            ...line,
            name: cart.lines[index]!.name,
            unitPrice: cart.lines[index]!.unitPrice,
          })),
          ...(request.basketDiscount ? { basketDiscount: request.basketDiscount } : {}),
          ...(label?.trim() ? { label: label.trim() } : {}),
        });
      } catch (error) {
        update({ busy: false, error: wordsOf(error) });
        return false;
      }
      // The cart may have moved on while the host answered (another window): only the cart parked is emptied.
      if (get().cart.saleId === cart.saleId) deps.saveCart(deps.emptyCart(cart.currency));
      const note = label?.trim() ? ` (“${label.trim()}”)` : '';
      set({
        park: { ...get().park, dialog: null, busy: false },
        selectedLineId: null,
        lastSale: null,
        notice: { kind: 'info', text: `Sale parked${note}: resume it from Parked (F6)` },
      });
      await get().refreshParked();
      return true;
    },
    async openParked() {
      update({ dialog: 'list', selected: 0, error: null, busy: false });
      await get().refreshParked();
    },
    async refreshParked() {
      try {
        const { sales } = await deps.rpc.call('sale.parkedList', {});
        set((state) => ({
          park: {
            ...state.park,
            sales,
            selected: Math.min(state.park.selected, Math.max(0, sales.length - 1)),
          },
        }));
      } catch (error) {
        if (get().park.dialog === 'list') update({ error: wordsOf(error) });
      }
    },
    moveParkedSelection(step) {
      const count = get().park.sales?.length ?? 0;
      if (count === 0) return;
      update({ selected: (get().park.selected + step + count) % count });
    },
    async resumeParked(saleId) {
      const { cart } = get();
      const already = cart.saleId === saleId;
      if (!already && cart.lines.length > 0) {
        update({ error: RESUME_BUSY_WORDS });
        return false;
      }
      update({ busy: true, error: null });
      try {
        if (!already) {
          const parked = await deps.rpc.call('sale.parkedRead', { saleId });
          if (get().cart.lines.length > 0) {
            update({ busy: false, error: RESUME_BUSY_WORDS });
            return false;
          }
          const resumed = resumedCart(parked);
          deps.saveCart(resumed);
          // On disk before the parked copy goes: a crash from here on finds the sale in the cart.
          await deps.db.save(resumed);
          const note = parked.label ? ` (“${parked.label}”)` : '';
          set({
            selectedLineId: null,
            lastSale: null,
            notice: { kind: 'info', text: `Parked sale resumed${note}` },
          });
        }
        await deps.rpc.call('sale.unpark', { saleId });
      } catch (error) {
        update({ busy: false, error: wordsOf(error) });
        return false;
      }
      set({ park: { ...get().park, dialog: null, busy: false } });
      await get().refreshParked();
      return true;
    },
    closePark() {
      update({ dialog: null, busy: false, error: null });
    },
  };
}
