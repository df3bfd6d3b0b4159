import type Database from 'better-sqlite3';
import { refuseParkedCardNumbers } from './parked-card-data.js';

/** A cart put aside on this till, to be resumed later (decision 0018): who parked it, when, and what it held. */
export interface ParkedSaleRecord {
  /** The sale id the cart was minted with; it stays the sale's id when resumed, as nothing was recorded under it. */
  saleId: string;
  currency: string;
  /** ISO time, by the till's clock. */
  parkedAt: string;
  parkedBy: string;
  /** The employee's name as the till showed it at parking. */
  parkedByName: string;
  /** A short note the cashier typed (a customer's name); null when none. */
  label: string | null;
  /** The host's total for the lines when parked (minor units); null when they could not be priced then. */
  total: number | null;
  /** The cart's lines as the screen held them; the host validates their shape, this table keeps them as given. */
  lines: readonly unknown[];
  /** The cart's discount on the whole basket, as given; absent when it had none. */
  basketDiscount?: unknown;
}

interface Row {
  sale_id: string;
  currency: string;
  parked_at: string;
  parked_by: string;
  parked_by_name: string;
  label: string | null;
  total: number | null;
  lines: string;
  basket_discount: string | null;
}

const COLUMNS =
  'sale_id, currency, parked_at, parked_by, parked_by_name, label, total, lines, basket_discount';

/**
 * Parked sales of this till (migrations 11 and 13): local, never journaled or sent (decision 0018), kept across restarts.
 * One row per sale id: parking the same sale again replaces it. Park, list, read, remove; limits are the host's.
 */
export class ParkedSales {
  private readonly upsert: Database.Statement<Row>;
  private readonly every: Database.Statement<[], Row>;
  private readonly one: Database.Statement<[string], Row>;
  private readonly remove: Database.Statement<[string]>;
  private readonly counter: Database.Statement<[], { count: number }>;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO parked_sales (${COLUMNS})
       VALUES (@sale_id, @currency, @parked_at, @parked_by, @parked_by_name, @label, @total, @lines, @basket_discount)
       ON CONFLICT (sale_id) DO UPDATE SET currency = excluded.currency, parked_at = excluded.parked_at,
         parked_by = excluded.parked_by, parked_by_name = excluded.parked_by_name, label = excluded.label,
         total = excluded.total, lines = excluded.lines, basket_discount = excluded.basket_discount`,
    );
    this.every = db.prepare(`SELECT ${COLUMNS} FROM parked_sales ORDER BY parked_at DESC, sale_id DESC`);
    this.one = db.prepare(`SELECT ${COLUMNS} FROM parked_sales WHERE sale_id = ?`);
    this.remove = db.prepare('DELETE FROM parked_sales WHERE sale_id = ?');
    this.counter = db.prepare('SELECT count(*) AS count FROM parked_sales');
  }

  /**
   * Keeps the sale as parked, replacing what was parked under its id before. A card number in its free text (the note,
   * a line's name, a custom description, a reason) is refused with `card_data_refused`, and nothing is written.
   */
  park(sale: ParkedSaleRecord): void {
    refuseParkedCardNumbers(sale);
    this.upsert.run({
      sale_id: sale.saleId,
      currency: sale.currency,
      parked_at: sale.parkedAt,
      parked_by: sale.parkedBy,
      parked_by_name: sale.parkedByName,
      label: sale.label,
      total: sale.total,
      lines: JSON.stringify(sale.lines),
      basket_discount: sale.basketDiscount === undefined ? null : JSON.stringify(sale.basketDiscount),
    });
  }

  /** Every parked sale, the most recently parked first. */
  list(): ParkedSaleRecord[] {
    return this.every.all().map(fromRow);
  }

  /** The sale parked under this id, or null. */
  read(saleId: string): ParkedSaleRecord | null {
    const row = this.one.get(saleId);
    return row ? fromRow(row) : null;
  }

  /** Takes the sale off the parked list; false when it was not on it (which is no error: removing is idempotent). */
  unpark(saleId: string): boolean {
    return this.remove.run(saleId).changes > 0;
  }

  count(): number {
    return this.counter.get()?.count ?? 0;
  }
}

function fromRow(row: Row): ParkedSaleRecord {
  return {
    saleId: row.sale_id,
    currency: row.currency,
    parkedAt: row.parked_at,
    parkedBy: row.parked_by,
    parkedByName: row.parked_by_name,
    label: row.label,
    total: row.total,
    lines: JSON.parse(row.lines) as unknown[],
    ...(row.basket_discount === null ? {} : { basketDiscount: JSON.parse(row.basket_discount) as unknown }),
  };
}
