import type { SaleEvent } from '@tillwright/protocol';
import { sampleSalePayload } from '@tillwright/protocol/testing';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { summariseBusinessDay } from './business-day.js';
import { DAY_EVENTS_SQL } from './projections.js';
import { freshLedger } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

function till() {
  const fixture = freshLedger();
  cleanup = fixture.cleanup;
  const { ledger, nextId } = fixture;
  const sale = (occurredAt: string, total: number) =>
    ledger.journal.record({
      eventId: nextId(),
      type: 'sale',
      occurredAt,
      payload: sampleSalePayload(total, total),
    }).event as SaleEvent;
  const voidSale = (occurredAt: string, voided: SaleEvent) =>
    ledger.journal.record({
      eventId: nextId(),
      type: 'void',
      occurredAt,
      payload: { voidedEventId: voided.eventId, reason: 'rang up twice', approvedBy: 'mgr-1' },
    });
  const refund = (occurredAt: string, original: SaleEvent, total: number) =>
    ledger.journal.record({
      eventId: nextId(),
      type: 'return',
      occurredAt,
      payload: {
        originalSaleId: original.eventId,
        originalStoreId: 'S1',
        originalTerminalId: 'T1',
        currency: 'EUR',
        lines: [{ lineId: 'l1', productId: 'pen', quantity: 1, net: total, taxes: [], total }],
        taxes: [],
        total,
        refunds: [{ tenderIndex: 0, kind: 'cash', ref: null, amount: total, paidOut: total }],
        cashRounding: 0,
        reason: 'changed mind',
        authorization: { kind: 'local-journal' },
      },
    });
  return { ledger, path: fixture.path, sale, voidSale, refund };
}

describe('business-day totals in the store’s zone', () => {
  it('count sales at 00:30 and 23:30 local of Berlin’s 25-hour day in that day, not its neighbours', () => {
    const { ledger, sale } = till();
    sale('2026-10-24T21:30:00.000Z', 1); // Sat 24 Oct 23:30 CEST
    sale('2026-10-24T22:30:00.000Z', 10); // Sun 25 Oct 00:30 CEST
    sale('2026-10-25T00:30:00.000Z', 100); // 02:30 CEST, first pass of the repeated hour
    sale('2026-10-25T01:30:00.000Z', 1_000); // 02:30 CET, second pass
    sale('2026-10-25T22:30:00.000Z', 10_000); // Sun 25 Oct 23:30 CET
    sale('2026-10-25T23:30:00.000Z', 100_000); // Mon 26 Oct 00:30 CET
    const day = ledger.projections.businessDayTotals('2026-10-25', 'Europe/Berlin');
    expect(day).toMatchObject({
      from: '2026-10-24T22:00:00.000Z',
      until: '2026-10-25T23:00:00.000Z',
      sales: { count: 4, total: 11_110 },
      net: 11_110,
    });
    expect(ledger.projections.businessDayTotals('2026-10-24', 'Europe/Berlin').sales.total).toBe(1);
    expect(ledger.projections.businessDayTotals('2026-10-26', 'Europe/Berlin').sales.total).toBe(100_000);
    // In UTC the same sales cut differently: the 00:30 local sale belongs to the 24th.
    expect(ledger.projections.businessDayTotals('2026-10-25', 'UTC').sales.total).toBe(111_100);
  });

  it('count sales at 00:30 and 23:30 local of New York’s 23-hour day in that day, not its neighbours', () => {
    const { ledger, sale } = till();
    sale('2026-03-08T04:30:00.000Z', 1); // Sat 7 Mar 23:30 EST
    sale('2026-03-08T05:30:00.000Z', 10); // Sun 8 Mar 00:30 EST
    sale('2026-03-09T03:30:00.000Z', 100); // Sun 8 Mar 23:30 EDT
    sale('2026-03-09T04:30:00.000Z', 1_000); // Mon 9 Mar 00:30 EDT
    expect(ledger.projections.businessDayTotals('2026-03-08', 'America/New_York')).toMatchObject({
      from: '2026-03-08T05:00:00.000Z',
      until: '2026-03-09T04:00:00.000Z',
      sales: { count: 2, total: 110 },
    });
  });

  it('hold the day’s first instant and not its end, with or without milliseconds in the journal', () => {
    const { ledger, sale } = till();
    sale('2026-10-24T22:00:00Z', 10); // 00:00 CEST on the 25th, exactly
    sale('2026-10-25T22:59:59.999Z', 20);
    sale('2026-10-25T23:00:00Z', 40); // 00:00 CET on the 26th
    expect(ledger.projections.businessDayTotals('2026-10-25', 'Europe/Berlin').sales).toEqual({
      count: 2,
      total: 30,
    });
  });

  it('with a 04:00 day start, keep a sale at 01:30 after midnight in the evening’s day, across the DST change', () => {
    const { ledger, sale } = till();
    sale('2026-10-24T23:30:00.000Z', 10); // Sun 25 Oct 01:30 CEST: still Saturday's business day
    sale('2026-10-25T02:30:00.000Z', 20); // 03:30 CET: still Saturday's (it ends at 04:00 CET, 03:00Z)
    sale('2026-10-25T03:00:00.000Z', 40); // 04:00 CET: Sunday's
    const options = { dayStartHour: 4 };
    const saturday = ledger.projections.businessDayTotals('2026-10-24', 'Europe/Berlin', options);
    expect(saturday).toMatchObject({ dayStartHour: 4, until: '2026-10-25T03:00:00.000Z' });
    expect(saturday.sales.total).toBe(30);
    expect(ledger.projections.businessDayTotals('2026-10-25', 'Europe/Berlin', options).sales.total).toBe(40);
  });

  it('take a void and a return on the day they were rung, per tender, even for a sale of the day before', () => {
    const { ledger, sale, voidSale, refund } = till();
    const yesterday = sale('2026-03-07T15:00:00.000Z', 700);
    const other = sale('2026-03-07T16:00:00.000Z', 1_250);
    sale('2026-03-08T15:00:00.000Z', 4_000);
    voidSale('2026-03-08T16:00:00.000Z', yesterday);
    refund('2026-03-08T17:00:00.000Z', other, 1_250);
    const day = ledger.projections.businessDayTotals('2026-03-08', 'America/New_York');
    expect(day).toMatchObject({
      sales: { count: 1, total: 4_000 },
      voids: { count: 1, total: 700 },
      returns: { count: 1, total: 1_250 },
      net: 4_000 - 700 - 1_250,
    });
    expect(day.tenders.find((t) => t.kind === 'cash')).toEqual({
      kind: 'cash',
      taken: 4_000 - 700,
      refunded: 1_250,
      net: 4_000 - 700 - 1_250,
    });
    expect(ledger.projections.businessDayTotals('2026-03-07', 'America/New_York').net).toBe(1_950);
  });

  it('reads the day through the journal’s time index, not a scan of the journal', () => {
    const { path } = till();
    const db = new Database(path, { readonly: true });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${DAY_EVENTS_SQL}`).all('a', 'b') as { detail: string }[])
      .map((row) => row.detail)
      .join('\n');
    db.close();
    expect(plan).toContain('journal_money_by_time');
  });

  it('are a pure function of events, for HQ to run on a store’s stream', () => {
    const { ledger, sale } = till();
    const events = [sale('2026-10-24T22:30:00.000Z', 10), sale('2026-10-25T23:30:00.000Z', 20)];
    expect(summariseBusinessDay(events, '2026-10-25', 'Europe/Berlin')).toEqual(
      ledger.projections.businessDayTotals('2026-10-25', 'Europe/Berlin'),
    );
  });
});
