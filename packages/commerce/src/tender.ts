import { type Money, money } from './money.js';

export class TenderError extends Error {
  override readonly name = 'TenderError';
  constructor(
    readonly code: 'insufficient_cash' | 'currency_mismatch',
    message: string,
    readonly details: Record<string, number | string>,
  ) {
    super(message);
  }
}

export interface CashSettlement {
  readonly tendered: Money;
  /** The part of the tender applied to the sale. */
  readonly applied: Money;
  readonly change: Money;
}

/** Settles a sale paid entirely in cash. Cash rounding per currency arrives with issue #3; none is applied here. */
export function settleCash(total: Money, tendered: Money): CashSettlement {
  if (total.currency !== tendered.currency) {
    throw new TenderError('currency_mismatch', `tendered ${tendered.currency} for a ${total.currency} sale`, {
      total: total.currency,
      tendered: tendered.currency,
    });
  }
  if (tendered.amount < total.amount) {
    throw new TenderError('insufficient_cash', 'cash tendered is less than the total', {
      total: total.amount,
      tendered: tendered.amount,
    });
  }
  return {
    tendered,
    applied: total,
    change: money(tendered.amount - total.amount, total.currency),
  };
}
