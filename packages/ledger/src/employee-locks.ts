import type Database from 'better-sqlite3';
import { readStoredEvent } from './journal.js';

/** An employee locked out of this till after wrong PINs, as the journal says. */
export interface EmployeeLock {
  employeeId: string;
  failedAttempts: number;
  /** Until when; null: until a manager unlocks. */
  lockedUntil: string | null;
  /** When the lockout was journaled. */
  lockedAt: string;
}

const LOCK_TYPES = "type IN ('employee-locked-out', 'employee-unlocked')";

/**
 * Who is locked out of this till, derived from the journal alone (nothing stored beside it): an employee is locked
 * when their last `employee-locked-out` comes after their last `employee-unlocked` and its `lockedUntil` is null or
 * still ahead. Works on a read-only handle.
 */
export class EmployeeLocks {
  private readonly ofEmployee: Database.Statement<[string], { body: string }>;
  private readonly every: Database.Statement<[], { body: string }>;

  constructor(db: Database.Database) {
    this.ofEmployee = db.prepare(
      `SELECT body FROM journal WHERE ${LOCK_TYPES} AND json_extract(body, '$.payload.employeeId') = ?
       ORDER BY epoch DESC, seq DESC LIMIT 1`,
    );
    this.every = db.prepare(`SELECT body FROM journal WHERE ${LOCK_TYPES} ORDER BY epoch, seq`);
  }

  /** The employee's lockout in force at `at`, or null. */
  of(employeeId: string, at: Date): EmployeeLock | null {
    const row = this.ofEmployee.get(employeeId);
    return row ? lockInForce(row.body, at) : null;
  }

  /** Every lockout in force at `at`, the longest-standing first. */
  all(at: Date): EmployeeLock[] {
    const last = new Map<string, string>();
    for (const row of this.every.all()) {
      const { employeeId } = readStoredEvent(row.body).payload as { employeeId: string };
      last.delete(employeeId);
      last.set(employeeId, row.body);
    }
    return [...last.values()].flatMap((body) => lockInForce(body, at) ?? []);
  }
}

function lockInForce(body: string, at: Date): EmployeeLock | null {
  const event = readStoredEvent(body);
  if (event.type !== 'employee-locked-out') return null;
  const { employeeId, failedAttempts, lockedUntil } = event.payload;
  if (lockedUntil !== null && Date.parse(lockedUntil) <= at.getTime()) return null;
  return { employeeId, failedAttempts, lockedUntil, lockedAt: event.occurredAt };
}
