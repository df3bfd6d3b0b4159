import { type Money, money, multiplyMoney, sumMoney } from './money.js';

export interface BasketItem {
  readonly unitPrice: Money;
  readonly quantity: number;
}

export interface PricedLine<T extends BasketItem> {
  readonly item: T;
  readonly lineTotal: Money;
}

export interface PricedBasket<T extends BasketItem> {
  readonly currency: string;
  readonly lines: readonly PricedLine<T>[];
  readonly subtotal: Money;
  /** Prices are tax-inclusive in this slice; tax breakdown, promotions and discounts arrive with issue #3. */
  readonly total: Money;
}

export class BasketError extends Error {
  override readonly name = 'BasketError';
  constructor(
    readonly code: 'empty_basket' | 'invalid_quantity' | 'currency_mismatch',
    message: string,
  ) {
    super(message);
  }
}

export function priceBasket<T extends BasketItem>(currency: string, items: readonly T[]): PricedBasket<T> {
  if (items.length === 0) throw new BasketError('empty_basket', 'a sale needs at least one line');
  const lines = items.map((item) => {
    if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
      throw new BasketError('invalid_quantity', `quantity ${item.quantity} must be a positive whole number`);
    }
    if (item.unitPrice.currency !== currency) {
      throw new BasketError(
        'currency_mismatch',
        `a ${item.unitPrice.currency} price in a ${currency} basket`,
      );
    }
    return { item, lineTotal: multiplyMoney(item.unitPrice, item.quantity) };
  });
  const subtotal = sumMoney(
    currency,
    lines.map((line) => line.lineTotal),
  );
  return { currency, lines, subtotal, total: money(subtotal.amount, currency) };
}
