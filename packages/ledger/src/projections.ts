import { type BusinessDayOptions, businessDayBounds } from '@tillwright/commerce';
import type {
  DenominationCount,
  EventType,
  LatestEvent,
  LatestJournalEvent,
  LatestSaleEvent,
  ShiftReport,
} from '@tillwright/protocol';
import type Database from 'better-sqlite3';
import {
  type BusinessDayTotals,
  summariseBusinessDay,
  TENDER_KINDS,
  type TenderKind,
} from './business-day.js';
import { readStoredEvent } from './journal.js';
import { summariseShift } from './shift-report.js';

/** Where a shift sits in the journal: from its `shift-open` to its `shift-close`, each at (epoch, seq). */
export interface ShiftRef {
  shiftId: string;
  open: JournalPosition;
  /** Null while the shift is open. */
  close: JournalPosition | null;
}

export interface JournalPosition {
  epoch: number;
  seq: number;
}

/** The till's open shift, with what the host shows and checks. */
export interface OpenShift extends ShiftRef {
  openedAt: string;
  openedBy: string;
  currency: string;
  openingFloat: number;
  /** Null for a shift opened before counts were recorded (shift-open v2). */
  floatCount: DenominationCount[] | null;
}

/** A sale of a shift, with the void that cancelled it, if any. */
export interface ShiftSale {
  sale: LatestSaleEvent;
  /** The `void` event's id; null when the sale stands. */
  voidedBy: string | null;
}

/** The money events rung within a range of `occurredAt`, through the journal's time index (migration 6). */
/** A v5 sale by the number it holds: through `journal_sales_by_receipt_number` (migration 10), not a scan. */
export const SALE_BY_NUMBER_SQL =
  "SELECT body FROM journal WHERE type = 'sale' AND json_extract(body, '$.payload.receiptNumber') = ?";

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

  /** Every shift of this till's journal, in the order opened, across enrolment epochs. */
  shifts(): ShiftRef[] {
    const rows = this.db
      .prepare(
        "SELECT epoch, seq, body FROM journal WHERE type IN ('shift-open', 'shift-close') ORDER BY epoch, seq",
      )
      .all() as { epoch: number; seq: number; body: string }[];
    const shifts: ShiftRef[] = [];
    for (const row of rows) {
      const event = readStoredEvent(row.body);
      const at = { epoch: row.epoch, seq: row.seq };
      if (event.type === 'shift-open') {
        shifts.push({ shiftId: event.payload.shiftId, open: at, close: null });
      } else if (event.type === 'shift-close') {
        const shift = shifts.find((s) => s.shiftId === event.payload.shiftId && s.close === null);
        if (shift) shift.close = at;
      }
    }
    return shifts;
  }

  /** The shift open on this till (the last one opened and not closed), or null: nothing can be sold. */
  openShift(): OpenShift | null {
    // Asked on every sale and status push: two indexed reads, never the whole history of shifts.
    const last = this.db
      .prepare(
        `SELECT epoch, seq, json_extract(body, '$.payload.shiftId') AS shiftId FROM journal
           WHERE type = 'shift-open' ORDER BY epoch DESC, seq DESC LIMIT 1`,
      )
      .get() as ({ shiftId: string } & JournalPosition) | undefined;
    if (!last) return null;
    const shift = this.refOf(last.shiftId, { epoch: last.epoch, seq: last.seq });
    if (shift.close !== null) return null;
    const open = this.eventAt(shift.open);
    if (open?.type !== 'shift-open') return null;
    const { employeeId, currency, openingFloat, floatCount } = open.payload;
    return { ...shift, openedAt: open.occurredAt, openedBy: employeeId, currency, openingFloat, floatCount };
  }

  /** The X report of an open shift, or the Z report of a closed one; null for a shift this journal does not hold. */
  shiftReport(shiftId: string): ShiftReport | null {
    const shift = this.shiftById(shiftId);
    return shift ? summariseShift(this.eventsOf(shift)) : null;
  }

  /** The sales of a shift, latest first (at most `limit`), each with the void that cancelled it, if any. */
  shiftSales(shiftId: string, limit = 50): ShiftSale[] {
    const shift = this.shiftById(shiftId);
    if (!shift) return [];
    const sales: LatestSaleEvent[] = [];
    const voids = new Map<string, string>();
    for (const event of this.eventsOf(shift, ['sale', 'void'])) {
      if (event.type === 'sale') sales.push(event);
      else if (event.type === 'void' && !voids.has(event.payload.voidedEventId)) {
        voids.set(event.payload.voidedEventId, event.eventId);
      }
    }
    return sales
      .reverse()
      .slice(0, Math.max(0, limit))
      .map((sale) => ({ sale, voidedBy: voids.get(sale.eventId) ?? null }));
  }

  /** The first void of a sale, or null when it stands (or is not a sale of this journal). */
  voidOf(saleId: string): LatestEvent<'void'> | null {
    const sale = this.db
      .prepare("SELECT epoch, seq FROM journal WHERE event_id = ? AND type = 'sale'")
      .get(saleId) as JournalPosition | undefined;
    if (!sale) return null;
    // A void comes after its sale: only the voids from the sale's place on are read, through journal_by_type.
    const rows = this.db
      .prepare(
        `SELECT body FROM journal WHERE type = 'void'
           AND ((epoch = ? AND seq > ?) OR epoch > ?) ORDER BY epoch, seq`,
      )
      .all(sale.epoch, sale.seq, sale.epoch) as { body: string }[];
    for (const row of rows) {
      const event = readStoredEvent(row.body);
      if (event.type === 'void' && event.payload.voidedEventId === saleId) return event;
    }
    return null;
  }

  /** Whether training mode is on: the last `training-mode` event turned it on. Off on a till that never had one. */
  trainingMode(): boolean {
    const row = this.db
      .prepare("SELECT body FROM journal WHERE type = 'training-mode' ORDER BY epoch DESC, seq DESC LIMIT 1")
      .get() as { body: string } | undefined;
    if (!row) return false;
    const event = readStoredEvent(row.body);
    return event.type === 'training-mode' && event.payload.on;
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
      // A sale from v5 holds its number; an older one has the number of its place in the journal.
      const sale = this.db.prepare(SALE_BY_NUMBER_SQL).get(lookup.receiptNumber) as typeof row;
      if (sale) return readStoredEvent(sale.body) as LatestSaleEvent;
      const match = /^(.+)-(\d+)-(\d+)$/.exec(lookup.receiptNumber);
      if (!match) return null;
      row = this.db
        .prepare(
          "SELECT body FROM journal WHERE epoch = ? AND seq = ? AND type = 'sale' AND json_extract(body, '$.terminalId') = ?",
        )
        .get(Number(match[2]), Number(match[3]), match[1]) as typeof row;
      // A numbered sale at that place goes by its own number, not this one.
      if (
        row &&
        (readStoredEvent(row.body) as LatestSaleEvent).payload.receiptNumber !== lookup.receiptNumber
      )
        return null;
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

  /** A shift by its id, as `shifts()` would find it, from its own open and close rows only. */
  private shiftById(shiftId: string): ShiftRef | null {
    const open = this.db
      .prepare(
        `SELECT epoch, seq FROM journal WHERE type = 'shift-open' AND json_extract(body, '$.payload.shiftId') = ?
           ORDER BY epoch, seq LIMIT 1`,
      )
      .get(shiftId) as JournalPosition | undefined;
    return open ? this.refOf(shiftId, open) : null;
  }

  /** The shift opened at `open`, with the first close of it after that, if any. */
  private refOf(shiftId: string, open: JournalPosition): ShiftRef {
    const close = this.db
      .prepare(
        `SELECT epoch, seq FROM journal WHERE type = 'shift-close' AND (epoch > ? OR (epoch = ? AND seq > ?))
           AND json_extract(body, '$.payload.shiftId') = ? ORDER BY epoch, seq LIMIT 1`,
      )
      .get(open.epoch, open.epoch, open.seq, shiftId) as JournalPosition | undefined;
    return { shiftId, open: { epoch: open.epoch, seq: open.seq }, close: close ? { ...close } : null };
  }

  private eventAt({ epoch, seq }: JournalPosition): LatestJournalEvent | null {
    const row = this.db.prepare('SELECT body FROM journal WHERE epoch = ? AND seq = ?').get(epoch, seq) as
      | { body: string }
      | undefined;
    return row ? readStoredEvent(row.body) : null;
  }

  /** The events of a shift in (epoch, seq) order, from its open to its close (or the end): across epochs too. */
  private eventsOf(shift: ShiftRef, types?: readonly EventType[]): LatestJournalEvent[] {
    const end = shift.close ?? { epoch: Number.MAX_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER };
    const typeFilter = types ? `AND type IN (${types.map(() => '?').join(', ')})` : '';
    const rows = this.db
      .prepare(
        `SELECT body FROM journal
           WHERE (epoch > ? OR (epoch = ? AND seq >= ?)) AND (epoch < ? OR (epoch = ? AND seq <= ?)) ${typeFilter}
           ORDER BY epoch, seq`,
      )
      .all(
        shift.open.epoch,
        shift.open.epoch,
        shift.open.seq,
        end.epoch,
        end.epoch,
        end.seq,
        ...(types ?? []),
      ) as { body: string }[];
    return rows.map((row) => readStoredEvent(row.body));
  }
}
