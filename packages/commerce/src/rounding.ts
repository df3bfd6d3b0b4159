/** How a fraction of a minor unit is resolved. Every rounding in Tillwright names one of these. */
export type RoundingMode = 'half-up' | 'half-even' | 'half-down' | 'up' | 'down';

export class RoundingError extends Error {
  override readonly name = 'RoundingError';
  readonly code = 'invalid_division';
}

/**
 * numerator / denominator rounded to an integer by `mode`. Exact for any size (BigInt); "half-up" and "up" round
 * away from zero for negative values, so a refund rounds the way its sale did.
 */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RoundingError('division by zero');
  if (denominator < 0n) return divideRounded(-numerator, -denominator, mode);
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const quotient = magnitude / denominator;
  const remainder = magnitude % denominator;
  let rounded = quotient;
  if (remainder !== 0n) {
    const twice = remainder * 2n;
    switch (mode) {
      case 'up':
        rounded = quotient + 1n;
        break;
      case 'down':
        break;
      case 'half-up':
        if (twice >= denominator) rounded = quotient + 1n;
        break;
      case 'half-down':
        if (twice > denominator) rounded = quotient + 1n;
        break;
      case 'half-even':
        if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) rounded = quotient + 1n;
        break;
      default: {
        const unreachable: never = mode;
        throw new RoundingError(`unknown rounding mode ${String(unreachable)}`);
      }
    }
  }
  return negative ? -rounded : rounded;
}

/** amount × numerator / denominator, rounded; the workhorse for rates and proportions. */
export function scaleRounded(
  amount: number,
  numerator: number | bigint,
  denominator: number | bigint,
  mode: RoundingMode,
): number {
  return toSafeNumber(divideRounded(BigInt(amount) * BigInt(numerator), BigInt(denominator), mode));
}

export function toSafeNumber(value: bigint): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw new RoundingError(`${value} is outside the safe integer range`);
  return result;
}

/**
 * Splits `total` into integer parts proportional to `weights`, summing exactly to `total` (largest remainder;
 * ties go to the earlier index, so the split is deterministic). Zero weights get zero unless all are zero,
 * in which case the split is even.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) {
    if (total !== 0) throw new RoundingError(`cannot allocate ${total} over nothing`);
    return [];
  }
  if (weights.some((weight) => weight < 0 || !Number.isSafeInteger(weight))) {
    throw new RoundingError('allocation weights must be non-negative integers');
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  const effective = sum === 0 ? weights.map(() => 1) : weights;
  const whole = BigInt(sum === 0 ? weights.length : sum);
  const sign = total < 0 ? -1n : 1n;
  const magnitude = BigInt(Math.abs(total));
  const parts = effective.map((weight) => (magnitude * BigInt(weight)) / whole);
  const remainders = effective.map((weight, index) => ({
    index,
    rest: (magnitude * BigInt(weight)) % whole,
  }));
  let left = magnitude - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    parts[index]! += 1n;
    left -= 1n;
  }
  return parts.map((part) => toSafeNumber(part * sign));
}

/**
 * The part of `total` that belongs to the first `count` of `of` equal shares, rounded half-up. Taking
 * differences of this (share(k+n) − share(k)) splits a line across partial returns so that returning every unit,
 * in any order and any grouping, gives back exactly `total`.
 */
export function cumulativeShare(total: number, count: number, of: number): number {
  if (of <= 0 || count < 0 || count > of) throw new RoundingError(`share ${count} of ${of} is not valid`);
  return scaleRounded(total, count, of, 'half-up');
}
