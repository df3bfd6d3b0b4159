/**
 * Money on receipts: integer minor units formatted with the currency's ISO 4217 exponent, with string
 * arithmetic only (never a float), so 1999 EUR prints "19.99", 1999 JPY "1999" and 1999 BHD "1.999".
 */

/** ISO 4217 minor-unit exponents of the currencies Tillwright prices in (kept in step with @tillwright/commerce). */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  EUR: 2,
  USD: 2,
  GBP: 2,
  CAD: 2,
  CHF: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  AUD: 2,
  PLN: 2,
  CZK: 2,
  JPY: 0,
  KRW: 0,
  BHD: 3,
  KWD: 3,
});

export type ReceiptLayoutErrorCode = 'unknown_currency' | 'invalid_amount' | 'invalid_report';

/** The layout input cannot be printed as given: a programming or data error, never retryable. */
export class ReceiptLayoutError extends Error {
  override readonly name = 'ReceiptLayoutError';
  readonly retryable = false;
  constructor(
    readonly code: ReceiptLayoutErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The exponent of `currency`; `override` wins (for a currency not in the table). Unknown codes are refused. */
export function currencyExponent(currency: string, override?: number): number {
  const exponent = override ?? CURRENCY_EXPONENTS[currency];
  if (exponent === undefined || !Number.isInteger(exponent) || exponent < 0 || exponent > 4) {
    throw new ReceiptLayoutError(
      'unknown_currency',
      `currency ${currency} has no configured exponent; pass one in the receipt data`,
    );
  }
  return exponent;
}

/** `amount` minor units as a decimal string with `exponent` fraction digits: (-1234, 2) → "-12.34". */
export function formatMinorUnits(amount: number, exponent: number): string {
  if (!Number.isSafeInteger(amount)) {
    throw new ReceiptLayoutError(
      'invalid_amount',
      `amount ${amount} is not an integer number of minor units`,
    );
  }
  const negative = amount < 0;
  const digits = Math.abs(amount)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** A formatter bound to one currency, as the layouts use it. */
export function moneyFormatter(currency: string, exponent?: number): (amount: number) => string {
  const e = currencyExponent(currency, exponent);
  return (amount) => formatMinorUnits(amount, e);
}
