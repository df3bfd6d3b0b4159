import { describe, expect, it } from 'vitest';
import { moneyFormatter, ReceiptLayoutError } from './money.js';

// Moved from packages/devices/src/printer/layouts/layouts.test.ts. The layouts' own formatMinorUnits(amount,
// exponent) is gone (commerce formats); its assertions read through moneyFormatter with an explicit exponent, and
// commerce's money.test.ts holds the same figures for formatMinorUnits(amount, currency, exponent).
describe('money formatting', () => {
  it('uses the currency exponent with integer arithmetic', () => {
    expect(moneyFormatter('XTS', 2)(1999)).toBe('19.99');
    expect(moneyFormatter('XTS', 2)(-5)).toBe('-0.05');
    expect(moneyFormatter('XTS', 0)(1999)).toBe('1999');
    expect(moneyFormatter('XTS', 3)(1999)).toBe('1.999');
    expect(moneyFormatter('JPY')(500)).toBe('500');
    expect(moneyFormatter('XTS', 2)(123)).toBe('1.23');
  });

  it('refuses unknown currencies and non-integer amounts', () => {
    expect(() => moneyFormatter('XTS')).toThrow(ReceiptLayoutError);
    expect(() => moneyFormatter('XTS', 2)(1.5)).toThrow(
      expect.objectContaining({ code: 'invalid_amount', retryable: false }),
    );
  });

  it('formats through commerce: its currencies, its errors as layout errors', () => {
    expect(moneyFormatter('PLN')(123456)).toBe('1234.56');
    expect(moneyFormatter('CZK')(-9)).toBe('-0.09');
    expect(moneyFormatter('BHD')(1999)).toBe('1.999');
    expect(() => moneyFormatter('XTS')).toThrow(
      expect.objectContaining({
        code: 'unknown_currency',
        retryable: false,
        message: expect.stringMatching(/currencyExponent/),
      }),
    );
    expect(() => moneyFormatter('XTS', 5)).toThrow(expect.objectContaining({ code: 'unknown_currency' }));
    expect(() => moneyFormatter('EUR')(2 ** 53)).toThrow(expect.objectContaining({ code: 'invalid_amount' }));
  });
});
