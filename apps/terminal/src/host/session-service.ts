import type { FeedEmployee, Ledger } from '@tillwright/ledger';
import { Permissions, type TerminalConfig } from '@tillwright/protocol';
import type { MethodParams, MethodResult, SessionEmployee, SessionView } from '../contract/methods.js';
import type { JournalWriter } from './journal-writer.js';
import type { PinCheck, PinChecks } from './pin-checks.js';
import { HostError } from './rpc-dispatcher.js';

/** A one-shot timer on the host's clock; answers how to cancel it. Injected so tests drive time themselves. */
export type SetTimer = (callback: () => void, ms: number) => () => void;

export const realTimer: SetTimer = (callback, ms) => {
  const handle = setTimeout(callback, ms);
  handle.unref();
  return () => clearTimeout(handle);
};

/** The employee signed in and what they may do without approval: what a gated method acts for. */
export interface Actor {
  employee: SessionEmployee;
  permissions: Permissions;
}

const NO_PERMISSIONS: Permissions = Object.freeze(Permissions.parse({}));

/** A role's permissions in the configuration in force; none for a role it does not name (nothing is assumed). */
export function permissionsOf(config: TerminalConfig, roleId: string): Permissions {
  return config.roles[roleId]?.permissions ?? NO_PERMISSIONS;
}

export interface SessionServiceDeps {
  ledger: Ledger;
  pins: PinChecks;
  writer: JournalWriter;
  now: () => Date;
  setTimer?: SetTimer;
  /** The session changed (sign-in, sign-out, switch, lock, auto-lock, a pulled change): push `session.status`. */
  onStatus: (view: SessionView) => void;
  log: (message: string) => void;
}

/**
 * One job: who is signed in on this till. Sign-in by number and PIN (a different employee signing in while someone
 * is, locked or not, is a switch: `employee-signed-out {switch}` then `employee-signed-in`; the same one again
 * unlocks the screen), sign-out, lock, and the auto-lock after `autoLockSeconds` without activity, on the host's
 * clock. The cart is the renderer's: nothing here touches it. `requireSignedIn` is the gate of every method that
 * sells, opens the drawer or acts for someone. The configuration (roles, auto-lock) is read at each use, so a pulled
 * change applies to the next check; `refresh` pushes what it changed.
 */
export class SessionService {
  private employeeId: string | null = null;
  /** What the feed said of the employee at sign-in: shown while the feed has no entry (after a `must_refetch`). */
  private signedInAs: FeedEmployee | null = null;
  private locked = false;
  private lastActivity = 0;
  private cancelTimer: (() => void) | null = null;
  private lastPushed = '';
  private readonly setTimer: SetTimer;

  constructor(private readonly deps: SessionServiceDeps) {
    this.setTimer = deps.setTimer ?? realTimer;
  }

  status(): SessionView {
    this.settle();
    return this.view();
  }

  /** The employees who may sign in here, by name: the list to pick from. */
  employees(): MethodResult<'session.employees'> {
    return {
      employees: this.deps.ledger.feed
        .activeEmployees()
        .map(({ employeeId, number, displayName }) => ({ employeeId, number, displayName })),
    };
  }

  async signIn({ number, pin, method = 'number' }: MethodParams<'session.signIn'>): Promise<SessionView> {
    const employee = signedIn(await this.deps.pins.check(number, pin), this.deps.pins);
    const before = this.employeeId;
    if (before !== employee.employeeId) {
      if (before !== null)
        this.deps.writer.write('employee-signed-out', { employeeId: before, reason: 'switch' });
      this.deps.writer.write('employee-signed-in', { employeeId: employee.employeeId, method });
      this.deps.log(`employee ${employee.number} signed in${before === null ? '' : ' (switch)'}`);
    }
    this.employeeId = employee.employeeId;
    this.signedInAs = employee;
    this.locked = false;
    this.touch();
    return this.publish();
  }

  signOut(): SessionView {
    this.signOutNow('signed out');
    return this.publish();
  }

  /** Locks the screen now; the employee stays signed in (not journaled). */
  lock(): SessionView {
    if (this.employeeId !== null) this.lockNow();
    return this.publish();
  }

  /** The cashier did something on screen: the auto-lock waits its full time again from now. */
  activity(): MethodResult<'session.activity'> {
    this.settle();
    if (this.employeeId === null || this.locked) return { lockInSeconds: null };
    this.touch();
    const seconds = this.deps.ledger.feed.config().autoLockSeconds;
    return { lockInSeconds: seconds === 0 ? null : seconds };
  }

  /**
   * The gate: the employee signed in, with their permissions, or `not_signed_in` / `session_locked`. A call that
   * passes it is activity.
   */
  requireSignedIn(): Actor {
    this.settle();
    const view = this.view();
    if (view.state === 'signed-out' || !view.employee || !view.permissions) {
      throw new HostError(
        'not_signed_in',
        'Nobody is signed in on this till: sign in with your employee number and PIN first',
        false,
      );
    }
    if (view.state === 'locked') {
      throw new HostError(
        'session_locked',
        `The till is locked: ${view.employee.displayName}, enter your PIN to go on (or another employee signs in)`,
        false,
      );
    }
    this.touch();
    return { employee: view.employee, permissions: view.permissions };
  }

  /** After a pull (the configuration or the employees may have changed): apply it and push what changed. */
  refresh(): void {
    this.settle();
    this.arm();
    this.publish();
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /**
   * Applies what time and the feed decided since the last look: the auto-lock once its time has passed, and a
   * sign-out of an employee the feed now says may not work here (deactivated at HQ, pulled since).
   */
  private settle(): void {
    if (this.employeeId === null) return;
    if (this.deps.ledger.feed.employee(this.employeeId)?.active === false) {
      this.signOutNow('signed out: no longer active at this store');
      this.publish();
      return;
    }
    const ms = this.autoLockMs();
    if (!this.locked && ms > 0 && this.deps.now().getTime() - this.lastActivity >= ms) {
      this.lockNow();
      this.deps.log('the till locked itself after no activity');
      this.publish();
    }
  }

  private signOutNow(why: string): void {
    if (this.employeeId === null) return;
    this.deps.writer.write('employee-signed-out', { employeeId: this.employeeId, reason: 'sign-out' });
    this.deps.log(`employee ${this.signedInAs?.number ?? this.employeeId} ${why}`);
    this.employeeId = null;
    this.signedInAs = null;
    this.locked = false;
    this.stop();
  }

  private lockNow(): void {
    this.locked = true;
    this.stop();
  }

  private touch(): void {
    this.lastActivity = this.deps.now().getTime();
    this.arm();
  }

  /** (Re)starts the auto-lock timer for the time left; none while nobody works, the screen is locked, or it is 0. */
  private arm(): void {
    this.stop();
    const ms = this.autoLockMs();
    if (this.employeeId === null || this.locked || ms === 0) return;
    const left = Math.max(0, this.lastActivity + ms - this.deps.now().getTime());
    this.cancelTimer = this.setTimer(() => {
      this.cancelTimer = null;
      this.settle();
      // Woken early (the clock moved less than the timer thought): wait for the rest.
      if (!this.locked && this.cancelTimer === null) this.arm();
    }, left);
  }

  private autoLockMs(): number {
    return this.deps.ledger.feed.config().autoLockSeconds * 1000;
  }

  private view(): SessionView {
    const config = this.deps.ledger.feed.config();
    const autoLockSeconds = config.autoLockSeconds;
    if (this.employeeId === null || this.signedInAs === null)
      return { state: 'signed-out', employee: null, permissions: null, autoLockSeconds };
    const entry = this.deps.ledger.feed.employee(this.employeeId) ?? this.signedInAs;
    return {
      state: this.locked ? 'locked' : 'signed-in',
      employee: {
        employeeId: entry.employeeId,
        number: entry.number,
        displayName: entry.displayName,
        roleId: entry.roleId,
        roleName: config.roles[entry.roleId]?.name ?? entry.roleId,
      },
      permissions: permissionsOf(config, entry.roleId),
      autoLockSeconds,
    };
  }

  /** Pushes `session.status` when what the screen would show has changed; answers the view. */
  private publish(): SessionView {
    const view = this.view();
    const key = JSON.stringify(view);
    if (key !== this.lastPushed) {
      this.lastPushed = key;
      this.deps.onStatus(view);
    }
    return view;
  }
}

/** The employee a sign-in check accepted, or the refusal in words the person at the till can act on. */
function signedIn(check: PinCheck, pins: PinChecks): FeedEmployee {
  switch (check.outcome) {
    case 'accepted':
      return check.employee;
    case 'wrong':
      throw new HostError(
        'sign_in_failed',
        `Employee number or PIN is wrong (${check.triesLeft} ${check.triesLeft === 1 ? 'try' : 'tries'} left)`,
        false,
      );
    case 'locked':
      throw new HostError(
        'employee_locked',
        `Locked after ${check.failedAttempts} wrong PINs ${pins.until(check)}`,
        false,
      );
    case 'inactive':
      throw new HostError(
        'employee_inactive',
        `${check.employee.displayName} may not sign in at this store: ask HQ to make them active here`,
        false,
      );
  }
}
