import {
  EVENT_VERSIONS,
  type EventType,
  type JournalEvent,
  type PayloadOf,
  ShiftReport,
} from '@tillwright/protocol';
import { asLatestSaleLines, sampleSalePayload } from '@tillwright/protocol/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { summariseBusinessDay } from './business-day.js';
import type { EventDraft } from './journal.js';
import { LedgerReader } from './ledger.js';
import { freshLedger } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

const MANAGER = 'mgr-morgan';
const CASHIER = 'cashier-alex';

/** A till's journal written at the latest versions, each event a minute after the one before, from 08:00 UTC. */
function till() {
  const fixture = freshLedger();
  cleanup = fixture.cleanup;
  const { ledger, nextId } = fixture;
  let minute = 0;
  const record = <T extends EventType>(type: T, payload: PayloadOf<T>, eventId = nextId()): JournalEvent =>
    ledger.journal.record({
      eventId,
      type,
      occurredAt: new Date(Date.UTC(2026, 11, 7, 8, minute++)).toISOString(),
      schema: EVENT_VERSIONS[type].latest,
      payload,
    } as EventDraft).event;
  const sale = (
    shiftId: string | null,
    total: number,
    tender: 'cash' | 'card' = 'cash',
    tendered = total,
  ) => {
    const priced = sampleSalePayload(total, tendered);
    return {
      ...priced,
      ...(tender === 'card'
        ? {
            tenders: [{ kind: 'card' as const, ref: 'tok_1', amount: total, tendered: total, change: 0 }],
            change: 0,
          }
        : {}),
      timeZone: 'Europe/Berlin',
      employeeId: CASHIER,
      approvals: [],
      shiftId,
      receiptNumber: null,
      lines: asLatestSaleLines(priced.lines),
      store: null,
    };
  };
  const open = (shiftId: string, floatCount: { value: number; count: number }[]) =>
    record('shift-open', {
      shiftId,
      employeeId: MANAGER,
      currency: 'EUR',
      openingFloat: floatCount.reduce((sum, c) => sum + c.value * c.count, 0),
      floatCount,
      approvalId: null,
    });
  const movement = (
    type: 'cash-drop' | 'paid-in' | 'paid-out',
    shiftId: string,
    amount: number,
    reason: string,
    employeeId: string,
    approvalId: string | null = null,
  ) => record(type, { shiftId, currency: 'EUR', amount, reason, employeeId, approvalId });
  return { ...fixture, record, sale, open, movement };
}

const FLOAT = [
  { value: 2000, count: 2 },
  { value: 1000, count: 3 },
  { value: 500, count: 2 },
  { value: 200, count: 5 },
  { value: 100, count: 5 },
  { value: 50, count: 10 },
];
/** 47.00 counted at the close: the drawer expects 47.50, so 0.50 short. */
const CASH_COUNT = [
  { value: 2000, count: 1 },
  { value: 1000, count: 2 },
  { value: 500, count: 1 },
  { value: 100, count: 2 },
];

/**
 * A day at the till: a manager opens with a counted float of 100.00; a cashier sells 12.50 cash, 40.00 card and
 * 7.00 cash, which the manager voids; a 50.00 drop, a 5.00 paid in, a 20.00 paid out approved by the manager; a
 * no-sale; 99.00 rung up in training mode.
 */
function dayAtTheTill() {
  const t = till();
  const shiftId = t.nextId();
  t.open(shiftId, FLOAT);
  const cashSale = t.record('sale', t.sale(shiftId, 1_250, 'cash', 2_000));
  const cardSale = t.record('sale', t.sale(shiftId, 4_000, 'card'));
  const voided = t.record('sale', t.sale(shiftId, 700));
  const voidEvent = t.record('void', {
    voidedEventId: voided.eventId,
    reason: 'rang up twice',
    employeeId: MANAGER,
    approvalId: null,
    shiftId,
  });
  const drop = t.movement('cash-drop', shiftId, 5_000, 'to the safe', MANAGER);
  const paidIn = t.movement('paid-in', shiftId, 500, 'float top-up', CASHIER);
  const approvalId = t.nextId();
  t.record(
    'manager-approval',
    {
      approvalId,
      employeeId: CASHIER,
      approverId: MANAGER,
      permission: 'paidOutLimit',
      action: 'cash-movement',
      subject: 'paid out 20.00',
      reason: 'window cleaner',
      requested: { amount: 2_000 },
    },
    approvalId,
  );
  const paidOut = t.movement('paid-out', shiftId, 2_000, 'window cleaner', CASHIER, approvalId);
  t.record('no-sale', { reason: 'change for the float', employeeId: CASHIER, approvalId: null, shiftId });
  t.record('training-mode', { on: true, employeeId: MANAGER, approvalId: null });
  const training = t.record('training-sale', t.sale(null, 9_900, 'cash', 10_000));
  t.record('training-mode', { on: false, employeeId: MANAGER, approvalId: null });
  const close = () =>
    t.record('shift-close', {
      shiftId,
      employeeId: MANAGER,
      expected: [
        { kind: 'cash', amount: 4_750 },
        { kind: 'card', amount: 4_000 },
      ],
      counted: [
        { kind: 'cash', amount: 4_700 },
        { kind: 'card', amount: 4_000 },
      ],
      overShort: [
        { kind: 'cash', amount: -50 },
        { kind: 'card', amount: 0 },
      ],
      cashCount: CASH_COUNT,
      blind: true,
      approvalId: null,
    });
  return {
    ...t,
    shiftId,
    cashSale,
    cardSale,
    voided,
    voidEvent,
    drop,
    paidIn,
    paidOut,
    approvalId,
    training,
    close,
  };
}

describe('the X report of the open shift', () => {
  it('gives the float by denomination, sales less the void, the movements in order and the expected drawer', () => {
    const day = dayAtTheTill();
    const x = day.ledger.projections.shiftReport(day.shiftId)!;
    expect(ShiftReport.parse(x)).toEqual(x);
    expect(x).toMatchObject({
      shiftId: day.shiftId,
      openedBy: MANAGER,
      closedBy: null,
      currency: 'EUR',
      openedAt: '2026-12-07T08:00:00.000Z',
      closedAt: null,
      floatCount: FLOAT,
      // The voided sale left `sales` (count included) and shows under `voids` only.
      sales: { count: 2, total: 1_250 + 4_000 },
      voids: { count: 1, total: 700 },
      returns: { count: 0, total: 0 },
      noSales: 1,
      close: null,
    });
    // 100.00 + 12.50 + 7.00 − 7.00 (voided) + 5.00 − 20.00 − 50.00 = 47.50; the training sale's 99.00 is not there.
    expect(x.cash).toEqual({
      openingFloat: 10_000,
      sales: 1_250,
      refunds: 0,
      paidIn: 500,
      paidOut: 2_000,
      drops: 5_000,
      expected: 4_750,
    });
    expect(x.tenders.find((t) => t.kind === 'cash')).toEqual({
      kind: 'cash',
      taken: 1_250,
      refunded: 0,
      net: 1_250,
    });
    expect(x.movements).toEqual([
      {
        eventId: day.drop.eventId,
        type: 'cash-drop',
        amount: 5_000,
        reason: 'to the safe',
        employeeId: MANAGER,
        approvalId: null,
        occurredAt: day.drop.occurredAt,
      },
      {
        eventId: day.paidIn.eventId,
        type: 'paid-in',
        amount: 500,
        reason: 'float top-up',
        employeeId: CASHIER,
        approvalId: null,
        occurredAt: day.paidIn.occurredAt,
      },
      {
        eventId: day.paidOut.eventId,
        type: 'paid-out',
        amount: 2_000,
        reason: 'window cleaner',
        employeeId: CASHIER,
        approvalId: day.approvalId,
        occurredAt: day.paidOut.occurredAt,
      },
    ]);
  });

  it('says the same everywhere after a post-void: sales, taxes and tenders all net of the voided sale', () => {
    const day = dayAtTheTill();
    const before = day.ledger.projections.shiftReport(day.shiftId)!;
    const sold = day.record('sale', day.sale(day.shiftId, 1_190));
    const withSale = day.ledger.projections.shiftReport(day.shiftId)!;
    day.record('void', {
      voidedEventId: sold.eventId,
      reason: 'customer changed their mind',
      employeeId: MANAGER,
      approvalId: null,
      shiftId: day.shiftId,
    });
    const x = day.ledger.projections.shiftReport(day.shiftId)!;
    const sum = (amounts: { amount: number }[]) => amounts.reduce((total, tax) => total + tax.amount, 0);
    // No returns: the taxes are the sales' taxes, to the cent.
    expect(sum(x.taxes)).toBe(x.sales.taxTotal);
    expect(sum(withSale.taxes)).toBe(withSale.sales.taxTotal);
    expect(x.sales).toEqual(before.sales);
    expect(x.voids).toEqual({ count: before.voids.count + 1, total: before.voids.total + 1_190 });
    expect(x.tenders).toEqual(before.tenders);
    expect(x.sales.total).toBe(sum(x.tenders.map((t) => ({ amount: t.net }))));
  });

  it('never counts a training sale: the report is the same with or without one', () => {
    const day = dayAtTheTill();
    const withTraining = day.ledger.projections.shiftReport(day.shiftId)!;
    day.record('training-sale', day.sale(null, 123_400, 'card'));
    day.record('training-sale', day.sale(day.shiftId, 500));
    expect(day.ledger.projections.shiftReport(day.shiftId)).toEqual(withTraining);
    expect(withTraining.sales.count).toBe(2);
    expect(day.ledger.projections.expectedByTender(day.shiftId)).toContainEqual({
      kind: 'cash',
      amount: 4_750,
    });
  });
});

describe('the Z report of the closed shift', () => {
  it('adds who closed it and when, the blind cash count, and counted against expected per tender', () => {
    const day = dayAtTheTill();
    const x = day.ledger.projections.shiftReport(day.shiftId)!;
    const closed = day.close();
    day.record('sale', day.sale(null, 300)); // after the close: not the shift's
    const z = day.ledger.projections.shiftReport(day.shiftId)!;
    expect(ShiftReport.parse(z)).toEqual(z);
    expect(z).toEqual({
      ...x,
      closedBy: MANAGER,
      closedAt: closed.occurredAt,
      close: {
        expected: [
          { kind: 'cash', amount: 4_750 },
          { kind: 'card', amount: 4_000 },
        ],
        counted: [
          { kind: 'cash', amount: 4_700 },
          { kind: 'card', amount: 4_000 },
        ],
        overShort: [
          { kind: 'cash', amount: -50 },
          { kind: 'card', amount: 0 },
        ],
        cashCount: CASH_COUNT,
        blind: true,
      },
    });
    expect(day.ledger.projections.openShift()).toBeNull();
  });
});

describe('the open shift', () => {
  it('is the one opened and not closed, with who opened it, when, the currency and the counted float', () => {
    const day = till();
    expect(day.ledger.projections.openShift()).toBeNull();
    const shiftId = day.nextId();
    const open = day.open(shiftId, FLOAT);
    expect(day.ledger.projections.openShift()).toEqual({
      shiftId,
      open: { epoch: 1, seq: 1 },
      close: null,
      openedAt: open.occurredAt,
      openedBy: MANAGER,
      currency: 'EUR',
      openingFloat: 10_000,
      floatCount: FLOAT,
    });
  });

  it('stays open across a restart: a reader opened on the same file sees it (power loss)', () => {
    const day = dayAtTheTill();
    const reader = LedgerReader.open(day.path);
    try {
      expect(reader.projections.openShift()?.shiftId).toBe(day.shiftId);
    } finally {
      reader.close();
    }
  });
});

describe('a shift across enrolment epochs', () => {
  it('reads every event from its open in one epoch to its close in the next, in (epoch, seq) order', () => {
    const t = till();
    const before = t.nextId();
    t.open(before, [{ value: 1000, count: 1 }]);
    t.record('sale', t.sale(before, 111));
    t.record('shift-close', {
      shiftId: before,
      employeeId: MANAGER,
      expected: [],
      counted: [],
      overShort: [],
      cashCount: null,
      blind: false,
      approvalId: null,
    });
    const shiftId = t.nextId();
    t.open(shiftId, FLOAT);
    t.record('sale', t.sale(shiftId, 1_000));
    t.movement('cash-drop', shiftId, 3_000, 'to the safe', MANAGER);
    // Everything reached the server; a manager starts a new epoch mid-shift (seq starts again at 1).
    const last = t.ledger.journal.lastSeq(1);
    t.ledger.outbox.acknowledge(1, last, t.ledger.journal.bySeq(1, last)!.hash);
    t.ledger.journal.startEpoch(2);
    const after = t.record('sale', t.sale(shiftId, 2_000));
    expect(after).toMatchObject({ epoch: 2, seq: 1 });
    t.movement('paid-out', shiftId, 500, 'stamps', CASHIER);

    const x = t.ledger.projections.shiftReport(shiftId)!;
    expect(x.sales).toMatchObject({ count: 2, total: 3_000 });
    expect(x.cash.expected).toBe(10_000 + 3_000 - 3_000 - 500);
    expect(x.movements.map((m) => m.type)).toEqual(['cash-drop', 'paid-out']);
    expect(t.ledger.projections.openShift()).toMatchObject({
      shiftId,
      open: { epoch: 1, seq: 4 },
      close: null,
    });
    expect(t.ledger.projections.shiftSales(shiftId).map((s) => s.sale.eventId)[0]).toBe(after.eventId);

    t.record('shift-close', {
      shiftId,
      employeeId: MANAGER,
      expected: [{ kind: 'cash', amount: 9_500 }],
      counted: [{ kind: 'cash', amount: 9_500 }],
      overShort: [{ kind: 'cash', amount: 0 }],
      cashCount: [
        { value: 5000, count: 1 },
        { value: 2000, count: 2 },
        { value: 500, count: 1 },
      ],
      blind: true,
      approvalId: null,
    });
    t.open(t.nextId(), []);
    t.record('sale', t.sale(null, 999_999));
    expect(t.ledger.projections.shifts().map(({ open, close }) => [open, close])).toEqual([
      [
        { epoch: 1, seq: 1 },
        { epoch: 1, seq: 3 },
      ],
      [
        { epoch: 1, seq: 4 },
        { epoch: 2, seq: 3 },
      ],
      [{ epoch: 2, seq: 4 }, null],
    ]);
    const z = t.ledger.projections.shiftReport(shiftId)!;
    expect(z.sales).toMatchObject({ count: 2, total: 3_000 });
    expect(z.close?.overShort).toEqual([{ kind: 'cash', amount: 0 }]);
    expect(t.ledger.projections.shiftReport(before)?.sales.count).toBe(1);
  });
});

describe('the sales of a shift, for a post-void', () => {
  it('lists them latest first, each with the void that cancelled it, and never a training sale', () => {
    const day = dayAtTheTill();
    const sales = day.ledger.projections.shiftSales(day.shiftId);
    expect(sales.map(({ sale, voidedBy }) => [sale.eventId, voidedBy])).toEqual([
      [day.voided.eventId, day.voidEvent.eventId],
      [day.cardSale.eventId, null],
      [day.cashSale.eventId, null],
    ]);
    expect(sales[0]!.sale.payload).toMatchObject({ total: 700, shiftId: day.shiftId });
    expect(day.ledger.projections.shiftSales(day.shiftId, 2)).toHaveLength(2);
    expect(day.ledger.projections.shiftSales(day.nextId())).toEqual([]);
  });

  it('finds the void of a sale, and none for a sale that stands or an id that is no sale', () => {
    const day = dayAtTheTill();
    expect(day.ledger.projections.voidOf(day.voided.eventId)).toMatchObject({
      eventId: day.voidEvent.eventId,
      type: 'void',
      payload: { voidedEventId: day.voided.eventId, employeeId: MANAGER, shiftId: day.shiftId },
    });
    expect(day.ledger.projections.voidOf(day.cashSale.eventId)).toBeNull();
    expect(day.ledger.projections.voidOf(day.training.eventId)).toBeNull();
    expect(day.ledger.projections.voidOf(day.nextId())).toBeNull();
  });
});

describe('training mode', () => {
  it('is on from a training-mode event turning it on until one turning it off, also after a restart', () => {
    const t = till();
    expect(t.ledger.projections.trainingMode()).toBe(false);
    t.record('training-mode', { on: true, employeeId: MANAGER, approvalId: null });
    expect(t.ledger.projections.trainingMode()).toBe(true);
    const reader = LedgerReader.open(t.path);
    try {
      expect(reader.projections.trainingMode()).toBe(true);
    } finally {
      reader.close();
    }
    t.record('training-mode', { on: false, employeeId: MANAGER, approvalId: null });
    expect(t.ledger.projections.trainingMode()).toBe(false);
  });

  it('never reaches the business day: neither on the till nor summed from every event as HQ does', () => {
    const day = dayAtTheTill();
    const totals = day.ledger.projections.businessDayTotals('2026-12-07', 'Europe/Berlin');
    expect(totals.sales).toEqual({ count: 3, total: 5_950 });
    expect(totals.net).toBe(5_950 - 700);
    const all = Array.from(
      { length: day.ledger.journal.lastSeq(1) },
      (_, i) => day.ledger.journal.bySeq(1, i + 1)!,
    );
    expect(all.some((event) => event.type === 'training-sale')).toBe(true);
    expect(summariseBusinessDay(all, '2026-12-07', 'Europe/Berlin')).toEqual(totals);
  });
});
