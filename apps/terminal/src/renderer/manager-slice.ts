import type { ApprovalCredentials, MethodResult } from '../contract/methods.js';
import { ApprovalCancelled } from './approval-slice.js';
import type { Notice, TillDeps, TillGet, TillSet } from './cart-store.js';
import { shiftRefusalInWords } from './shift-words.js';

export type LockedEmployee = MethodResult<'employees.locked'>['employees'][number];

/** Reasons a cashier picks from for a no-sale; anything else is typed. */
export const NO_SALE_REASONS = [
  'Change for a customer',
  'Float check',
  'Wrong tender corrected',
  'Drawer stuck',
];

export interface ManagerMenuState {
  open: boolean;
  /** What the last action did, or why the host refused it (e.g. events still to send before a new epoch). */
  message: Notice | null;
  /** Employees locked out on this till; null until asked for. */
  locked: LockedEmployee[] | null;
  busy: boolean;
}

export interface ManagerState {
  managerMenu: ManagerMenuState;
  openManagerMenu(): void;
  closeManagerMenu(): void;
  /** Opens the drawer without a sale, with its reason; asks for approval when the employee may not. */
  noSale(reason: string): Promise<boolean>;
  loadLocked(): Promise<void>;
  unlockEmployee(employee: LockedEmployee): Promise<void>;
  retrySync(): Promise<void>;
  startNewEpoch(): Promise<void>;
}

export const CLOSED_MENU: ManagerMenuState = { open: false, message: null, locked: null, busy: false };

/**
 * One manager action: through the approval mechanism, busy while it runs, its outcome (or the host's refusal, in a
 * cashier's words where the shift is concerned) as the menu's message. A cancelled approval leaves the menu as it was.
 */
export function menuAction(set: TillSet, get: TillGet) {
  const menu = (changes: Partial<ManagerMenuState>) =>
    set({ managerMenu: { ...get().managerMenu, ...changes } });
  return async <T>(
    call: (approval?: ApprovalCredentials) => Promise<T>,
    done: (result: T) => Notice | null,
  ): Promise<T | null> => {
    menu({ busy: true, message: null });
    try {
      const result = await get().withApproval(call);
      menu({ busy: false, message: done(result) });
      return result;
    } catch (error) {
      menu({
        busy: false,
        message:
          error instanceof ApprovalCancelled
            ? null
            : {
                kind: 'error',
                text: shiftRefusalInWords(error) ?? (error instanceof Error ? error.message : String(error)),
              },
      });
      return null;
    }
  };
}

export function managerSlice(set: TillSet, get: TillGet, deps: TillDeps): ManagerState {
  const menu = (changes: Partial<ManagerMenuState>) =>
    set({ managerMenu: { ...get().managerMenu, ...changes } });
  const act = menuAction(set, get);

  return {
    managerMenu: CLOSED_MENU,
    openManagerMenu() {
      menu({ ...CLOSED_MENU, open: true });
    },
    closeManagerMenu() {
      if (get().managerMenu.open) set({ managerMenu: CLOSED_MENU });
    },
    async noSale(reason) {
      const result = await act(
        (approval) => deps.rpc.call('drawer.noSale', { reason, ...(approval ? { approval } : {}) }),
        ({ drawer }) =>
          drawer === 'not-sent' || drawer === 'partial'
            ? {
                kind: 'error',
                text: `No sale recorded, but the drawer did not open (${drawer}): open it by key`,
              }
            : { kind: 'info', text: `Drawer opened: no sale (${reason})` },
      );
      if (!result) return false;
      // Back to selling: the menu closes, and the cashier sees what happened where they were.
      const { message } = get().managerMenu;
      set({ managerMenu: CLOSED_MENU, notice: message });
      return true;
    },
    async loadLocked() {
      try {
        menu({ locked: (await deps.rpc.call('employees.locked', {})).employees });
      } catch (error) {
        menu({
          locked: [],
          message: { kind: 'error', text: error instanceof Error ? error.message : String(error) },
        });
      }
    },
    async unlockEmployee(employee) {
      const done = await act(
        (approval) =>
          deps.rpc.call('employees.unlock', {
            employeeId: employee.employeeId,
            ...(approval ? { approval } : {}),
          }),
        () => ({ kind: 'info', text: `${employee.displayName} can sign in again` }),
      );
      if (done) await get().loadLocked();
    },
    async retrySync() {
      await act(
        (approval) => deps.rpc.call('sync.retry', approval ? { approval } : {}),
        (sync) => {
          set({ sync });
          return { kind: 'info', text: `Sync tried again: ${sync.alert ? sync.alert.message : sync.state}` };
        },
      );
    },
    async startNewEpoch() {
      await act(
        (approval) => deps.rpc.call('sync.startNewEpoch', approval ? { approval } : {}),
        (sync) => {
          set({ sync });
          return { kind: 'info', text: `New epoch started: sync is ${sync.state}` };
        },
      );
    },
  };
}
