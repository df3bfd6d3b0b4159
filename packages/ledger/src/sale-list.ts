import type Database from 'better-sqlite3';
import { readStoredEvent } from './journal.js';

/** One sale (or training sale) of the till, as a list of receipts shows it. */
export interface SaleListEntry {
  saleId: string;
  /** The number its receipt printed: its own from sale v5 (training-sale v2), else its place in the journal. */
  receiptNumber: string;
  occurredAt: string;
  /** What the receipt printed as the total: the priced total plus any cash rounding. */
  total: number;
  currency: string;
  training: boolean;
}

export interface SaleListPage {
  sales: SaleListEntry[];
  /** Where the next (older) page starts: pass it as `before`; null when this page reached the first sale. */
  next: number | null;
}

export interface SaleListQuery {
  /** Only sales written before this place (`next` of the previous page); from the newest without it. */
  before?: number;
  limit: number;
  /** Only sales whose receipt number contains this text (any case): a cashier types what the receipt shows. */
  number?: string;
}

// The number a receipt printed, in SQL: the one a numbered sale holds, else the one of its place in the journal
// (protocol's receiptNumber). Newest first by the journal's own order (position, its primary key): a page is the
// rows walked back from `before` until `limit` match.
const PAGE_SQL = `SELECT position, body FROM journal
  WHERE type IN ('sale', 'training-sale') AND position < ?
    AND (? IS NULL OR instr(upper(coalesce(json_extract(body, '$.payload.receiptNumber'),
      json_extract(body, '$.terminalId') || '-' || epoch || '-' || printf('%06d', seq))), upper(?)) > 0)
  ORDER BY position DESC LIMIT ?`;

/** The till's sales from its journal, newest first and paged, for finding an earlier receipt to show or reprint. */
export class SaleList {
  private readonly page: Database.Statement<
    [number, string | null, string | null, number],
    { position: number; body: string }
  >;

  constructor(db: Database.Database) {
    this.page = db.prepare(PAGE_SQL);
  }

  recent({ before, limit, number }: SaleListQuery): SaleListPage {
    const search = number?.trim() ? number.trim() : null;
    const rows = this.page.all(before ?? Number.MAX_SAFE_INTEGER, search, search, limit + 1);
    const shown = rows.slice(0, limit);
    const sales = shown.map(({ body }) => {
      const event = readStoredEvent(body);
      const sale = event.payload as {
        receiptNumber: string;
        total: number;
        cashRounding: number;
        currency: string;
      };
      return {
        saleId: event.eventId,
        receiptNumber: sale.receiptNumber,
        occurredAt: event.occurredAt,
        total: sale.total + sale.cashRounding,
        currency: sale.currency,
        training: event.type === 'training-sale',
      };
    });
    return { sales, next: rows.length > limit ? shown.at(-1)!.position : null };
  }
}
