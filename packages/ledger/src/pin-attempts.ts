import type Database from 'better-sqlite3';

/** Wrong PINs typed on this till for one employee number, and a lockout kept here rather than in the journal. */
export interface PinAttemptRecord {
  /** Wrong PINs in a row since the last right one, unlock or lockout. */
  failures: number;
  lastFailedAt: string;
  /**
   * A lockout this table keeps itself: of a number that is no active employee's (so that the answers for it are
   * those a real employee would get), or of an employee whose lockout the server would not take in the journal.
   * An employee's lockout is otherwise journaled (`EmployeeLocks`), not kept here.
   */
  locked: boolean;
  /** Until when the lockout kept here holds; null: until a manager unlocks. */
  lockedUntil: string | null;
}

interface Row {
  failures: number;
  last_failed_at: string;
  locked: number;
  locked_until: string | null;
}

/**
 * Wrong-PIN counts per employee number on this till (migration 8): local, never journaled or sent, and kept across
 * restarts, so switching the till off and on does not give a guesser new tries. Keyed by the number typed, so a
 * number that is nobody's is counted like an employee's. The host decides what a count means (`pinLockout`).
 */
export class PinAttempts {
  private readonly select: Database.Statement<[string], Row>;
  private readonly increment: Database.Statement<[string, string], { failures: number }>;
  private readonly setLock: Database.Statement<[string | null, string]>;
  private readonly remove: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.select = db.prepare(
      'SELECT failures, last_failed_at, locked, locked_until FROM pin_attempts WHERE number = ?',
    );
    this.increment = db.prepare(
      `INSERT INTO pin_attempts (number, failures, last_failed_at) VALUES (?, 1, ?)
       ON CONFLICT (number) DO UPDATE SET failures = failures + 1, last_failed_at = excluded.last_failed_at
       RETURNING failures`,
    );
    this.setLock = db.prepare('UPDATE pin_attempts SET locked = 1, locked_until = ? WHERE number = ?');
    this.remove = db.prepare('DELETE FROM pin_attempts WHERE number = ?');
  }

  /** What this till holds for the number; null when nothing (no wrong PIN since the last reset). */
  of(number: string): PinAttemptRecord | null {
    const row = this.select.get(number);
    if (!row) return null;
    return {
      failures: row.failures,
      lastFailedAt: row.last_failed_at,
      locked: row.locked === 1,
      lockedUntil: row.locked_until,
    };
  }

  /** Counts one more wrong PIN for the number at `at`; answers the count now. */
  fail(number: string, at: string): number {
    const row = this.increment.get(number, at);
    if (!row) throw new Error(`pin_attempts: no count for ${number} after counting`);
    return row.failures;
  }

  /** Keeps a lockout of the number here (see `PinAttemptRecord.locked`), until `lockedUntil` or an unlock. */
  lock(number: string, lockedUntil: string | null): void {
    this.setLock.run(lockedUntil, number);
  }

  /** Forgets the number's count and any lockout kept here: a right PIN, an unlock, or a lockout journaled. */
  reset(number: string): void {
    this.remove.run(number);
  }
}
