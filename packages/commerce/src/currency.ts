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
  PLN: 2,
  CZK: 2,
  JPY: 0,
  KRW: 0,
  BHD: 3,
  KWD: 3,
};

/** The currencies Tillwright prices in, in the order of the table above. */
export const CONFIGURED_CURRENCIES: readonly string[] = Object.freeze(Object.keys(EXPONENTS));

export class UnknownCurrencyError extends Error {
  override readonly name = 'UnknownCurrencyError';
  readonly code = 'unknown_currency';
  constructor(
    readonly currency: string,
    message = `currency ${currency} is not configured; add its ISO 4217 exponent before pricing in it`,
  ) {
    super(message);
  }
}

/**
 * The ISO 4217 minor-unit exponent of `currency`. `override`, when given, is used instead of the table: for a
 * currency Tillwright does not price in (a receipt or report in it); it must be an ISO 4217 exponent, 0 to 4.
 */
export function currencyExponent(currency: string, override?: number): number {
  if (override !== undefined) {
    if (Number.isInteger(override) && override >= 0 && override <= 4) return override;
    throw new UnknownCurrencyError(
      currency,
      `currency ${currency} was given exponent ${override}; an ISO 4217 exponent is an integer from 0 to 4`,
    );
  }
  const exponent = EXPONENTS[currency];
  if (exponent === undefined) throw new UnknownCurrencyError(currency);
  return exponent;
}
