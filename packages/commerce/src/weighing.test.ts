import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyError } from './money.js';
import { weighedAmount } from './weighing.js';

describe('weighedAmount: value/1000 of a kilogram (pound) at a price per kilogram (pound), half up', () => {
  it.each([
    // [value (g or mlb), price per kg/lb, amount]
    [1000, 399, 399], // exactly one kilogram
    [512, 399, 204], // 204.288 → 204
    [500, 399, 200], // 199.5 → 200: a half rounds up
    [500, 397, 199], // 198.5 → 199
    [1, 499, 0], // 0.499 → 0: just under a half rounds down
    [1, 500, 1], // 0.5 → 1
    [1, 1499, 1], // 1.499 → 1
    [3, 1500, 5], // 4.5 → 5
    [0, 999, 0], // nothing weighed costs nothing
    [250, 0, 0], // a free item stays free
  ])('%i thousandths at %i per unit is %i', (value, price, amount) => {
    expect(weighedAmount(value, price)).toBe(amount);
  });

  it('stays exact at the largest weight and price a sale line may carry', () => {
    // 1,000 kg at 10,000,000.00 per kg: 10^15 minor units, past what a double multiplies exactly in cents per gram.
    expect(weighedAmount(1_000_000, 1_000_000_000)).toBe(1_000_000_000_000);
    expect(weighedAmount(999_999, 999_999_999)).toBe(999_998_999_000);
    expect(weighedAmount(999_999, 500)).toBe(500_000); // 499,999.5 → 500,000: a half rounds up at any size
  });

  it('is the exact quotient rounded half up, for any weight and price', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000_000 }),
        (v, p) => {
          const product = BigInt(v) * BigInt(p);
          const amount = BigInt(weighedAmount(v, p));
          // amount - 1/2 <= v*p/1000 < amount + 1/2
          return 2n * product >= 2000n * amount - 1000n && 2n * product < 2000n * amount + 1000n;
        },
      ),
      { seed: 42 },
    );
  });

  it('refuses what is not a whole, non-negative, safe number, and a result past the safe range', () => {
    expect(() => weighedAmount(0.5, 100)).toThrow(MoneyError);
    expect(() => weighedAmount(100, 1.5)).toThrow(MoneyError);
    expect(() => weighedAmount(-1, 100)).toThrow(RangeError);
    expect(() => weighedAmount(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toThrow(/safe range/);
  });
});
