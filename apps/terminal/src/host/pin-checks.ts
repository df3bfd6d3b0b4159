import { localDateTime } from '@tillwright/commerce';
import type { FeedEmployee, Ledger } from '@tillwright/ledger';
import type { PinHash } from '@tillwright/protocol';
import { verifyPin } from '@tillwright/protocol/pin';
import type { JournalWriter } from './journal-writer.js';

/** What a number and PIN typed on this till amount to. */
export type PinCheck =
  | { outcome: 'accepted'; employee: FeedEmployee }
  | { outcome: 'wrong'; triesLeft: number }
  | ({ outcome: 'locked' } & PinLock)
  /** The PIN was right but the employee may not work here (any more): said only to someone who knew the PIN. */
  | { outcome: 'inactive'; employee: FeedEmployee };

export interface PinLock {
  failedAttempts: number;
  /** Until when; null: until a manager unlocks. */
  lockedUntil: string | null;
}

/**
 * What an unknown number, or an employee who may not sign in here (their entry carries no hash), is checked
 * against: a hash with the parameters of every employee's (scrypt N=2^14, r=8, p=1, 32 bytes), which no PIN is
 * known to match. So such a number costs the same one hash as an employee's and its answer comes as fast.
 */
const NOBODY: PinHash = {
  algorithm: 'scrypt',
  N: 2 ** 14,
  r: 8,
  p: 1,
  keyLength: 32,
  salt: 'bm8gZW1wbG95ZWUgaGFzIHRoaXM=',
  hash: 'KJ0zKZ5Dx7Zz1m3q9Z2fWm7bJm8yF1m4e2kQ0n5xH6c=',
};

export interface PinChecksDeps {
  ledger: Ledger;
  writer: JournalWriter;
  now: () => Date;
  log: (message: string) => void;
}

/**
 * One job: whether a number and PIN typed on this till are an employee who may act now, for sign-in and for an
 * approver alike. One `verifyPin` (scrypt) per attempt, one attempt at a time on this till, so a burst of attempts
 * cannot all be checked before the lockout counts them. Wrong PINs are counted per number in the ledger
 * (`pinAttempts`, kept across restarts, never journaled); at `pinLockout.attempts` an employee is locked out by a
 * journaled `employee-locked-out` (until `lockMinutes` pass, or a manager unlocks when it is 0). A number that is
 * no active employee's is counted and locked the same way, in the ledger only, so the answers never tell whether a
 * number is someone's. The configuration is read at each attempt: a pulled change applies to the next one.
 */
export class PinChecks {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: PinChecksDeps) {}

  check(number: string, pin: string): Promise<PinCheck> {
    const attempt = this.queue.then(() => this.attempt(number, pin));
    this.queue = attempt.catch(() => undefined);
    return attempt;
  }

  /** The lockout of a number in force now, or null: journaled for an active employee, else kept in the ledger. */
  lockOf(number: string, entry = this.deps.ledger.feed.employeeByNumber(number)): PinLock | null {
    const { ledger, now } = this.deps;
    const at = now();
    if (entry?.active) {
      const lock = ledger.employeeLocks.of(entry.employeeId, at);
      if (lock) return { failedAttempts: lock.failedAttempts, lockedUntil: lock.lockedUntil };
    }
    const local = ledger.pinAttempts.of(number);
    if (!local?.locked) return null;
    if (local.lockedUntil !== null && Date.parse(local.lockedUntil) <= at.getTime()) {
      ledger.pinAttempts.reset(number);
      return null;
    }
    return { failedAttempts: local.failures, lockedUntil: local.lockedUntil };
  }

  /** The active employees of this store locked out now, by name. */
  locked(): (FeedEmployee & PinLock)[] {
    return this.deps.ledger.feed.activeEmployees().flatMap((employee) => {
      const lock = this.lockOf(employee.number, employee);
      return lock ? [{ ...employee, ...lock }] : [];
    });
  }

  /** Ends a lockout a manager approved (`approvalId`): journals `employee-unlocked` and forgets the count. */
  unlock(employee: FeedEmployee, unlockedBy: string, approvalId: string): void {
    this.deps.writer.write('employee-unlocked', { employeeId: employee.employeeId, unlockedBy, approvalId });
    this.deps.ledger.pinAttempts.reset(employee.number);
    this.deps.log(`employee ${employee.number} unlocked by ${unlockedBy}`);
  }

  /**
   * When a lockout ends, in words: "until 14:32 — a manager can unlock" (the store's clock; with the date when not
   * today), or "until a manager unlocks".
   */
  until(lock: PinLock): string {
    if (lock.lockedUntil === null) return 'until a manager unlocks';
    const { timeZone } = this.deps.ledger.feed.config();
    const end = localDateTime(lock.lockedUntil, timeZone);
    const today = localDateTime(this.deps.now(), timeZone);
    const time = `${String(end.hour).padStart(2, '0')}:${String(end.minute).padStart(2, '0')}`;
    const sameDay = end.year === today.year && end.month === today.month && end.day === today.day;
    const when = sameDay ? time : `${end.year}-${pad(end.month)}-${pad(end.day)} ${time}`;
    return `until ${when} — a manager can unlock`;
  }

  private async attempt(number: string, pin: string): Promise<PinCheck> {
    const { ledger, now } = this.deps;
    const { attempts, lockMinutes } = ledger.feed.config().pinLockout;
    const entry = ledger.feed.employeeByNumber(number);
    const lock = this.lockOf(number, entry);
    if (lock) return { outcome: 'locked', ...lock };
    const hash = entry?.pin ?? null;
    const right = (await verifyPin(pin, hash ?? NOBODY)) && hash !== null;
    if (right && entry) {
      if (!entry.active) return { outcome: 'inactive', employee: entry };
      ledger.pinAttempts.reset(number);
      return { outcome: 'accepted', employee: entry };
    }
    const at = now();
    const failures = ledger.pinAttempts.fail(number, at.toISOString());
    if (failures < attempts) return { outcome: 'wrong', triesLeft: attempts - failures };
    const lockedUntil = lockMinutes > 0 ? new Date(at.getTime() + lockMinutes * 60_000).toISOString() : null;
    const journaled =
      entry?.active === true &&
      this.deps.writer.write('employee-locked-out', {
        employeeId: entry.employeeId,
        failedAttempts: failures,
        lockedUntil,
      }) !== null;
    // A journaled lockout is the lock from now on; any other is kept beside the count.
    if (journaled) ledger.pinAttempts.reset(number);
    else ledger.pinAttempts.lock(number, lockedUntil);
    this.deps.log(`employee number ${number} locked out on this till after ${failures} wrong PINs`);
    return { outcome: 'locked', failedAttempts: failures, lockedUntil };
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
