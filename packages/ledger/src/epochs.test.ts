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

  it('must come after the current epoch', () => {
    const { ledger } = withSales(0);
    expect(() => ledger.journal.startEpoch(1)).toThrow(/not after the current epoch 1/);
  });
});
