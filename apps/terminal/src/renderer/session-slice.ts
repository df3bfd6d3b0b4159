import type { MethodResult, SessionView } from '../contract/methods.js';
import type { TillDeps, TillGet, TillSet } from './cart-store.js';
import { RpcCallError } from './rpc-client.js';

export type EmployeeChoice = MethodResult<'session.employees'>['employees'][number];

/** At most one `session.activity` per this many ms: enough for an auto-lock counted in seconds or minutes. */
export const ACTIVITY_EVERY_MS = 5_000;
/** How soon to ask again who is signed in while the host cannot be reached. */
const SESSION_RETRY_MS = 1_000;

export interface SessionState {
  /** Who works on this till, as the host last said; null until it has. */
  session: SessionView | null;
  /** Why the last sign-in was refused, in the host's words (tries left, locked until when). */
  signInError: string | null;
  signingIn: boolean;
  /** The employees to pick from on the sign-in screen; null until asked for. */
  employees: EmployeeChoice[] | null;
  /** Ask the host who is signed in (again, after a refusal that says the session changed or a lost contact). */
  refreshSession(): Promise<void>;
  loadEmployees(): Promise<void>;
  /** Sign in, unlock (the same employee) or switch (another one); true when it went through. */
  signIn(number: string, pin: string, method?: 'number' | 'list'): Promise<boolean>;
  clearSignInError(): void;
  signOut(): Promise<void>;
  lock(): Promise<void>;
  /** The cashier pressed a key or touched the screen: tells the host (throttled), which restarts its auto-lock wait. */
  noteActivity(): void;
}

/** Whether the till may be worked on: someone signed in and the screen not locked. */
export const isSignedIn = (session: SessionView | null): boolean => session?.state === 'signed-in';

export function sessionSlice(set: TillSet, get: TillGet, deps: TillDeps): SessionState {
  const now = deps.now ?? Date.now;
  let lastActivitySent = Number.NEGATIVE_INFINITY;
  let trailing: ReturnType<typeof setTimeout> | undefined;
  let refreshing: Promise<void> | null = null;

  const sendActivity = () => {
    lastActivitySent = now();
    deps.rpc.call('session.activity', {}).catch(() => {});
  };
  const stopTrailing = () => {
    clearTimeout(trailing);
    trailing = undefined;
  };
  /** What the host said about the session: shown as it is; an approval or a menu of a session that ended closes. */
  const apply = (session: SessionView) => {
    set({ session });
    if (!isSignedIn(session)) {
      stopTrailing();
      get().cancelApproval();
      get().closeManagerMenu();
    }
  };
  const change = async (method: 'session.signOut' | 'session.lock') => {
    try {
      apply(await deps.rpc.call(method, {}));
    } catch (error) {
      set({ notice: { kind: 'error', text: error instanceof Error ? error.message : String(error) } });
    }
  };

  deps.rpc.on('session.status', apply);

  return {
    session: null,
    signInError: null,
    signingIn: false,
    employees: null,
    refreshSession() {
      refreshing ??= (async () => {
        for (;;) {
          try {
            return apply(await deps.rpc.call('session.status', {}));
          } catch (error) {
            // Out of contact (a host restarting): ask again until it answers. Anything else: keep what is shown.
            if (!(error instanceof RpcCallError && error.code === 'host_disconnected')) return;
            await new Promise((resolve) => setTimeout(resolve, SESSION_RETRY_MS));
          }
        }
      })().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },
    async loadEmployees() {
      try {
        set({ employees: (await deps.rpc.call('session.employees', {})).employees });
      } catch {
        set({ employees: [] });
      }
    },
    async signIn(number, pin, method = 'number') {
      if (get().signingIn) return false;
      set({ signingIn: true, signInError: null });
      try {
        apply(await deps.rpc.call('session.signIn', { number, pin, method }));
        lastActivitySent = now();
        return true;
      } catch (error) {
        set({ signInError: error instanceof Error ? error.message : String(error) });
        return false;
      } finally {
        set({ signingIn: false });
      }
    },
    clearSignInError() {
      if (get().signInError) set({ signInError: null });
    },
    signOut: () => change('session.signOut'),
    lock: () => change('session.lock'),
    noteActivity() {
      if (!isSignedIn(get().session)) return;
      const wait = lastActivitySent + ACTIVITY_EVERY_MS - now();
      if (wait <= 0) {
        stopTrailing();
        return sendActivity();
      }
      // Within the quiet time: one call at its end, so the host hears of the last input within ACTIVITY_EVERY_MS.
      trailing ??= setTimeout(() => {
        trailing = undefined;
        if (isSignedIn(get().session)) sendActivity();
      }, wait);
    },
  };
}

/**
 * The host refused because the session changed under the screen (signed out elsewhere, auto-locked, a restarted
 * host): ask it who is signed in now, so the sign-in screen shows.
 */
export function refusedForSession(error: unknown): boolean {
  return (
    error instanceof RpcCallError &&
    ['not_signed_in', 'session_locked', 'host_disconnected'].includes(error.code)
  );
}
