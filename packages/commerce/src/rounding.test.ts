import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, cumulativeShare, divideRounded, type RoundingMode } from './rounding.js';

const SEED = { seed: 42 };

describe('divideRounded', () => {
  const cases: [bigint, bigint, RoundingMode, bigint][] = [
    [5n, 2n, 'half-up', 3n],
    [5n, 2n, 'half-even', 2n],
    [7n, 2n, 'half-even', 4n],
    [5n, 2n, 'half-down', 2n],
    [-5n, 2n, 'half-up', -3n],
    [-5n, 2n, 'half-even', -2n],
    [1n, 3n, 'up', 1n],
    [2n, 3n, 'down', 0n],
    [2n, 3n, 'half-up', 1n],
    [10n, -4n, 'half-up', -3n],
  ];
  it.each(cases)('%d / %d rounded %s is %d', (n, d, mode, expected) => {
    expect(divideRounded(n, d, mode)).toBe(expected);
  });

  it('is exact when the division has no remainder, whatever the mode', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.constantFrom<RoundingMode>('half-up', 'half-even', 'half-down', 'up', 'down'),
        (q, d, mode) => divideRounded(q * d, d, mode) === q,
      ),
      SEED,
    );
  });

  it('never moves more than one unit from the true quotient', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        (n, d) => {
          const r = divideRounded(n, d, 'half-even');
          const diff = r * d - n;
          return (diff < 0n ? -diff : diff) * 2n <= d;
        },
      ),
      SEED,
    );
  });
});

describe('allocate', () => {
  it('splits by weight with the remainder to the largest fractions', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(10, [0, 3, 1])).toEqual([0, 8, 2]);
    expect(allocate(5, [0, 0])).toEqual([3, 2]);
  });

  it('always sums to the total and stays within one unit of the exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0) || weights.length;
          const w = weights.some((x) => x > 0) ? weights : weights.map(() => 1);
          return (
            parts.reduce((a, b) => a + b, 0) === total &&
            parts.every((part, i) => Math.abs(part - (total * w[i]!) / sum) < 1 + 1e-9)
          );
        },
      ),
      SEED,
    );
  });
});

describe('cumulativeShare', () => {
  it('splits a line into returns that add back to the whole in any grouping', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc
          .integer({ min: 1, max: 50 })
          .chain((qty) =>
            fc.tuple(fc.constant(qty), fc.array(fc.integer({ min: 1, max: qty }), { maxLength: qty })),
          ),
        (total, [qty, chunks]) => {
          let returned = 0;
          let refunded = 0;
          for (const chunk of chunks) {
            const k = Math.min(chunk, qty - returned);
            refunded += cumulativeShare(total, returned + k, qty) - cumulativeShare(total, returned, qty);
            returned += k;
          }
          refunded += cumulativeShare(total, qty, qty) - cumulativeShare(total, returned, qty);
          return refunded === total;
        },
      ),
      SEED,
    );
  });
});
