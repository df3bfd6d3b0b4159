import type {
  CashMovementType,
  DenominationCountRequest,
  MethodParams,
  MethodResult,
  ShiftReportView,
  ShiftStatusView,
  VoidableSaleView,
} from '../contract/methods.js';
import type { TillDeps, TillGet, TillSet } from './cart-store.js';
import { CLOSED_MENU, menuAction } from './manager-slice.js';
import { RpcCallError } from './rpc-client.js';
import { CASH_MOVEMENT_WORDS } from './shift-words.js';
import { capitalised, money, printedInWords } from './words.js';

export type ShiftCloseResult = MethodResult<'shift.close'>;
export type PostVoidResult = MethodResult<'sale.postVoid'>;
export type OtherTenderCount = MethodParams<'shift.close'>['otherTenders'][number];

export interface ShiftState {
  /** The till's shift and training mode, as the host last said; null until it has (nothing is blocked then). */
  shiftStatus: ShiftStatusView | null;
  /** Ask the host for the shift (at start, and after a refusal that says it changed). */
  refreshShift(): Promise<void>;
  /** Opens the shift with the float counted; null when refused (the menu says why) or the approval was cancelled. */
  openShift(floatCount: DenominationCountRequest): Promise<ShiftStatusView | null>;
  /** The X report of the open shift, for the screen (it shows the expected cash: `shiftClose` or an approval). */
  loadShiftReport(): Promise<ShiftReportView | null>;
  /** Prints the open shift's X report, or with no shift open a copy of the last Z report (marked COPY). */
  printShiftReport(): Promise<boolean>;
  /** The blind count closes the shift: only its answer carries the expected figures. */
  closeShift(
    cashCount: DenominationCountRequest,
    otherTenders: OtherTenderCount[],
  ): Promise<ShiftCloseResult | null>;
  /** A cash drop, paid in or paid out; on success the menu closes and the cashier sees what happened. */
  cashMovement(type: CashMovementType, amount: number, reason: string): Promise<boolean>;
  loadVoidable(): Promise<VoidableSaleView[] | null>;
  postVoid(sale: VoidableSaleView, reason: string): Promise<PostVoidResult | null>;
  /** Training mode on or off; on success the menu closes (the banner says which). */
  setTraining(on: boolean): Promise<boolean>;
}

/** Refusals that say the shift or training mode changed under the screen: ask the host for it again. */
const SHIFT_CHANGED = new Set(['no_open_shift', 'shift_already_open', 'training_mode', 'shift_changed']);

export function shiftSlice(set: TillSet, get: TillGet, deps: TillDeps): ShiftState {
  const act = menuAction(set, get);
  const refreshAfter = (error: unknown) => {
    if (error instanceof RpcCallError && SHIFT_CHANGED.has(error.code)) void get().refreshShift();
  };
  /** Back to selling with what happened said where the cashier works. */
  const backToSelling = () => {
    const { message } = get().managerMenu;
    set({ managerMenu: CLOSED_MENU, notice: message });
  };
  /** The call as it came, having asked for the shift again when the refusal says it changed. */
  const noting = <T>(call: () => Promise<T>) =>
    call().catch((error: unknown) => {
      refreshAfter(error);
      throw error;
    });

  deps.rpc.on('shift.status', (shiftStatus) => set({ shiftStatus }));
  // Asked again whenever who works here changes: an ask that failed at start (the host restarting under a reloaded
  // page) is otherwise only mended by the host's next push, which may be a long time coming.
  deps.rpc.on('session.status', () => void get().refreshShift());

  return {
    shiftStatus: null,
    async refreshShift() {
      try {
        set({ shiftStatus: await deps.rpc.call('shift.status', {}) });
      } catch {
        // A host that cannot say (yet): the screen blocks nothing, and the host refuses what it must.
      }
    },
    async openShift(floatCount) {
      const status = await act(
        (approval) =>
          noting(() => deps.rpc.call('shift.open', { floatCount, ...(approval ? { approval } : {}) })),
        (result) => ({
          kind: 'info',
          text: `Shift open: float ${result.shift ? money(result.shift.openingFloat, result.shift.currency) : ''} counted. Cashiers can sign in and sell.`,
        }),
      );
      if (!status) return null;
      set({ shiftStatus: status });
      backToSelling();
      return status;
    },
    async loadShiftReport() {
      return act(
        (approval) => noting(() => deps.rpc.call('shift.report', approval ? { approval } : {})),
        () => null,
      );
    },
    async printShiftReport() {
      const report = get().shiftStatus?.shift ? 'X report' : 'Copy of the last Z report';
      const printed = await act(
        (approval) => noting(() => deps.rpc.call('shift.printReport', approval ? { approval } : {})),
        ({ receipt }) => ({
          kind: receipt === 'confirmed' || receipt === 'sent-unconfirmed' ? 'info' : 'error',
          text: `${report} ${printedInWords(receipt)}`,
        }),
      );
      return printed !== null;
    },
    async closeShift(cashCount, otherTenders) {
      const closed = await act(
        (approval) =>
          noting(() =>
            deps.rpc.call('shift.close', { cashCount, otherTenders, ...(approval ? { approval } : {}) }),
          ),
        () => null,
      );
      if (closed) void get().refreshShift();
      return closed;
    },
    async cashMovement(type, amount, reason) {
      const currency = get().shiftStatus?.shift?.currency ?? get().cart.currency;
      const words = CASH_MOVEMENT_WORDS[type].done;
      const done = await act(
        (approval) =>
          noting(() =>
            deps.rpc.call('cash.movement', { type, amount, reason, ...(approval ? { approval } : {}) }),
          ),
        ({ drawer, slip }) =>
          drawer === 'not-sent' || drawer === 'partial'
            ? {
                kind: 'error',
                text: `${capitalised(words)} of ${money(amount, currency)} recorded, but the drawer did not open: open it by key. Slip ${printedInWords(slip)}.`,
              }
            : {
                kind: 'info',
                text: `Drawer opened: ${words} ${money(amount, currency)} (${reason}). Slip ${printedInWords(slip)}.`,
              },
      );
      if (!done) return false;
      backToSelling();
      return true;
    },
    async loadVoidable() {
      const answer = await act(
        () => noting(() => deps.rpc.call('sale.voidable', {})),
        () => null,
      );
      return answer?.sales ?? null;
    },
    async postVoid(sale, reason) {
      const voided = await act(
        (approval) =>
          noting(() =>
            deps.rpc.call('sale.postVoid', {
              saleId: sale.saleId,
              reason,
              ...(approval ? { approval } : {}),
            }),
          ),
        (result) => ({
          kind: 'info',
          text:
            `Receipt ${sale.receiptNumber} voided: hand back ${money(result.refunded, result.currency)} cash. ` +
            `Void slip ${printedInWords(result.slip)}; ` +
            (result.drawer === 'not-sent' || result.drawer === 'partial'
              ? 'the drawer did not open: open it by key.'
              : 'drawer opened.'),
        }),
      );
      if (!voided) return null;
      backToSelling();
      return voided;
    },
    async setTraining(on) {
      const status = await act(
        (approval) => noting(() => deps.rpc.call('training.set', { on, ...(approval ? { approval } : {}) })),
        () => ({
          kind: 'info',
          text: on
            ? 'Training mode on: sales are practice, printed TRAINING, never counted; the drawer stays shut.'
            : 'Training mode off: sales are real again.',
        }),
      );
      if (!status) return false;
      set({ shiftStatus: status });
      backToSelling();
      return true;
    },
  };
}
