/** ISO 4217 minor-unit exponents for the currencies Tillwright prices in. Unknown codes are refused, not guessed. */
const EXPONENTS: Readonly<Record<string, number>> = {
  EUR: 2,
  USD: 2,
  GBP: 2,
  CAD: 2,
  CHF: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  AUD: 2,
  JPY: 0,
  KRW: 0,
  BHD: 3,
  KWD: 3,
};

export class UnknownCurrencyError extends Error {
  override readonly name = 'UnknownCurrencyError';
  readonly code = 'unknown_currency';
  constructor(readonly currency: string) {
    super(`currency ${currency} is not configured; add its ISO 4217 exponent before pricing in it`);
  }
}

export function currencyExponent(currency: string): number {
  const exponent = EXPONENTS[currency];
  if (exponent === undefined) throw new UnknownCurrencyError(currency);
  return exponent;
}
