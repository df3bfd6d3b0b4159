import { type BusinessDayOptions, businessDayBounds } from '@tillwright/commerce';
import type { LatestJournalEvent, LatestSaleEvent, ShiftReport } from '@tillwright/protocol';
import type Database from 'better-sqlite3';
import {
  type BusinessDayTotals,
  summariseBusinessDay,
  TENDER_KINDS,
  type TenderKind,
} from './business-day.js';
import { readStoredEvent } from './journal.js';

export interface ShiftRef {
  shiftId: string;
  epoch: number;
  openSeq: number;
  closeSeq: number | null;
}

/** The money events rung within a range of `occurredAt`, through the journal's time index (migration 6). */
export const DAY_EVENTS_SQL = `SELECT body FROM journal WHERE type IN ('sale', 'void', 'return')
  AND json_extract(body, '$.occurredAt') >= ? AND json_extract(body, '$.occurredAt') < ? ORDER BY epoch, seq`;

export type SaleLookup = { saleId: string } | { receiptNumber: string } | { qrPayload: string };

export interface PriorReturnsView {
  quantities: Record<string, number>;
  tenderRefunds: number[];
  cashPaidOut: number;
}

/**
 * Everything the till reports, computed from the journal alone: the expected drawer, X and Z reports, receipt
 * lookups and what has already been returned. Nothing here is stored separately, so nothing can drift.
 */
export class Projections {
  constructor(private readonly db: Database.Database) {}

  shifts(): ShiftRef[] {
    const rows = this.db
      .prepare(
        "SELECT epoch, seq, type, body FROM journal WHERE type IN ('shift-open', 'shift-close') ORDER BY epoch, seq",
      )
      .all() as { epoch: number; seq: number; type: string; body: string }[];
    const shifts: ShiftRef[] = [];
    for (const row of rows) {
      const event = readStoredEvent(row.body);
      if (event.type === 'shift-open') {
        shifts.push({ shiftId: event.payload.shiftId, epoch: row.epoch, openSeq: row.seq, closeSeq: null });
      } else if (event.type === 'shift-close') {
        const shift = shifts.find((s) => s.shiftId === event.payload.shiftId && s.closeSeq === null);
        if (shift) shift.closeSeq = row.seq;
      }
    }
    return shifts;
  }

  openShift(): ShiftRef | null {
    return this.shifts().findLast((shift) => shift.closeSeq === null) ?? null;
  }

  /** The X report of an open shift, or the Z report of a closed one. */
  shiftReport(shiftId: string): ShiftReport | null {
    const shift = this.shifts().find((s) => s.shiftId === shiftId);
    if (!shift) return null;
    const events = (
      this.db
        .prepare('SELECT body FROM journal WHERE epoch = ? AND seq >= ? AND seq <= ? ORDER BY seq')
        .all(shift.epoch, shift.openSeq, shift.closeSeq ?? Number.MAX_SAFE_INTEGER) as { body: string }[]
    ).map((row) => readStoredEvent(row.body));
    return summarise(events);
  }

  /** What each tender should hold for a shift: the drawer's cash, and the net of every other tender. */
  expectedByTender(shiftId: string): { kind: TenderKind; amount: number }[] {
    const report = this.shiftReport(shiftId);
    if (!report) return [];
    return TENDER_KINDS.map((kind) => ({
      kind,
      amount:
        kind === 'cash' ? report.cash.expected : (report.tenders.find((t) => t.kind === kind)?.net ?? 0),
    }));
  }

  /**
   * Totals of one business day (`YYYY-MM-DD`) in the store's IANA time zone, optionally starting at a later hour:
   * sales, voids, returns, net and per tender, for the events rung within the day (decision 0011). Shifts are cut
   * by their open and close events instead; this is the by-day view beside them.
   */
  businessDayTotals(day: string, timeZone: string, options: BusinessDayOptions = {}): BusinessDayTotals {
    const { start, end } = businessDayBounds(day, timeZone, options);
    // occurredAt is UTC ISO with or without milliseconds: compare on whole seconds, widened, then exactly in code.
    const rows = this.db
      .prepare(DAY_EVENTS_SQL)
      .all(new Date(start).toISOString().slice(0, 19), new Date(end + 1000).toISOString().slice(0, 19)) as {
      body: string;
    }[];
    return summariseBusinessDay(
      rows.map((row) => readStoredEvent(row.body)),
      day,
      timeZone,
      { ...options, voidedSale: (saleId) => this.findSale({ saleId }) },
    );
  }

  /** A sale by its id, its receipt number or the payload of its receipt's QR code. */
  findSale(lookup: SaleLookup): LatestSaleEvent | null {
    let row: { body: string } | undefined;
    if ('saleId' in lookup || 'qrPayload' in lookup) {
      const id = 'saleId' in lookup ? lookup.saleId : /^tw:([0-9a-f-]{36})$/.exec(lookup.qrPayload)?.[1];
      if (!id) return null;
      row = this.db
        .prepare("SELECT body FROM journal WHERE event_id = ? AND type = 'sale'")
        .get(id) as typeof row;
    } else {
      const match = /^(.+)-(\d+)-(\d+)$/.exec(lookup.receiptNumber);
      if (!match) return null;
      row = this.db
        .prepare(
          "SELECT body FROM journal WHERE epoch = ? AND seq = ? AND type = 'sale' AND json_extract(body, '$.terminalId') = ?",
        )
        .get(Number(match[2]), Number(match[3]), match[1]) as typeof row;
    }
    return row ? (readStoredEvent(row.body) as LatestSaleEvent) : null;
  }

  /** What local returns already took from a sale: per line, per original tender, and cash actually paid out. */
  priorReturns(saleId: string): PriorReturnsView {
    const rows = this.db
      .prepare(
        "SELECT body FROM journal WHERE type = 'return' AND json_extract(body, '$.payload.originalSaleId') = ? ORDER BY epoch, seq",
      )
      .all(saleId) as { body: string }[];
    const view: PriorReturnsView = { quantities: {}, tenderRefunds: [], cashPaidOut: 0 };
    for (const row of rows) {
      const event = readStoredEvent(row.body);
      if (event.type !== 'return') continue;
      const { payload } = event;
      for (const line of payload.lines)
        view.quantities[line.lineId] = (view.quantities[line.lineId] ?? 0) + line.quantity;
      for (const refund of payload.refunds) {
        while (view.tenderRefunds.length <= refund.tenderIndex) view.tenderRefunds.push(0);
        view.tenderRefunds[refund.tenderIndex]! += refund.amount;
        if (refund.kind === 'cash') view.cashPaidOut += refund.paidOut;
      }
    }
    return view;
  }
}

function summarise(events: LatestJournalEvent[]): ShiftReport | null {
  const open = events[0];
  if (open?.type !== 'shift-open') return null;
  const report: ShiftReport = {
    shiftId: open.payload.shiftId,
    openedBy: open.payload.employeeId,
    closedBy: null,
    currency: open.payload.currency,
    openedAt: open.occurredAt,
    closedAt: null,
    floatCount: open.payload.floatCount,
    sales: { count: 0, subtotal: 0, discountTotal: 0, taxTotal: 0, total: 0 },
    returns: { count: 0, total: 0 },
    voids: { count: 0, total: 0 },
    noSales: 0,
    taxes: [],
    tenders: TENDER_KINDS.map((kind) => ({ kind, taken: 0, refunded: 0, net: 0 })),
    cash: {
      openingFloat: open.payload.openingFloat,
      sales: 0,
      refunds: 0,
      paidIn: 0,
      paidOut: 0,
      drops: 0,
      expected: 0,
    },
    movements: [],
    close: null,
  };
  const taxes = new Map<string, number>();
  const addTax = (code: string, amount: number) => taxes.set(code, (taxes.get(code) ?? 0) + amount);
  const tender = (kind: TenderKind) => report.tenders.find((t) => t.kind === kind)!;
  const sales = new Map<string, LatestSaleEvent>();
  const applySale = (sale: LatestSaleEvent, sign: 1 | -1) => {
    for (const tax of sale.payload.taxes) addTax(tax.code, sign * tax.tax);
    for (const t of sale.payload.tenders) {
      tender(t.kind).taken += sign * t.amount;
      if (t.kind === 'cash') report.cash.sales += sign * t.amount;
    }
  };
  for (const event of events) {
    switch (event.type) {
      case 'sale':
        sales.set(event.eventId, event);
        report.sales.count += 1;
        report.sales.subtotal += event.payload.subtotal;
        report.sales.discountTotal += event.payload.discountTotal;
        report.sales.taxTotal += event.payload.taxTotal;
        report.sales.total += event.payload.total;
        applySale(event, 1);
        break;
      case 'void': {
        const voided = sales.get(event.payload.voidedEventId);
        if (!voided) break;
        report.voids.count += 1;
        report.voids.total += voided.payload.total;
        applySale(voided, -1);
        break;
      }
      case 'return':
        report.returns.count += 1;
        report.returns.total += event.payload.total;
        for (const tax of event.payload.taxes) addTax(tax.code, -tax.amount);
        for (const refund of event.payload.refunds) {
          tender(refund.kind).refunded += refund.paidOut;
          if (refund.kind === 'cash') report.cash.refunds += refund.paidOut;
        }
        break;
      case 'no-sale':
        report.noSales += 1;
        break;
      case 'paid-in':
      case 'paid-out':
      case 'cash-drop': {
        const { amount, reason, employeeId, approvalId } = event.payload;
        if (event.type === 'paid-in') report.cash.paidIn += amount;
        else if (event.type === 'paid-out') report.cash.paidOut += amount;
        else report.cash.drops += amount;
        report.movements.push({
          eventId: event.eventId,
          type: event.type,
          amount,
          reason,
          employeeId,
          approvalId,
          occurredAt: event.occurredAt,
        });
        break;
      }
      case 'shift-close':
        report.closedAt = event.occurredAt;
        report.closedBy = event.payload.employeeId;
        report.close = {
          counted: event.payload.counted,
          expected: event.payload.expected,
          overShort: event.payload.overShort,
          cashCount: event.payload.cashCount,
          blind: event.payload.blind,
        };
        break;
      case 'shift-open':
      case 'price-override':
      case 'manager-approval':
      case 'employee-signed-in':
      case 'employee-signed-out':
      case 'employee-locked-out':
      case 'employee-unlocked':
      // Training is never counted: no money changed hands.
      case 'training-sale':
      case 'training-mode':
        break;
      default: {
        const unreachable: never = event;
        throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }
  for (const t of report.tenders) t.net = t.taken - t.refunded;
  const cash = report.cash;
  cash.expected = cash.openingFloat + cash.sales - cash.refunds + cash.paidIn - cash.paidOut - cash.drops;
  report.taxes = [...taxes].map(([code, amount]) => ({ code, amount }));
  return report;
}
