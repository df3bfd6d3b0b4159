import { describe, expect, it } from 'vitest';
import { cashRoundingFor } from './cash-rounding.js';
import { CONFIGURED_CURRENCIES, currencyExponent, UnknownCurrencyError } from './currency.js';
import { CashCountError, cashDenominations, countTotal } from './denominations.js';

describe('cash denominations', () => {
  it('lists the notes and coins of every currency Tillwright prices in, largest first, one entry per value', () => {
    expect(CONFIGURED_CURRENCIES).toHaveLength(15);
    for (const currency of CONFIGURED_CURRENCIES) {
      const table = cashDenominations(currency);
      const values = table.map((d) => d.value);
      expect(values.length, currency).toBeGreaterThan(5);
      expect(values, currency).toEqual([...values].sort((a, b) => b - a));
      expect(new Set(values).size, currency).toBe(values.length);
      for (const { value } of table) expect(Number.isSafeInteger(value) && value > 0, currency).toBe(true);
      // Notes first, then coins: no coin is worth more than a note.
      const firstCoin = table.findIndex((d) => d.kind === 'coin');
      expect(firstCoin, currency).toBeGreaterThan(0);
      expect(
        table.slice(firstCoin).every((d) => d.kind === 'coin'),
        currency,
      ).toBe(true);
    }
  });

  it('has a smallest coin the cash rounding step can pay in, so change can always be given', () => {
    // Known gaps of the cash rounding table, left to a decision: Korean won prices end in tens (no 1 or 5 won coins
    // circulate), Bahraini and Kuwaiti fils in fives; the table does not round cash for them yet.
    const roundingNotConfigured = ['KRW', 'BHD', 'KWD'];
    for (const currency of CONFIGURED_CURRENCIES.filter((c) => !roundingNotConfigured.includes(c))) {
      const smallest = Math.min(...cashDenominations(currency).map((d) => d.value));
      expect(cashRoundingFor(currency).increment % smallest, currency).toBe(0);
    }
  });

  it('is in minor units of the currency: a euro cent is 1, a 20 euro note 2000, a 10 000 yen note 10000', () => {
    expect(cashDenominations('EUR').at(-1)).toEqual({ value: 1, kind: 'coin' });
    expect(cashDenominations('EUR')).toContainEqual({ value: 2000, kind: 'note' });
    expect(currencyExponent('JPY')).toBe(0);
    expect(cashDenominations('JPY')[0]).toEqual({ value: 10000, kind: 'note' });
    expect(cashDenominations('KWD')).toContainEqual({ value: 250, kind: 'note' }); // a quarter dinar, 3 decimals
    expect(cashDenominations('CHF').at(-1)).toEqual({ value: 5, kind: 'coin' });
  });

  it('hands out a copy: changing what it returned does not change the table', () => {
    cashDenominations('EUR')[0]!.value = 1;
    expect(cashDenominations('EUR')[0]!.value).toBe(50000);
  });

  it('refuses a currency it has no table for', () => {
    expect(() => cashDenominations('XTS')).toThrow(UnknownCurrencyError);
    expect(() => countTotal('XTS', [])).toThrow(UnknownCurrencyError);
  });
});

describe('count total', () => {
  it('adds value × count over the count; an empty drawer totals 0', () => {
    expect(
      countTotal('EUR', [
        { value: 2000, count: 3 },
        { value: 500, count: 4 },
        { value: 200, count: 10 },
        { value: 1, count: 7 },
        { value: 50, count: 0 },
      ]),
    ).toBe(10007);
    expect(countTotal('EUR', [])).toBe(0);
    expect(
      countTotal('JPY', [
        { value: 10000, count: 2 },
        { value: 1, count: 3 },
      ]),
    ).toBe(20003);
  });

  it('refuses a value that is not a note or coin of that currency, naming it', () => {
    const error = catchError(() => countTotal('CHF', [{ value: 1, count: 1 }]));
    expect(error).toMatchObject({ code: 'not_a_denomination', value: 1, retryable: false });
    expect(error.message).toContain('not a note or coin of CHF');
    expect(() => countTotal('EUR', [{ value: 300, count: 1 }])).toThrow(CashCountError);
  });

  it('refuses the same denomination twice', () => {
    expect(
      catchError(() =>
        countTotal('EUR', [
          { value: 100, count: 1 },
          { value: 100, count: 2 },
        ]),
      ),
    ).toMatchObject({ code: 'duplicate_denomination', value: 100 });
  });

  it('refuses a negative or fractional count', () => {
    for (const count of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(
        catchError(() => countTotal('EUR', [{ value: 100, count }])),
        String(count),
      ).toMatchObject({
        code: 'invalid_count',
      });
    }
  });

  it('refuses a total beyond what a number holds exactly', () => {
    expect(
      catchError(() =>
        countTotal('CZK', [
          { value: 500000, count: Math.floor(Number.MAX_SAFE_INTEGER / 500000) },
          { value: 200000, count: 1 },
          { value: 100000, count: 1 },
        ]),
      ),
    ).toMatchObject({ code: 'count_too_large' });
    const justFits = Math.floor(Number.MAX_SAFE_INTEGER / 500000);
    expect(countTotal('CZK', [{ value: 500000, count: justFits }])).toBe(500000 * justFits);
  });
});

function catchError(fn: () => unknown): CashCountError {
  try {
    fn();
  } catch (error) {
    return error as CashCountError;
  }
  throw new Error('expected an error');
}
