import { EVENT_VERSIONS, type EventType, payloadForVersion, upcastPayload } from '@tillwright/protocol';
import { sampleSalePayload } from '@tillwright/protocol/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventDraft } from './journal.js';
import { Ledger } from './ledger.js';
import { freshLedger } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

const AT = '2026-11-25T10:00:00.000Z';

/** A sale (or training sale) as the till hands it to the ledger at `schema`: number null, the ledger assigns it. */
function saleAt(type: 'sale' | 'training-sale', schema: number, total = 250) {
  const v5 = {
    ...upcastPayload('sale', 1, sampleSalePayload(total)).payload,
    employeeId: 'cashier-7',
    shiftId: null,
  };
  return { type, schema, payload: payloadForVersion(type, schema, v5) };
}

function setup() {
  const fixture = freshLedger();
  cleanup = fixture.cleanup;
  const record = (draft: { type: EventType; schema: number; payload: unknown }, eventId = fixture.nextId()) =>
    fixture.ledger.journal.record({ eventId, occurredAt: AT, ...draft } as EventDraft).event;
  const number = (event: { eventId: string }) =>
    (fixture.ledger.journal.read(event.eventId)!.payload as { receiptNumber: string }).receiptNumber;
  const signIn = () =>
    record({
      type: 'employee-signed-in',
      schema: 1,
      payload: { employeeId: 'cashier-7', method: 'number' },
    });
  return { ...fixture, record, number, signIn };
}

const latestSale = () => saleAt('sale', EVENT_VERSIONS.sale.latest);
const latestTraining = () => saleAt('training-sale', EVENT_VERSIONS['training-sale'].latest);

describe('receipt numbers', () => {
  it('count a till’s sales consecutively, whatever else the journal records between them', () => {
    const { record, number, signIn } = setup();
    signIn();
    const first = record(latestSale());
    signIn();
    signIn();
    const second = record(latestSale());
    expect(first.seq).toBe(2);
    expect([number(first), number(second)]).toEqual(['T1-1-000001', 'T1-1-000002']);
    // Stored in the sale as written: what is hashed and synced carries the number.
    expect(first.payload).toMatchObject({ receiptNumber: 'T1-1-000001' });
  });

  it('count training sales apart, under a prefix no sale number has', () => {
    const { record, number } = setup();
    const sale = record(latestSale());
    const training = [record(latestTraining()), record(latestTraining())];
    const next = record(latestSale());
    expect(training.map(number)).toEqual(['TRN-T1-1-000001', 'TRN-T1-1-000002']);
    expect([number(sale), number(next)]).toEqual(['T1-1-000001', 'T1-1-000002']);
  });

  it('go on after sales written before numbers, which keep the number their receipts printed', () => {
    const { ledger, record, number, signIn } = setup();
    signIn();
    const old = record(saleAt('sale', 4));
    expect(number(old)).toBe('T1-1-000002');
    signIn();
    const numbered = record(latestSale());
    // One past the last receipt printed: never a number an older receipt already carries.
    expect(number(numbered)).toBe('T1-1-000003');
    expect(numbered.seq).toBe(4);
    expect(ledger.projections.findSale({ receiptNumber: 'T1-1-000002' })?.eventId).toBe(old.eventId);
    expect(ledger.projections.findSale({ receiptNumber: 'T1-1-000003' })?.eventId).toBe(numbered.eventId);
    // Seq 4 is the numbered sale, which goes by 000003: its place in the journal names nothing.
    expect(ledger.projections.findSale({ receiptNumber: 'T1-1-000004' })).toBeNull();
  });

  it('give a retried sale the number it already has, without using one up', () => {
    const { record, number, nextId } = setup();
    const eventId = nextId();
    const draft = latestSale();
    const first = record(draft, eventId);
    const again = record(draft, eventId);
    expect(again).toEqual(first);
    expect(number(record(latestSale()))).toBe('T1-1-000002');
  });

  it('refuse a sale that names its own number, recording nothing', () => {
    const { ledger, record } = setup();
    const draft = latestSale();
    const named = { ...draft, payload: { ...draft.payload, receiptNumber: 'T1-1-000099' } };
    expect(() => record(named)).toThrow(
      expect.objectContaining({ code: 'invalid_event', message: expect.stringMatching(/ledger assigns it/) }),
    );
    expect(ledger.journal.lastSeq(1)).toBe(0);
  });

  it('go on from the last training number after a server rollback wrote a training sale without one', () => {
    const { record, number } = setup();
    const first = record(latestTraining());
    record(saleAt('training-sale', 1)); // the server rolled back to training-sale v1 for a while
    const next = record(latestTraining());
    // Not TRN-…-000001 again: the count goes on from the last training sale that has a number.
    expect([number(first), number(next)]).toEqual(['TRN-T1-1-000001', 'TRN-T1-1-000002']);
  });

  it('neither skip nor repeat a number when a server rollback wrote sales at v4 between v5 ones', () => {
    const { ledger, record, signIn } = setup();
    const printed = (event: { eventId: string }) =>
      (ledger.journal.read(event.eventId)!.payload as { receiptNumber: string }).receiptNumber;
    const sales = [record(latestSale())]; // 000001 at seq 1
    signIn();
    sales.push(record(saleAt('sale', 4))); // rolled back: prints its place, seq 3 → 000003
    sales.push(record(latestSale()), record(latestSale()), record(latestSale()));
    const numbers = sales.map(printed);
    // Every number printed once, none missing: 2 goes to the next sale, 3 stays the v4 sale's.
    expect(numbers).toEqual(['T1-1-000001', 'T1-1-000003', 'T1-1-000002', 'T1-1-000004', 'T1-1-000005']);
    for (const [index, sale] of sales.entries())
      expect(ledger.projections.findSale({ receiptNumber: numbers[index]! })?.eventId).toBe(sale.eventId);
  });

  it('neither skip nor repeat a number across a restart', () => {
    const { ledger, path, record, number, nextId } = setup();
    const before = [record(latestSale()), record(latestSale())].map(number);
    ledger.close();
    const reopened = Ledger.open(path);
    try {
      const after = reopened.journal.record({
        eventId: nextId(),
        occurredAt: AT,
        ...latestSale(),
      } as EventDraft).event;
      expect([...before, (after.payload as { receiptNumber: string }).receiptNumber]).toEqual([
        'T1-1-000001',
        'T1-1-000002',
        'T1-1-000003',
      ]);
    } finally {
      reopened.close();
    }
  });
});
