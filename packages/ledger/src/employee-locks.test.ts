import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { Ledger, LedgerReader } from './ledger.js';
import { freshLedger } from './test-support.js';

let fixture: ReturnType<typeof freshLedger>;
beforeEach(() => {
  fixture = freshLedger();
});
afterEach(() => fixture.cleanup());

const AT = (minute: number) => new Date(Date.parse('2026-11-25T10:00:00.000Z') + minute * 60_000);

function lockOut(employeeId: string, minute: number, lockedUntil: Date | null) {
  fixture.ledger.journal.record({
    eventId: fixture.nextId(),
    type: 'employee-locked-out',
    occurredAt: AT(minute).toISOString(),
    schema: 1,
    payload: { employeeId, failedAttempts: 5, lockedUntil: lockedUntil?.toISOString() ?? null },
  });
}

function unlock(employeeId: string, minute: number) {
  fixture.ledger.journal.record({
    eventId: fixture.nextId(),
    type: 'employee-unlocked',
    occurredAt: AT(minute).toISOString(),
    schema: 1,
    payload: { employeeId, unlockedBy: 'manager-1', approvalId: fixture.nextId() },
  });
}

describe('employees locked out of this till, from the journal', () => {
  it('locks an employee from the lockout until its lockedUntil, and not at or after it', () => {
    expect(fixture.ledger.employeeLocks.of('cashier-7', AT(0))).toBeNull();
    lockOut('cashier-7', 0, AT(15));
    expect(fixture.ledger.employeeLocks.of('cashier-7', AT(14))).toEqual({
      employeeId: 'cashier-7',
      failedAttempts: 5,
      lockedUntil: AT(15).toISOString(),
      lockedAt: AT(0).toISOString(),
    });
    expect(fixture.ledger.employeeLocks.of('cashier-7', AT(15))).toBeNull();
    expect(fixture.ledger.employeeLocks.of('someone-else', AT(1))).toBeNull();
  });

  it('keeps a lockout without an end until an unlock, and a later lockout counts again', () => {
    lockOut('cashier-7', 0, null);
    expect(fixture.ledger.employeeLocks.of('cashier-7', AT(60 * 24 * 365))).toMatchObject({
      lockedUntil: null,
    });
    unlock('cashier-7', 5);
    expect(fixture.ledger.employeeLocks.of('cashier-7', AT(6))).toBeNull();
    lockOut('cashier-7', 10, AT(25));
    expect(fixture.ledger.employeeLocks.of('cashier-7', AT(11))).toMatchObject({
      lockedAt: AT(10).toISOString(),
    });
  });

  it('lists the lockouts in force, oldest first, leaving out those ended by time or by an unlock', () => {
    lockOut('a', 0, AT(15));
    lockOut('b', 1, null);
    lockOut('c', 2, AT(3));
    lockOut('d', 3, null);
    unlock('d', 4);
    lockOut('a', 5, AT(20));
    expect(fixture.ledger.employeeLocks.all(AT(10)).map((lock) => [lock.employeeId, lock.lockedAt])).toEqual([
      ['b', AT(1).toISOString()],
      ['a', AT(5).toISOString()],
    ]);
    expect(fixture.ledger.employeeLocks.all(AT(20)).map((lock) => lock.employeeId)).toEqual(['b']);
  });

  it('reads across epochs in order, and from a read-only handle', () => {
    lockOut('cashier-7', 0, null);
    const state = fixture.ledger.outbox.state()!;
    const last = fixture.ledger.journal.bySeq(state.epoch, state.lastSeq)!;
    fixture.ledger.outbox.acknowledge(state.epoch, last.seq, last.hash);
    fixture.ledger.journal.startEpoch(2);
    unlock('cashier-7', 1);
    expect(fixture.ledger.employeeLocks.of('cashier-7', AT(2))).toBeNull();
    lockOut('other', 2, null);
    const reader = LedgerReader.open(fixture.path);
    try {
      expect(reader.employeeLocks.all(AT(3)).map((lock) => lock.employeeId)).toEqual(['other']);
    } finally {
      reader.close();
    }
  });
});

describe('wrong-PIN counts on this till', () => {
  it('counts by number, survives a restart, keeps a local lockout, and forgets on reset', () => {
    const { ledger } = fixture;
    expect(ledger.pinAttempts.of('1001')).toBeNull();
    expect(ledger.pinAttempts.fail('1001', AT(0).toISOString())).toBe(1);
    expect(ledger.pinAttempts.fail('1001', AT(1).toISOString())).toBe(2);
    expect(ledger.pinAttempts.fail('9999', AT(1).toISOString())).toBe(1);
    ledger.close();

    const reopened = Ledger.open(fixture.path);
    onTestFinished(() => reopened.close());
    expect(reopened.pinAttempts.of('1001')).toEqual({
      failures: 2,
      lastFailedAt: AT(1).toISOString(),
      locked: false,
      lockedUntil: null,
    });
    reopened.pinAttempts.lock('9999', AT(16).toISOString());
    expect(reopened.pinAttempts.of('9999')).toMatchObject({
      locked: true,
      lockedUntil: AT(16).toISOString(),
    });
    reopened.pinAttempts.reset('1001');
    expect(reopened.pinAttempts.of('1001')).toBeNull();
    expect(reopened.journal.count()).toBe(0);
  });
});
