import { describe, expect, it } from 'vitest';
import { priceBasket } from './basket.js';
import { money } from './money.js';
import { settleCash, TenderError } from './tender.js';

describe('cash settlement', () => {
  it('gives change as tendered minus total', () => {
    const settlement = settleCash(money(1250, 'EUR'), money(2000, 'EUR'));
    expect(settlement.change).toEqual(money(750, 'EUR'));
    expect(settlement.applied).toEqual(money(1250, 'EUR'));
  });

  it('accepts the exact amount with no change', () => {
    expect(settleCash(money(1250, 'EUR'), money(1250, 'EUR')).change.amount).toBe(0);
  });

  it('refuses less cash than the total, saying both amounts', () => {
    const attempt = () => settleCash(money(1250, 'EUR'), money(1000, 'EUR'));
    expect(attempt).toThrow(TenderError);
    expect(attempt).toThrow(/less than the total/);
  });
});

describe('basket pricing', () => {
  it('multiplies unit prices by quantities and sums the lines', () => {
    const basket = priceBasket('EUR', [
      { unitPrice: money(250, 'EUR'), quantity: 3 },
      { unitPrice: money(499, 'EUR'), quantity: 1 },
    ]);
    expect(basket.lines.map((line) => line.lineTotal.amount)).toEqual([750, 499]);
    expect(basket.total).toEqual(money(1249, 'EUR'));
  });

  it('refuses an empty basket, a zero quantity and a foreign price', () => {
    expect(() => priceBasket('EUR', [])).toThrow(/at least one line/);
    expect(() => priceBasket('EUR', [{ unitPrice: money(1, 'EUR'), quantity: 0 }])).toThrow(/positive whole/);
    expect(() => priceBasket('EUR', [{ unitPrice: money(1, 'USD'), quantity: 1 }])).toThrow(/USD price/);
  });
});
