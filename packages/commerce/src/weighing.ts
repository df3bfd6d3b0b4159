import { MoneyError } from './money.js';
import { divideRounded } from './rounding.js';

/**
 * The amount of a weighed item (decision 0019): `value` thousandths of the pricing unit (grams of a kilogram, or
 * thousandths of a pound) at `pricePerUnit` minor units per kilogram (pound), rounded half up to the minor unit.
 * Exact for any inputs (BigInt); the result must be a safe integer.
 */
export function weighedAmount(value: number, pricePerUnit: number): number {
  for (const [name, n] of [
    ['weight', value],
    ['price per unit', pricePerUnit],
  ] as const) {
    if (!Number.isSafeInteger(n))
      throw new MoneyError('not_an_integer', `${name} ${n} is not a safe integer`);
    if (n < 0) throw new RangeError(`${name} ${n} is negative`);
  }
  const amount = divideRounded(BigInt(value) * BigInt(pricePerUnit), 1000n, 'half-up');
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MoneyError('overflow', `${value}/1000 at ${pricePerUnit} is outside the safe range`);
  }
  return Number(amount);
}
