import { EVENT_VERSIONS, payloadForVersion, upcastPayload } from '@tillwright/protocol';
import { sampleSalePayload } from '@tillwright/protocol/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventDraft } from './journal.js';
import { freshLedger } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

function setup() {
  const fixture = freshLedger();
  cleanup = fixture.cleanup;
  let minute = 0;
  const sell = (
    type: 'sale' | 'training-sale' = 'sale',
    total = 250,
    schema: number = EVENT_VERSIONS[type].latest,
  ) => {
    const v5 = {
      ...upcastPayload('sale', 1, sampleSalePayload(total)).payload,
      employeeId: 'cashier-7',
      shiftId: null,
    };
    minute += 1;
    return fixture.ledger.journal.record({
      eventId: fixture.nextId(),
      occurredAt: `2026-11-25T10:${String(minute).padStart(2, '0')}:00.000Z`,
      type,
      schema,
      payload: payloadForVersion(type, schema, v5),
    } as EventDraft).event;
  };
  const signIn = () =>
    fixture.ledger.journal.record({
      eventId: fixture.nextId(),
      occurredAt: '2026-11-25T10:00:00.000Z',
      type: 'employee-signed-in',
      schema: 1,
      payload: { employeeId: 'cashier-7', method: 'number' },
    } as EventDraft);
  return { ...fixture, sell, signIn };
}

describe('the list of sales', () => {
  it('lists the till’s sales and training sales newest first, with the number, time and total each receipt printed', () => {
    const { ledger, sell, signIn } = setup();
    const old = sell('sale', 300, 4); // before numbers: its place in the journal, seq 1
    signIn();
    const numbered = sell('sale', 250);
    const training = sell('training-sale', 120);
    expect(ledger.sales.recent({ limit: 10 })).toEqual({
      sales: [
        {
          saleId: training.eventId,
          receiptNumber: 'TRN-T1-1-000001',
          occurredAt: '2026-11-25T10:03:00.000Z',
          total: 120,
          currency: 'EUR',
          training: true,
        },
        expect.objectContaining({
          saleId: numbered.eventId,
          receiptNumber: 'T1-1-000002',
          total: 250,
          training: false,
        }),
        expect.objectContaining({ saleId: old.eventId, receiptNumber: 'T1-1-000001', total: 300 }),
      ],
      next: null,
    });
  });

  it('pages back from the newest: each page names where the next starts, the last says there is none', () => {
    const { ledger, sell } = setup();
    const sold = Array.from({ length: 5 }, () => sell().eventId).reverse();
    const first = ledger.sales.recent({ limit: 2 });
    const second = ledger.sales.recent({ limit: 2, before: first.next! });
    const third = ledger.sales.recent({ limit: 2, before: second.next! });
    expect([first, second, third].map((page) => page.sales.map((sale) => sale.saleId))).toEqual([
      sold.slice(0, 2),
      sold.slice(2, 4),
      sold.slice(4),
    ]);
    expect(third.next).toBeNull();
  });

  it('finds sales by any part of their receipt number, in any case, the old ones by the number they printed', () => {
    const { ledger, sell } = setup();
    const old = sell('sale', 300, 4);
    const sold = Array.from({ length: 11 }, () => sell());
    const numbers = (text: string) =>
      ledger.sales.recent({ limit: 50, number: text }).sales.map((s) => s.saleId);
    expect(numbers('t1-1-000012')).toEqual([sold[10]!.eventId]);
    expect(numbers('000001')).toEqual([old.eventId]);
    expect(numbers('00001')).toEqual([sold[10]!.eventId, sold[9]!.eventId, sold[8]!.eventId, old.eventId]);
    expect(numbers('TRN')).toEqual([]);
    expect(numbers('  ')).toHaveLength(12);
  });
});
