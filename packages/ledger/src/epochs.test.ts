import { GENESIS_HASH } from '@tillwright/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerError } from './errors.js';
import { freshLedger, saleDraft } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

function withSales(count: number) {
  const fixture = freshLedger();
  cleanup = fixture.cleanup;
  const events = Array.from(
    { length: count },
    () => fixture.ledger.journal.record(saleDraft(fixture.nextId())).event,
  );
  return { ...fixture, events };
}

describe('a new epoch', () => {
  it('is refused while events of the current epoch have not reached the server, and changes nothing', () => {
    const { ledger, events } = withSales(3);
    ledger.outbox.acknowledge(1, 2, events[1]!.hash);
    const refusal = (() => {
      try {
        ledger.journal.startEpoch(2);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(LedgerError);
    expect(refusal).toMatchObject({ code: 'unsynced_events', details: { pending: 1, epoch: 1 } });
    expect(ledger.journal.identity()?.epoch).toBe(1);
    expect(ledger.outbox.state()).toMatchObject({ epoch: 1, ackedSeq: 2, pending: 1 });
  });

  it('starts again at seq 1 from the genesis hash once everything was acknowledged, keeping the old rows', () => {
    const { ledger, events, nextId } = withSales(2);
    ledger.outbox.acknowledge(1, 2, events[1]!.hash);
    ledger.journal.startEpoch(2);
    const next = ledger.journal.record(saleDraft(nextId())).event;
    expect(next).toMatchObject({ epoch: 2, seq: 1, prevHash: GENESIS_HASH });
    expect(ledger.outbox.state()).toMatchObject({ epoch: 2, ackedSeq: 0, pending: 1 });
    expect(ledger.journal.count()).toBe(3);
    expect(ledger.journal.verify(1)).toBeNull();
    expect(ledger.journal.verify(2)).toBeNull();
  });

  it('leaves unsent events of the types the caller names on this till, but never a sale among them', () => {
    const { ledger, events, nextId } = withSales(1);
    ledger.outbox.acknowledge(1, 1, events[0]!.hash);
    const signedIn = {
      eventId: nextId(),
      type: 'employee-signed-in',
      occurredAt: '2026-11-25T10:00:00.000Z',
      schema: 1,
      payload: { employeeId: 'manager-1', method: 'number' },
    } as const;
    ledger.journal.record(signedIn);
    const mayLeave = ['employee-signed-in'] as const;
    expect(ledger.journal.unsent()).toBe(1);
    expect(ledger.journal.unsent(mayLeave)).toBe(0);
    ledger.journal.record(saleDraft(nextId()));
    expect(ledger.journal.unsent(mayLeave)).toBe(1);
    expect(() => ledger.journal.startEpoch(2, { mayLeave })).toThrow(
      expect.objectContaining({ code: 'unsynced_events', details: { pending: 1, epoch: 1 } }),
    );
    const last = ledger.journal.bySeq(1, ledger.journal.lastSeq(1))!;
    ledger.outbox.acknowledge(1, last.seq - 1, ledger.journal.bySeq(1, last.seq - 1)!.hash);
    // Acknowledged up to the sign-in only: the sale after it still holds the epoch.
    expect(() => ledger.journal.startEpoch(2, { mayLeave })).toThrow(/have not reached the server/);
    ledger.outbox.acknowledge(1, last.seq, last.hash);
    ledger.journal.record({ ...signedIn, eventId: nextId() });
    expect(() => ledger.journal.startEpoch(2)).toThrow(/have not reached the server/);
    ledger.journal.startEpoch(2, { mayLeave });
    expect(ledger.journal.identity()?.epoch).toBe(2);
    expect(ledger.journal.lastSeq(1)).toBe(4);
  });

  it('must come after the current epoch', () => {
    const { ledger } = withSales(0);
    expect(() => ledger.journal.startEpoch(1)).toThrow(/not after the current epoch 1/);
  });
});
