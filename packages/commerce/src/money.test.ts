import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent, UnknownCurrencyError } from './currency.js';
import { addMoney, formatMinorUnits, MoneyError, money, parseMinorUnits } from './money.js';

describe('money', () => {
  it('is an integer amount of minor units in a known currency', () => {
    expect(money(1250, 'EUR')).toEqual({ amount: 1250, currency: 'EUR' });
    expect(() => money(12.5, 'EUR')).toThrow(MoneyError);
    expect(() => money(2 ** 53, 'EUR')).toThrow(MoneyError);
    expect(() => money(1, 'XXX')).toThrow(UnknownCurrencyError);
  });

  it('refuses to add different currencies', () => {
    expect(() => addMoney(money(1, 'EUR'), money(1, 'USD'))).toThrow(/cannot combine EUR with USD/);
  });

  it('formats by the currency exponent without floating point', () => {
    expect(formatMinorUnits(1250, 'EUR')).toBe('12.50');
    expect(formatMinorUnits(5, 'EUR')).toBe('0.05');
    expect(formatMinorUnits(-5, 'EUR')).toBe('-0.05');
    expect(formatMinorUnits(1200, 'JPY')).toBe('1200');
    expect(formatMinorUnits(1, 'BHD')).toBe('0.001');
    expect(formatMinorUnits(123456, 'PLN')).toBe('1234.56');
    expect(formatMinorUnits(-9, 'CZK')).toBe('-0.09');
  });

  // From the receipt layouts' money test (packages/devices/src/printer/layouts), which formatted by exponent.
  it('formats with an exponent given for a currency outside the table', () => {
    expect(formatMinorUnits(1999, 'XTS', 2)).toBe('19.99');
    expect(formatMinorUnits(-5, 'XTS', 2)).toBe('-0.05');
    expect(formatMinorUnits(1999, 'XTS', 0)).toBe('1999');
    expect(formatMinorUnits(1999, 'XTS', 3)).toBe('1.999');
    expect(() => formatMinorUnits(1999, 'XTS')).toThrow(UnknownCurrencyError);
  });

  it('refuses to format an amount that is not a safe integer', () => {
    expect(() => formatMinorUnits(1.5, 'EUR')).toThrow(expect.objectContaining({ code: 'not_an_integer' }));
    expect(() => formatMinorUnits(2 ** 53, 'EUR')).toThrow(expect.objectContaining({ code: 'overflow' }));
    expect(() => formatMinorUnits(Number.NaN, 'EUR', 2)).toThrow(MoneyError);
  });

  it('knows PLN and CZK, and takes an exponent only from 0 to 4', () => {
    expect(currencyExponent('PLN')).toBe(2);
    expect(currencyExponent('CZK')).toBe(2);
    expect(currencyExponent('XTS', 4)).toBe(4);
    expect(currencyExponent('EUR', 0)).toBe(0);
    expect(() => currencyExponent('XTS')).toThrow(UnknownCurrencyError);
    for (const bad of [-1, 5, 1.5, Number.NaN]) {
      expect(() => currencyExponent('XTS', bad)).toThrow(
        expect.objectContaining({ code: 'unknown_currency', message: expect.stringMatching(/0 to 4/) }),
      );
    }
  });

  it('parses keyed amounts and refuses extra decimals', () => {
    expect(parseMinorUnits('20', 'EUR')).toBe(2000);
    expect(parseMinorUnits('12.5', 'EUR')).toBe(1250);
    expect(parseMinorUnits('0,05', 'EUR')).toBe(5);
    expect(parseMinorUnits('1200', 'JPY')).toBe(1200);
    expect(() => parseMinorUnits('1.005', 'EUR')).toThrow(/more than 2 decimal places/);
    expect(() => parseMinorUnits('abc', 'EUR')).toThrow(/not an amount/);
    expect(() => parseMinorUnits('1.5', 'JPY')).toThrow(/more than 0 decimal places/);
  });

  it('formats and parses as inverses for every non-negative amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.constantFrom('EUR', 'JPY', 'BHD'),
        (amount, currency) => {
          expect(parseMinorUnits(formatMinorUnits(amount, currency), currency)).toBe(amount);
        },
      ),
      { seed: 20261125 },
    );
  });
});
