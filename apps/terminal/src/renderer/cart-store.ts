import { parseMinorUnits } from '@tillwright/commerce';
import { Barcode, createUuidV7Generator } from '@tillwright/protocol';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  CompletedSale,
  DevicesStatusView,
  HelloResult,
  ProductView,
  SaleQuote,
  ShiftStatusView,
  SyncStatusView,
} from '../contract/methods.js';
import { type ApprovalState, approvalSlice } from './approval-slice.js';
import type { CartDatabase, CartLine, StoredCart } from './cart-db.js';
import {
  type CartEditState,
  cartEditSlice,
  LINE_FULL_WORDS,
  MAX_QUANTITY,
  PAYING_WORDS,
} from './cart-edit-slice.js';
import { cartRequest, type DiscountState, discountSlice } from './discount-slice.js';
import { type LineEntryState, lineEntrySlice } from './line-entry-slice.js';
import { type ManagerState, managerSlice } from './manager-slice.js';
import { type ParkState, parkSlice } from './park-slice.js';
import { type QuickKeysState, quickKeysSlice } from './quick-keys-slice.js';
import { type ReceiptListState, receiptListSlice } from './receipt-list-slice.js';
import { type ReceiptState, receiptSlice } from './receipt-slice.js';
import { addedDuringPayNotice, afterRecordedSale, recordedSaleNotice } from './recorded-sale.js';
import { RpcCallError, type RpcClient } from './rpc-client.js';
import { type SearchState, searchSlice } from './search-slice.js';
import { isSignedIn, refusedForSession, type SessionState, sessionSlice } from './session-slice.js';
import { type ShiftState, shiftSlice } from './shift-slice.js';
import { shiftRefusalInWords } from './shift-words.js';
import { money } from './words.js';

export { money };

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

/** Everything the screen shows and does: the cart, the session, the approval dialog, the manager's menu, the shift. */
export type TillState = CartState &
  CartEditState &
  SessionState &
  ApprovalState &
  ManagerState &
  ShiftState &
  SearchState &
  ReceiptState &
  ReceiptListState &
  ParkState &
  QuickKeysState &
  DiscountState &
  LineEntryState;
export type TillSet = StoreApi<TillState>['setState'];
export type TillGet = StoreApi<TillState>['getState'];

/** What the store talks to: the host through the contract, the cart's own database, and a clock. */
export interface TillDeps {
  rpc: Pick<RpcClient, 'call' | 'on'>;
  db: CartDatabase;
  newId?: () => string;
  /** Milliseconds, for the activity throttle (Date.now by default). */
  now?: () => number;
}

export interface CartState {
  hello: HelloResult | null;
  cart: StoredCart;
  paying: boolean;
  notice: Notice | null;
  lastSale: CompletedSale | null;
  /** The host's pricing of the cart as it stands (promotions, tax); null while empty or not yet priced. */
  quote: SaleQuote | null;
  sync: SyncStatusView | null;
  /** The printer and drawer as the host last reported them; null until it has. */
  devices: DevicesStatusView | null;
  init(): Promise<void>;
  addProduct(product: ProductView): void;
  scanned(barcode: string, product: ProductView | null): void;
  removeLine(lineId: string): void;
  setCashTendered(text: string): void;
  pay(): Promise<void>;
  simulateScan(barcode: string): Promise<void>;
  /** A scan read in the renderer (keyboard wedge): looked up through the host, then handled as `scanned`. */
  lookupScan(barcode: string): Promise<void>;
  /**
   * Asks for the quote again when the cart is left re-pricing by a failed one and someone is signed in: called on
   * every news of the session (a push, a sign-in or unlock, the host's answer after a reconnect), at most
   * MAX_REQUOTES times for one cart; a change to the cart, or Pay, asks anew.
   */
  requote(): void;
}

/** How many times a cart whose quote failed is priced again on its own before it waits for a change or Pay. */
export const MAX_REQUOTES = 3;

/** What the cart says while nothing can be sold. */
export const NO_SHIFT_WORDS = 'No shift open: a manager opens the shift — F12';

/** Nothing can be sold: the host said no shift is open and the till is not in training mode. */
export const sellingBlocked = (status: ShiftStatusView | null): boolean =>
  status !== null && status.shift === null && !status.training;

export const REPRICING_WORDS = 'Re-pricing… Pay once the total shows';

/** The lines changed and the host has not yet priced them: no total is shown and Pay waits. */
export const repricing = (state: Pick<CartState, 'cart' | 'quote'>): boolean =>
  state.cart.lines.length > 0 && state.quote === null;

/** The host's total when the cart is priced, else the shelf prices added up (what cash defaults to). */
export function cartTotal(cart: StoredCart, quote: SaleQuote | null = null): number {
  if (quote && quote.lines.length === cart.lines.length) return quote.total;
  return cart.lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
}

export function createTillStore(given: TillDeps) {
  const store = createStore<TillState>()((set, get) => {
    // Every refusal that says the session changed under the screen (or the host was out of reach) makes the store
    // ask who is signed in now, whichever call met it.
    const deps: TillDeps = {
      ...given,
      rpc: {
        call: (method, params) =>
          given.rpc.call(method, params).catch((error: unknown) => {
            if (refusedForSession(error)) void get().refreshSession();
            throw error;
          }),
        on: (event, listener) => given.rpc.on(event, listener),
      },
    };
    return {
      ...cartSlice(set, get, deps),
      ...sessionSlice(set, get, deps),
      ...approvalSlice(set, get),
      ...managerSlice(set, get, deps),
      ...shiftSlice(set, get, deps),
      ...searchSlice(set, get, deps),
      ...receiptSlice(set, get, deps),
      ...receiptListSlice(set, get, deps),
    };
  });
  // Each time the store learns who is signed in, a cart a failed quote left re-pricing is priced again.
  store.subscribe((state, previous) => {
    if (state.session !== previous.session) state.requote();
  });
  return store;
}

function cartSlice(
  set: TillSet,
  get: TillGet,
  deps: TillDeps,
): CartState & CartEditState & ParkState & QuickKeysState & DiscountState & LineEntryState {
  const newId = deps.newId ?? createUuidV7Generator();
  const emptyCart = (currency: string): StoredCart => ({
    key: 'current',
    saleId: newId(),
    currency,
    lines: [],
    nextLine: 1,
    cashTendered: '',
  });

  let quoteRequest = 0;
  // The quote shown is always for the cart shown: it is dropped the moment the lines change (the screen says
  // "Re-pricing…" and Pay waits), and an answer for an older cart than the latest asked is dropped too.
  let quoting: Promise<void> = Promise.resolve();
  // A failed quote is asked again on the next news of the session (`requote`), at most MAX_REQUOTES times per cart.
  let quoteInFlight = false;
  let askAgain = false;
  let requotes = 0;
  let failureNotice: Notice | null = null;
  const refreshQuote = (cart: StoredCart, automatic = false) => {
    const request = ++quoteRequest;
    if (!automatic) requotes = 0;
    askAgain = false;
    set({ quote: null });
    if (cart.lines.length === 0) return;
    quoteInFlight = true;
    quoting = deps.rpc
      .call('sale.quote', cartRequest(cart))
      .then((quote) => {
        if (request !== quoteRequest) return;
        quoteInFlight = false;
        // The words of an earlier failure go once the cart is priced.
        set((state) => ({
          quote,
          ...(state.notice && state.notice === failureNotice ? { notice: null } : {}),
        }));
      })
      .catch((error: unknown) => {
        if (request !== quoteRequest) return;
        quoteInFlight = false;
        failureNotice = { kind: 'error', text: messageOf(error) };
        set({ quote: null, notice: failureNotice });
        // The session changed while this was out (a sign-in, the host back): ask again now.
        if (askAgain) get().requote();
      });
  };
  /** Pay waits for the quote of the cart on screen; false when there is none (it failed, or the cart moved on). */
  const pricedAsShown = async (): Promise<boolean> => {
    if (!repricing(get())) return true;
    const { lines } = get().cart;
    await quoting;
    if (!repricing(get()) && get().cart.lines === lines) return true;
    if (get().cart.lines === lines) refreshQuote(get().cart); // the quote failed: ask again for the next Pay
    set({ notice: { kind: 'info', text: REPRICING_WORDS } });
    return false;
  };
  const saveCart = (cart: StoredCart) => {
    // The basket discount is priced with the lines: changing it re-prices too.
    const pricedChanged =
      cart.lines !== get().cart.lines || cart.basketDiscount !== get().cart.basketDiscount;
    set({ cart });
    if (pricedChanged) refreshQuote(cart);
    void deps.db.save(cart).catch((error: unknown) => {
      set({ notice: { kind: 'error', text: `the cart could not be saved locally: ${String(error)}` } });
    });
  };
  const refuseScan = () =>
    set({ signInError: 'Sign in first: a scan is not added to the cart while nobody is signed in' });
  const fail = (error: unknown) => set({ notice: { kind: 'error', text: messageOf(error) } });
  /**
   * The host refused a Pay because its sale id is recorded with other lines or tenders (an earlier Pay went
   * through but its answer was lost): show that sale as completed, and carry what the cart holds beyond it into a
   * new sale with a new id. When the recorded sale cannot be read, the cart stays and the next Pay asks again.
   */
  const recoverRecordedSale = async (saleId: string, refusal: RpcCallError) => {
    const recorded = await deps.rpc.call('sale.recorded', { saleId }).catch(() => null);
    if (!recorded) return fail(refusal);
    const { cart } = get();
    if (cart.saleId !== saleId) return; // another press of Pay has already done this
    const after = afterRecordedSale(cart.lines, recorded);
    saveCart({ ...emptyCart(cart.currency), lines: after.newLines, nextLine: cart.nextLine });
    set({ lastSale: recorded.sale, notice: { kind: 'info', text: recordedSaleNotice(recorded, after) } });
  };

  /**
   * `sold` went through: the next sale starts with what was scanned or added while it did (edits of its lines are
   * refused meanwhile), counted by product as after a recorded sale. Answers the lines carried over.
   */
  const nextSaleAfter = (sold: StoredCart): CartLine[] => {
    const { cart } = get();
    const { newLines } = afterRecordedSale(cart.lines, sold);
    saveCart({ ...emptyCart(sold.currency), lines: newLines, nextLine: cart.nextLine });
    return newLines;
  };
  let paysInFlight = 0;

  return {
    requote() {
      if (!repricing(get()) || !isSignedIn(get().session) || requotes >= MAX_REQUOTES) return;
      if (quoteInFlight) {
        askAgain = true;
        return;
      }
      requotes += 1;
      refreshQuote(get().cart, true);
    },
    ...cartEditSlice(set, get, { saveCart, emptyCart }),
    ...parkSlice(set, get, { ...deps, saveCart, emptyCart }),
    ...quickKeysSlice(set, get, { ...deps, saveCart }),
    ...discountSlice(set, get, { saveCart, rpc: deps.rpc }),
    ...lineEntrySlice(set, get, { saveCart, now: deps.now ?? Date.now }),
    hello: null,
    cart: emptyCart('EUR'),
    paying: false,
    notice: null,
    lastSale: null,
    quote: null,
    sync: null,
    devices: null,
    async init() {
      deps.rpc.on('scanner.scan', ({ barcode, product }) => get().scanned(barcode, product));
      deps.rpc.on('sync.status', (sync) => set({ sync }));
      deps.rpc.on('devices.status', (devices) => set({ devices }));
      void get().refreshSession();
      void get().refreshShift();
      get().initQuickKeys();
      deps.rpc
        .call('devices.status', {})
        .then((devices) => set((state) => (state.devices ? {} : { devices })))
        .catch(() => {});
      const hello = await deps.rpc.call('session.hello', {});
      const stored = await deps.db.load();
      set({ hello, sync: hello.sync });
      saveCart(stored && stored.currency === hello.currency ? stored : emptyCart(hello.currency));
    },
    addProduct(product) {
      // Weighed, open-price, price-labelled and age-restricted products ask first, and are never merged.
      if (get().beginLineEntry(product)) return;
      const { cart } = get();
      const existing = cart.lines.find(
        (line) => line.productId === product.productId && !line.measure && line.enteredPrice === undefined,
      );
      if (existing && existing.quantity >= MAX_QUANTITY)
        return set({ notice: { kind: 'error', text: LINE_FULL_WORDS } });
      const lines: CartLine[] = existing
        ? cart.lines.map((line) => (line === existing ? { ...line, quantity: line.quantity + 1 } : line))
        : [
            ...cart.lines,
            {
              lineId: `l${cart.nextLine}`,
              productId: product.productId,
              barcode: product.barcode,
              name: product.name,
              unitPrice: product.unitPrice,
              quantity: 1,
            },
          ];
      saveCart({ ...cart, lines, nextLine: existing ? cart.nextLine : cart.nextLine + 1 });
      set({ notice: null, lastSale: null, selectedLineId: existing?.lineId ?? `l${cart.nextLine}` });
    },
    scanned(barcode, product) {
      // Nothing is rung up with nobody at the till; the scan is not shown either (a fast-typed PIN reads as one).
      if (!isSignedIn(get().session)) return refuseScan();
      if (product) get().addProduct(product);
      else set({ notice: { kind: 'error', text: unknownBarcodeWords(barcode) } });
    },
    removeLine(lineId) {
      if (get().paying) return set({ notice: { kind: 'error', text: PAYING_WORDS } });
      const { cart } = get();
      saveCart({ ...cart, lines: cart.lines.filter((line) => line.lineId !== lineId) });
    },
    setCashTendered(text) {
      saveCart({ ...get().cart, cashTendered: text });
    },
    async pay() {
      // No re-entry guard on purpose: a second press re-sends the same sale id, and the host records it once.
      if (get().cart.lines.length === 0)
        return set({ notice: { kind: 'error', text: 'Scan an item first' } });
      if (sellingBlocked(get().shiftStatus)) return set({ notice: { kind: 'error', text: NO_SHIFT_WORDS } });
      if (!(await pricedAsShown())) return;
      const { cart } = get();
      let cashTendered: number;
      try {
        const { quote } = get();
        cashTendered = cart.cashTendered.trim()
          ? parseMinorUnits(cart.cashTendered, cart.currency)
          : (quote?.cashDue ?? cartTotal(cart));
      } catch (error) {
        return fail(error);
      }
      paysInFlight += 1;
      set({ paying: true, notice: null });
      try {
        const sale = await deps.rpc.call('sale.complete', {
          ...cartRequest(cart),
          saleId: cart.saleId,
          tenders: [{ kind: 'cash', tendered: cashTendered }],
        });
        const carried = get().cart.saleId === sale.saleId ? nextSaleAfter(cart) : [];
        const notes = [sale.receipt, sale.drawer].some(
          (outcome) => outcome === 'not-sent' || outcome === 'partial',
        )
          ? {
              kind: 'error' as const,
              text: `Sale saved. Printer problem: receipt ${sale.receipt}, drawer ${sale.drawer}`,
            }
          : carried.length > 0
            ? { kind: 'info' as const, text: addedDuringPayNotice(carried) }
            : null;
        const sameAsShown = sale.alreadyRecorded && get().lastSale?.saleId === sale.saleId;
        if (!sameAsShown) set({ lastSale: sale, notice: notes });
      } catch (error) {
        if (error instanceof RpcCallError && error.code === 'sale_already_recorded') {
          await recoverRecordedSale(cart.saleId, error);
        } else if (error instanceof RpcCallError && error.code === 'no_open_shift') {
          // The shift closed under the screen (another window, a restart): say so, and show it as the host has it.
          set({ notice: { kind: 'error', text: shiftRefusalInWords(error) ?? error.message } });
          void get().refreshShift();
        } else fail(error);
      } finally {
        paysInFlight -= 1;
        set({ paying: paysInFlight > 0 });
      }
    },
    async simulateScan(barcode) {
      try {
        await deps.rpc.call('devices.simulateScan', { data: barcode });
      } catch (error) {
        fail(error);
      }
    },
    async lookupScan(barcode) {
      if (!isSignedIn(get().session)) return refuseScan();
      // The host validates too; refusing here keeps a garbled read from turning into a validation error.
      if (!Barcode.safeParse(barcode).success) return get().scanned(barcode, null);
      try {
        get().scanned(barcode, await deps.rpc.call('catalog.lookup', { barcode }));
      } catch (error) {
        fail(error);
      }
    },
  };
}

/** An unknown barcode, said so the cashier knows the next step; the cart is left as it was. */
export const unknownBarcodeWords = (barcode: string) =>
  `No product with barcode ${barcode} — search by name (F2)`;

function messageOf(error: unknown): string {
  return error instanceof RpcCallError || error instanceof Error ? error.message : String(error);
}
