import type { ApprovalCredentials } from '../contract/methods.js';
import type { ApprovalNeeded } from '../contract/wire.js';
import type { TillGet, TillSet } from './cart-store.js';
import { RpcCallError } from './rpc-client.js';

/** An approval the dialog is asking for: what, for whom, and the host's last refusal of the credentials given. */
export interface PendingApproval {
  needed: ApprovalNeeded;
  /** Why the last credentials were not accepted ("Approver's number or PIN is wrong"); null before a try. */
  error: string | null;
  busy: boolean;
}

export interface ApprovalState {
  approval: PendingApproval | null;
  /**
   * Makes `call` without approval; when the host answers `approval_required`, opens the approval dialog and makes the
   * same call again with the credentials given there, until it goes through (resolves with its result) or the dialog
   * is cancelled (rejects with `ApprovalCancelled`). Any other refusal rejects as it came.
   */
  withApproval<T>(call: (approval?: ApprovalCredentials) => Promise<T>): Promise<T>;
  /** The dialog's Approve: the waiting call again, with another employee's number and PIN; true when it went through. */
  approve(credentials: ApprovalCredentials): Promise<boolean>;
  /** The approver is typing again: the last refusal no longer applies. */
  clearApprovalError(): void;
  /**
   * The dialog's Cancel (Esc), or the session ended under it: the waiting call rejects with `ApprovalCancelled`. Not
   * while the credentials are with the host (its answer closes the dialog either way).
   */
  cancelApproval(): void;
}

/** The approval dialog was closed without an approval: nothing happened, and there is nothing to tell the cashier. */
export class ApprovalCancelled extends Error {
  override readonly name = 'ApprovalCancelled';
  constructor() {
    super('approval cancelled');
  }
}

/**
 * Refusals of the approver's credentials that leave the dialog open for another try: a wrong number or PIN, someone
 * who may not approve it, a locked or inactive approver.
 */
const TRY_AGAIN = new Set([
  'approval_refused',
  'approval_required',
  'sign_in_failed',
  'employee_locked',
  'employee_inactive',
]);

const NUMBER = /^[0-9]{1,10}$/;
const PIN = /^[0-9]{4,8}$/;

/** What is wrong with credentials before they go to the host, in the dialog's words; null when they may go. */
export function credentialsProblem(number: string, pin: string): string | null {
  if (!NUMBER.test(number)) return 'Enter the employee number (digits only)';
  if (!PIN.test(pin)) return 'Enter the PIN (4 to 8 digits)';
  return null;
}

interface Waiting {
  call: (approval?: ApprovalCredentials) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export function approvalSlice(set: TillSet, get: TillGet): ApprovalState {
  let waiting: Waiting | null = null;
  const close = () => {
    waiting = null;
    set({ approval: null });
  };
  return {
    approval: null,
    async withApproval<T>(call: (approval?: ApprovalCredentials) => Promise<T>): Promise<T> {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof RpcCallError && error.code === 'approval_required' && error.error.approval)) {
          throw error;
        }
        if (waiting)
          throw new RpcCallError({ ...error.error, message: 'Finish the approval on screen first' });
        const needed = error.error.approval;
        return new Promise<T>((resolve, reject) => {
          waiting = { call, resolve: resolve as (value: unknown) => void, reject };
          set({ approval: { needed, error: null, busy: false } });
        });
      }
    },
    async approve(credentials) {
      const current = waiting;
      const shown = get().approval;
      if (!current || !shown || shown.busy) return false;
      const problem = credentialsProblem(credentials.number, credentials.pin);
      if (problem) {
        set({ approval: { ...shown, error: problem } });
        return false;
      }
      set({ approval: { ...shown, busy: true, error: null } });
      try {
        const result = await current.call(credentials);
        close();
        current.resolve(result);
        return true;
      } catch (error) {
        if (error instanceof RpcCallError && TRY_AGAIN.has(error.code)) {
          set({ approval: { ...shown, busy: false, error: error.message } });
        } else {
          close();
          current.reject(error);
        }
        return false;
      }
    },
    clearApprovalError() {
      const shown = get().approval;
      if (shown?.error) set({ approval: { ...shown, error: null } });
    },
    cancelApproval() {
      const current = waiting;
      // While the host is answering, the approval may already have gone through: its answer closes the dialog.
      if (!current || get().approval?.busy) return;
      close();
      current.reject(new ApprovalCancelled());
    },
  };
}
