/**
 * Money on receipts, formatted by @tillwright/commerce only (integer minor units, the currency's ISO 4217
 * exponent, no float): 1999 EUR prints "19.99", 1999 JPY "1999" and 1999 BHD "1.999". Commerce's errors become
 * ReceiptLayoutErrors, so a layout fails one way whatever its input got wrong.
 */
import { currencyExponent, formatMinorUnits, MoneyError, UnknownCurrencyError } from '@tillwright/commerce';

export type ReceiptLayoutErrorCode = 'unknown_currency' | 'invalid_amount' | 'invalid_report';

/** The layout input cannot be printed as given: a programming or data error, never retryable. */
export class ReceiptLayoutError extends Error {
  override readonly name = 'ReceiptLayoutError';
  readonly retryable = false;
  constructor(
    readonly code: ReceiptLayoutErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A formatter bound to one currency, as the layouts use it. `exponent` is for a currency not in commerce's table
 * (the receipt data's `currencyExponent`). Throws ReceiptLayoutError 'unknown_currency' for a currency with no
 * exponent, and the formatter throws 'invalid_amount' for an amount that is not a safe integer.
 */
export function moneyFormatter(currency: string, exponent?: number): (amount: number) => string {
  const e = asLayoutError(() => currencyExponent(currency, exponent));
  return (amount) => asLayoutError(() => formatMinorUnits(amount, currency, e));
}

function asLayoutError<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof UnknownCurrencyError) {
      throw new ReceiptLayoutError(
        'unknown_currency',
        `${error.message}; pass currencyExponent in the receipt data`,
        { cause: error },
      );
    }
    if (error instanceof MoneyError) {
      throw new ReceiptLayoutError('invalid_amount', `${error.message}: not a number of minor units`, {
        cause: error,
      });
    }
    throw error;
  }
}
