import {
  EVENT_VERSIONS,
  type EventType,
  type PermissionName,
  receiptNumber,
  type SalePayloadV1,
  ShiftReport,
} from '@tillwright/protocol';
import { sampleSalePayload } from '@tillwright/protocol/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventDraft } from './journal.js';
import { LedgerReader } from './ledger.js';
import { freshLedger, payloadAt } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

const AT = '2026-11-25T09:00:00.000Z';

function cardSale(total: number): SalePayloadV1 {
  const sale = sampleSalePayload(total);
  return {
    ...sale,
    tenders: [{ kind: 'card', ref: 'tok_visa_0001', amount: total, tendered: total, change: 0 }],
    change: 0,
  };
}

/** Which version the till writes its `index`th event of a morning at: v1, as tills did before versions. */
type VersionAt = (type: EventType, index: number) => number;
const V1: VersionAt = () => 1;
const LATEST: VersionAt = (type) => EVENT_VERSIONS[type].latest;
/** Latest, v1, the one before the latest, in turn: a till whose server's versions changed during the shift. */
const MIXED: VersionAt = (type, index) => {
  const { latest } = EVENT_VERSIONS[type];
  return [latest, 1, Math.max(1, latest - 1)][index % 3]!;
};

/**
 * A morning at the till: every kind of event a shift sees, recorded through the real journal, each given as v1 and
 * written at the version `versionAt` picks (by cashier-7 where the version records the employee).
 */
function morningShift(versionAt: VersionAt = V1) {
  const fixture = freshLedger();
  cleanup = fixture.cleanup;
  const { ledger, nextId } = fixture;
  const shiftId = nextId();
  let index = 0;
  const record = (draft: Omit<EventDraft, 'eventId' | 'occurredAt'>) => {
    const schema = versionAt(draft.type, index++);
    const payload = payloadAt(draft.type, schema, draft.payload);
    return ledger.journal.record({
      ...draft,
      eventId: nextId(),
      occurredAt: AT,
      schema,
      payload,
    } as EventDraft).event;
  };
  const cash = { shiftId, currency: 'EUR', staffId: 'cashier-7', approvedBy: null };
  record({
    type: 'shift-open',
    payload: { shiftId, staffId: 'cashier-7', currency: 'EUR', openingFloat: 10_000 },
  });
  const cashSale = record({ type: 'sale', payload: sampleSalePayload(1_250, 2_000) });
  const card = record({ type: 'sale', payload: cardSale(4_000) });
  const voided = record({ type: 'sale', payload: sampleSalePayload(700, 700) });
  record({
    type: 'void',
    payload: { voidedEventId: voided.eventId, reason: 'rang up twice', approvedBy: 'mgr-1' },
  });
  record({
    type: 'return',
    payload: {
      originalSaleId: cashSale.eventId,
      originalStoreId: 'S1',
      originalTerminalId: 'T1',
      currency: 'EUR',
      lines: [
        {
          lineId: 'l1',
          productId: 'pen',
          quantity: 1,
          net: 1_050,
          taxes: [{ code: 'VAT19', amount: 200 }],
          total: 1_250,
        },
      ],
      taxes: [{ code: 'VAT19', amount: 200 }],
      total: 1_250,
      refunds: [{ tenderIndex: 0, kind: 'cash', ref: null, amount: 1_250, paidOut: 1_250 }],
      cashRounding: 0,
      reason: 'changed mind',
      authorization: { kind: 'local-journal' },
    },
  });
  record({ type: 'no-sale', payload: { reason: 'change for the float', staffId: 'cashier-7' } });
  record({ type: 'paid-in', payload: { ...cash, amount: 500, reason: 'float top-up' } });
  record({ type: 'paid-out', payload: { ...cash, amount: 300, reason: 'window cleaner' } });
  record({ type: 'cash-drop', payload: { ...cash, amount: 5_000, reason: 'to the safe' } });
  return { ledger, shiftId, cashSale, card, record, fixture };
}

describe('shift reports from the journal', () => {
  it('computes the expected drawer: float + cash sales − cash refunds + paid in − paid out − drops', () => {
    const { ledger, shiftId } = morningShift();
    // 100.00 + 12.50 (the voided 7.00 is taken back out) − 12.50 + 5.00 − 3.00 − 50.00 = 52.00
    expect(ledger.projections.shiftReport(shiftId)?.cash).toEqual({
      openingFloat: 10_000,
      sales: 1_250,
      refunds: 1_250,
      paidIn: 500,
      paidOut: 300,
      drops: 5_000,
      expected: 5_200,
    });
    expect(ledger.projections.expectedByTender(shiftId)).toEqual([
      { kind: 'cash', amount: 5_200 },
      { kind: 'card', amount: 4_000 },
      { kind: 'gift-card', amount: 0 },
      { kind: 'store-credit', amount: 0 },
    ]);
  });

  it('gives an X report of the open shift: counts, totals, tax per rate net of returns and voids', () => {
    const { ledger, shiftId } = morningShift();
    const report = ledger.projections.shiftReport(shiftId)!;
    expect(ShiftReport.parse(report)).toEqual(report); // the protocol's shape, which the receipt layouts print
    expect(ledger.projections.openShift()?.shiftId).toBe(shiftId);
    expect(report).toMatchObject({
      closedAt: null,
      close: null,
      // The voided 7.00 left the sales (and their count) and shows under voids.
      sales: { count: 2, total: 1_250 + 4_000 },
      voids: { count: 1, total: 700 },
      returns: { count: 1, total: 1_250 },
      noSales: 1,
    });
    const vat = (total: number) => sampleSalePayload(total).taxTotal;
    expect(report.taxes).toEqual([{ code: 'VAT19', amount: vat(1_250) + vat(4_000) - 200 }]);
    expect(report.tenders.find((t) => t.kind === 'card')).toEqual({
      kind: 'card',
      taken: 4_000,
      refunded: 0,
      net: 4_000,
    });
  });

  it('gives a Z report once the shift closes: counted against expected, over or short per tender', () => {
    const { ledger, shiftId, record } = morningShift();
    const expected = ledger.projections
      .expectedByTender(shiftId)
      .filter((t) => t.kind === 'cash' || t.kind === 'card');
    const counted = [
      { kind: 'cash' as const, amount: 5_150 },
      { kind: 'card' as const, amount: 4_000 },
    ];
    record({
      type: 'shift-close',
      payload: {
        shiftId,
        staffId: 'mgr-1',
        expected,
        counted,
        overShort: counted.map((c, i) => ({ kind: c.kind, amount: c.amount - expected[i]!.amount })),
      },
    });
    const z = ledger.projections.shiftReport(shiftId)!;
    expect(ShiftReport.parse(z)).toEqual(z);
    expect(z.closedAt).toBe(AT);
    expect(z.close?.overShort).toEqual([
      { kind: 'cash', amount: -50 },
      { kind: 'card', amount: 0 },
    ]);
    expect(ledger.projections.openShift()).toBeNull();
  });

  it('counts only the events of its own shift', () => {
    const { ledger, shiftId, record, fixture } = morningShift();
    record({
      type: 'shift-close',
      payload: { shiftId, staffId: 'mgr-1', expected: [], counted: [], overShort: [] },
    });
    const next = fixture.nextId();
    record({
      type: 'shift-open',
      payload: { shiftId: next, staffId: 'cashier-8', currency: 'EUR', openingFloat: 20_000 },
    });
    record({ type: 'sale', payload: sampleSalePayload(999, 999) });
    expect(ledger.projections.shiftReport(next)).toMatchObject({
      sales: { count: 1, total: 999 },
      cash: { expected: 20_999 },
    });
    expect(ledger.projections.shiftReport(shiftId)?.sales.count).toBe(2);
  });
});

describe('receipt lookup', () => {
  it('finds a sale by id, by receipt number and by its receipt QR payload', () => {
    const { ledger, card } = morningShift();
    const number = receiptNumber(card.terminalId, card.epoch, card.seq);
    expect(ledger.projections.findSale({ saleId: card.eventId })?.eventId).toBe(card.eventId);
    expect(ledger.projections.findSale({ receiptNumber: number })?.eventId).toBe(card.eventId);
    expect(ledger.projections.findSale({ qrPayload: `tw:${card.eventId}` })?.eventId).toBe(card.eventId);
    expect(ledger.projections.findSale({ receiptNumber: 'T9-1-000003' })).toBeNull();
    expect(ledger.projections.findSale({ qrPayload: 'https://evil.example' })).toBeNull();
  });

  it('knows what was already returned from a sale, per line and per tender', () => {
    const { ledger, cashSale, card } = morningShift();
    expect(ledger.projections.priorReturns(cashSale.eventId)).toEqual({
      quantities: { l1: 1 },
      tenderRefunds: [1_250],
      cashPaidOut: 1_250,
    });
    expect(ledger.projections.priorReturns(card.eventId)).toEqual({
      quantities: {},
      tenderRefunds: [],
      cashPaidOut: 0,
    });
  });

  it('answers the same from a read-only handle opened beside the writer', () => {
    const { ledger, shiftId, fixture } = morningShift();
    const reader = LedgerReader.open(fixture.path);
    try {
      expect(reader.projections.shiftReport(shiftId)).toEqual(ledger.projections.shiftReport(shiftId));
      expect(reader.journal.verify(1)).toBeNull();
    } finally {
      reader.close();
    }
  });
});

describe('events of every version', () => {
  it('give the same reports whether the till wrote v1, the latest versions or a mix of them', () => {
    const runs = [V1, MIXED, LATEST].map((versionAt) => {
      const { ledger, shiftId, record, fixture } = morningShift(versionAt);
      record({
        type: 'shift-close',
        payload: { shiftId, staffId: 'mgr-1', expected: [], counted: [], overShort: [] },
      });
      const schemas = Array.from({ length: ledger.journal.lastSeq(1) }, (_, i) => {
        const event = ledger.journal.bySeq(1, i + 1)!;
        return `${event.type}@${event.schema}`;
      });
      const result = {
        report: ledger.projections.shiftReport(shiftId),
        day: ledger.projections.businessDayTotals('2026-11-25', 'Europe/Berlin'),
        schemas,
      };
      fixture.cleanup();
      return result;
    });
    const [v1, mixed, latest] = runs as [(typeof runs)[0], (typeof runs)[0], (typeof runs)[0]];
    expect(mixed.schemas).toEqual(
      expect.arrayContaining([
        'shift-open@3',
        'sale@1',
        'sale@5',
        'sale@6',
        'void@1',
        'return@2',
        'no-sale@3',
        'cash-drop@2',
      ]),
    );
    for (const entry of latest.schemas) {
      const [type, schema] = entry.split('@') as [EventType, string];
      expect(Number(schema), entry).toBe(EVENT_VERSIONS[type].latest);
    }
    expect(v1.report).toMatchObject({ openedBy: 'cashier-7', sales: { count: 2 }, noSales: 1 });
    expect(v1.day.sales.count).toBe(3);
    expect(mixed.report).toEqual(v1.report);
    expect(latest.report).toEqual(v1.report);
    expect(mixed.day).toEqual(v1.day);
    expect(latest.day).toEqual(v1.day);
  });

  it('show who rang a sale up: its employee from sale v3 on, nobody on a sale from before', () => {
    const { ledger, fixture } = morningShift();
    const sale = (schema: number) =>
      ledger.journal.record({
        eventId: fixture.nextId(),
        type: 'sale',
        occurredAt: AT,
        schema,
        payload: payloadAt('sale', schema, sampleSalePayload(100)),
      }).event;
    const v3 = sale(3);
    const v1 = sale(1);
    expect(v3.schema).toBe(3);
    expect(ledger.projections.findSale({ saleId: v3.eventId })?.payload.employeeId).toBe('cashier-7');
    expect(ledger.journal.read(v3.eventId)?.payload).toMatchObject({ employeeId: 'cashier-7' });
    expect(v1.schema).toBe(1);
    expect(ledger.projections.findSale({ saleId: v1.eventId })?.payload.employeeId).toBeNull();
  });

  it('count a no-sale allowed by a manager approval, and leave sign-ins and lockouts out of the money', () => {
    const { ledger, shiftId, fixture } = morningShift(LATEST);
    const before = ledger.projections.shiftReport(shiftId)!;
    const approvalId = fixture.nextId();
    const record = (draft: Omit<EventDraft, 'eventId' | 'occurredAt'>) =>
      ledger.journal.record({ ...draft, eventId: fixture.nextId(), occurredAt: AT } as EventDraft);
    record({
      type: 'employee-signed-out',
      schema: 1,
      payload: { employeeId: 'cashier-7', reason: 'switch' },
    });
    record({
      type: 'employee-locked-out',
      schema: 1,
      payload: { employeeId: 'cashier-8', failedAttempts: 5, lockedUntil: null },
    });
    record({ type: 'employee-signed-in', schema: 1, payload: { employeeId: 'cashier-9', method: 'list' } });
    const approve = (id: string, action: 'no-sale' | 'unlock-employee', permission: PermissionName) =>
      record({
        type: 'manager-approval',
        schema: 2,
        payload: {
          approvalId: id,
          employeeId: 'cashier-9',
          approverId: 'mgr-1',
          permission,
          action,
          subject: action === 'no-sale' ? 'drawer' : 'cashier-8',
          reason: null,
        },
      });
    approve(approvalId, 'no-sale', 'noSale');
    record({
      type: 'no-sale',
      schema: 2,
      payload: { reason: 'change for the float', employeeId: 'cashier-9', approvalId },
    });
    const unlockId = fixture.nextId();
    approve(unlockId, 'unlock-employee', 'unlockEmployees');
    record({
      type: 'employee-unlocked',
      schema: 1,
      payload: { employeeId: 'cashier-8', unlockedBy: 'mgr-1', approvalId: unlockId },
    });
    expect(ledger.projections.shiftReport(shiftId)).toEqual({ ...before, noSales: before.noSales + 1 });
  });
});
