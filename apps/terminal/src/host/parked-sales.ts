import type { Ledger, ParkedSaleRecord } from '@tillwright/ledger';
import { z } from 'zod';
import {
  MAX_PARKED_SALES,
  ManualDiscountRequest,
  type MethodParams,
  type MethodResult,
  ParkedLine,
  type ParkedSaleSummary,
  type RecordedSale,
  type SaleQuote,
} from '../contract/methods.js';
import { HostError } from './rpc-dispatcher.js';

export interface ParkedSalesDeps {
  ledger: Ledger;
  now: () => Date;
  /** The employee signed in, who parks; throws (`not_signed_in`, `session_locked`) when nobody may. */
  parker: () => { employeeId: string; displayName: string };
  /** The host's price of the lines now, as `sale.quote` answers; throws when they cannot be priced. */
  quote: (request: MethodParams<'sale.quote'>) => SaleQuote;
  /** The sale recorded under an id, or null (`sale.recorded`). */
  recorded: (saleId: string) => RecordedSale | null;
}

const ParkedLines = z.array(ParkedLine);

/**
 * Parked sales on this till (decision 0018): a cart put aside, kept in the ledger beside the journal but never in it,
 * resumed later under the same sale id. Parking again under an id replaces what was parked; removing is idempotent.
 */
export class ParkedSales {
  constructor(private readonly deps: ParkedSalesDeps) {}

  park(request: MethodParams<'sale.park'>): MethodResult<'sale.park'> {
    const { ledger } = this.deps;
    const parker = this.deps.parker();
    if (request.lines.length === 0) {
      throw new HostError('nothing_to_park', 'The sale has no items: there is nothing to park', false);
    }
    const recorded = this.deps.recorded(request.saleId);
    if (recorded) {
      throw new HostError(
        'sale_already_recorded',
        `This sale was already paid (receipt ${recorded.sale.receiptNumber}), so it cannot be parked: ` +
          'start a new sale for anything else',
        false,
      );
    }
    const replacing = ledger.parkedSales.read(request.saleId) !== null;
    if (!replacing && ledger.parkedSales.count() >= MAX_PARKED_SALES) {
      throw new HostError(
        'too_many_parked',
        `${MAX_PARKED_SALES} sales are parked on this till already: resume or clear one of them before parking another`,
        false,
      );
    }
    const lines = ParkedLines.parse(request.lines);
    const parkedAt = this.deps.now().toISOString();
    ledger.parkedSales.park({
      saleId: request.saleId,
      currency: request.currency,
      parkedAt,
      parkedBy: parker.employeeId,
      parkedByName: parker.displayName,
      label: request.label ? request.label : null,
      total: this.totalOf(request.saleId, request.currency, lines, request.basketDiscount),
      lines,
      ...(request.basketDiscount ? { basketDiscount: request.basketDiscount } : {}),
    });
    return { parkedAt };
  }

  /**
   * The parked sales, the most recently parked first. One whose id the journal holds was resumed and paid while its
   * parked copy stayed (the till stopped between the two): it is taken off the list here, never offered again.
   */
  list(): MethodResult<'sale.parkedList'> {
    const { parkedSales } = this.deps.ledger;
    const paid = parkedSales.list().filter((parked) => this.deps.recorded(parked.saleId) !== null);
    for (const parked of paid) parkedSales.unpark(parked.saleId);
    return { sales: parkedSales.list().map(summary) };
  }

  read(saleId: string): MethodResult<'sale.parkedRead'> {
    const parked = this.deps.ledger.parkedSales.read(saleId);
    if (!parked || this.deps.recorded(saleId)) {
      throw new HostError(
        'parked_sale_not_found',
        'That sale is not parked on this till any more (it was resumed or cleared): pick another from the list',
        false,
      );
    }
    return {
      saleId: parked.saleId,
      currency: parked.currency,
      parkedAt: parked.parkedAt,
      label: parked.label,
      lines: linesOf(parked),
      ...basketDiscountOf(parked),
    };
  }

  unpark(saleId: string): MethodResult<'sale.unpark'> {
    return { removed: this.deps.ledger.parkedSales.unpark(saleId) };
  }

  /**
   * The host's total for exactly what is parked now: every field of each line request (a parked line less what the
   * screen shows of it, its name and price) and the basket discount, quoted for the sale's id as a Pay would be; null
   * when it cannot be priced (a product gone from the catalog…).
   */
  private totalOf(
    saleId: string,
    currency: string,
    lines: ParkedLine[],
    basketDiscount: ManualDiscountRequest | undefined,
  ): number | null {
    try {
      const requestLines = lines.map(({ name: _name, unitPrice: _unitPrice, ...line }) => line);
      return this.deps.quote({
        saleId,
        currency,
        lines: requestLines,
        ...(basketDiscount ? { basketDiscount } : {}),
      }).total;
    } catch {
      return null;
    }
  }
}

/** The lines as parked, checked again as they come out of the ledger: a row that does not read is said so. */
function linesOf(parked: ParkedSaleRecord): ParkedLine[] {
  const lines = ParkedLines.safeParse(parked.lines);
  if (!lines.success) {
    throw new HostError(
      'parked_sale_unreadable',
      'This parked sale cannot be read back on this till: ring its items up again, then clear it from the list',
      false,
    );
  }
  return lines.data;
}

/** The basket discount as parked, checked again as it comes out of the ledger. */
function basketDiscountOf(parked: ParkedSaleRecord): { basketDiscount?: ManualDiscountRequest } {
  if (parked.basketDiscount === undefined) return {};
  const basketDiscount = ManualDiscountRequest.safeParse(parked.basketDiscount);
  if (!basketDiscount.success) {
    throw new HostError(
      'parked_sale_unreadable',
      'This parked sale cannot be read back on this till: ring its items up again, then clear it from the list',
      false,
    );
  }
  return { basketDiscount: basketDiscount.data };
}

function summary(parked: ParkedSaleRecord): ParkedSaleSummary {
  const lines = ParkedLines.safeParse(parked.lines);
  const items = lines.success ? lines.data.reduce((sum, line) => sum + line.quantity, 0) : 0;
  return {
    saleId: parked.saleId,
    parkedAt: parked.parkedAt,
    parkedBy: parked.parkedByName,
    label: parked.label,
    currency: parked.currency,
    lineCount: parked.lines.length,
    itemCount: items,
    total: parked.total,
  };
}
