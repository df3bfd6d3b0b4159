import { afterEach, describe, expect, it } from 'vitest';
import { freshLedger, saleDraft } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

function setupWith(sales: number) {
  const fixture = freshLedger();
  cleanup = fixture.cleanup;
  const events = Array.from(
    { length: sales },
    () => fixture.ledger.journal.record(saleDraft(fixture.nextId())).event,
  );
  return { ...fixture, events };
}

describe('outbox', () => {
  it('offers unacknowledged events in seq order, bounded by count', () => {
    const { ledger } = setupWith(5);
    expect(ledger.outbox.nextBatch({ maxEvents: 2, maxBytes: 1e6 }).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('bounds a batch by bytes but always offers at least one event', () => {
    const { ledger } = setupWith(3);
    expect(ledger.outbox.nextBatch({ maxEvents: 100, maxBytes: 1 })).toHaveLength(1);
  });

  it('moves the cursor forward on acknowledgement and keeps the rows', () => {
    const { ledger, events } = setupWith(3);
    ledger.outbox.acknowledge(1, 2, events[1]!.hash);
    expect(ledger.outbox.nextBatch({ maxEvents: 10, maxBytes: 1e6 }).map((e) => e.seq)).toEqual([3]);
    expect(ledger.outbox.state()).toMatchObject({ ackedSeq: 2, lastSeq: 3, pending: 1 });
    ledger.outbox.acknowledge(1, 1, events[0]!.hash);
    expect(ledger.outbox.state()).toMatchObject({ ackedSeq: 2 });
    expect(ledger.journal.count()).toBe(3);
  });

  it('refuses an acknowledgement whose hash this journal does not hold', () => {
    const { ledger } = setupWith(2);
    expect(() => ledger.outbox.acknowledge(1, 2, 'f'.repeat(64))).toThrow(
      expect.objectContaining({ code: 'unknown_ack' }),
    );
    expect(ledger.outbox.state()).toMatchObject({ ackedSeq: 0, pending: 2 });
  });

  it('rewinds to what the server still holds, so lost events are pushed again, but never forward', () => {
    const { ledger, events } = setupWith(4);
    ledger.outbox.acknowledge(1, 4, events[3]!.hash);
    ledger.outbox.rewind(1, 2);
    expect(ledger.outbox.nextBatch({ maxEvents: 10, maxBytes: 1e6 }).map((e) => e.seq)).toEqual([3, 4]);
    expect(ledger.outbox.state()).toMatchObject({ ackedSeq: 2, ackedHash: events[1]!.hash, pending: 2 });
    ledger.outbox.rewind(1, 3);
    expect(ledger.outbox.state()?.ackedSeq).toBe(2);
    ledger.outbox.rewind(1, 0);
    expect(ledger.outbox.state()).toMatchObject({ ackedSeq: 0, pending: 4 });
  });

  it('reports when the oldest pending sale happened', () => {
    const { ledger, events } = setupWith(2);
    expect(ledger.outbox.state()?.oldestPendingAt).toBe(events[0]!.occurredAt);
    ledger.outbox.acknowledge(1, 2, events[1]!.hash);
    expect(ledger.outbox.state()?.oldestPendingAt).toBeNull();
  });
});
