import { currencyExponent } from './currency.js';

/** An amount in minor units of one currency. Amounts are always safe integers. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

export class MoneyError extends Error {
  override readonly name = 'MoneyError';
  constructor(
    readonly code: 'not_an_integer' | 'overflow' | 'currency_mismatch',
    message: string,
  ) {
    super(message);
  }
}

export function money(amount: number, currency: string): Money {
  assertMinorUnits(amount);
  currencyExponent(currency);
  return { amount, currency };
}

function assertMinorUnits(amount: number): void {
  if (!Number.isInteger(amount)) throw new MoneyError('not_an_integer', `amount ${amount} is not an integer`);
  if (!Number.isSafeInteger(amount))
    throw new MoneyError('overflow', `amount ${amount} is outside the safe range`);
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

export function multiplyMoney(a: Money, factor: number): Money {
  if (!Number.isInteger(factor)) throw new MoneyError('not_an_integer', `factor ${factor} is not an integer`);
  return money(a.amount * factor, a.currency);
}

export function sumMoney(currency: string, items: readonly Money[]): Money {
  return items.reduce((total, item) => addMoney(total, item), money(0, currency));
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new MoneyError('currency_mismatch', `cannot combine ${a.currency} with ${b.currency}`);
  }
}

/**
 * Formats minor units as a plain decimal string ("12.50", "-0.05", "1200" for JPY); no locale, no float math.
 * `exponent` overrides the currency table (see `currencyExponent`). Refuses an amount that is not a safe integer.
 */
export function formatMinorUnits(amount: number, currency: string, exponent?: number): string {
  const e = currencyExponent(currency, exponent);
  assertMinorUnits(amount);
  const negative = amount < 0;
  const digits = Math.abs(amount)
    .toString()
    .padStart(e + 1, '0');
  const whole = e === 0 ? digits : digits.slice(0, -e);
  const fraction = e === 0 ? '' : `.${digits.slice(-e)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

export function formatMoney(value: Money): string {
  return `${value.currency} ${formatMinorUnits(value.amount, value.currency)}`;
}

export class MoneyParseError extends Error {
  override readonly name = 'MoneyParseError';
  readonly code = 'invalid_amount';
}

/** Parses what a cashier keys ("12.5", "12.50", "12") into minor units, refusing more decimals than the currency has. */
export function parseMinorUnits(text: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = /^\s*(\d{1,13})(?:[.,](\d*))?\s*$/.exec(text);
  if (!match) throw new MoneyParseError(`"${text}" is not an amount`);
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) {
    throw new MoneyParseError(`"${text}" has more than ${exponent} decimal places for ${currency}`);
  }
  return Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
}
