import { UnknownCurrencyError } from './currency.js';

export interface Denomination {
  /** Minor units of the currency: 2000 is a 20.00 note, 5 a 0.05 coin (a 5 yen coin in JPY, exponent 0). */
  value: number;
  kind: 'note' | 'coin';
}

const notes = (...values: number[]): Denomination[] => values.map((value) => ({ value, kind: 'note' }));
const coins = (...values: number[]): Denomination[] => values.map((value) => ({ value, kind: 'coin' }));

/**
 * The notes and coins a till counts, per currency, largest first, in minor units. One entry per value: where a note
 * and a coin share a value (the US dollar, Bahrain's half dinar) the one tills hold is listed. Coins withdrawn from
 * circulation are left out (Canada's cent, Switzerland's 1 and 2 Rappen, Sweden's öre), which matches the cash
 * rounding of those currencies (cash-rounding.ts).
 */
const DENOMINATIONS: Readonly<Record<string, readonly Denomination[]>> = {
  EUR: [...notes(50000, 20000, 10000, 5000, 2000, 1000, 500), ...coins(200, 100, 50, 20, 10, 5, 2, 1)],
  // The $1 coin is left for the $1 note, which tills hold.
  USD: [...notes(10000, 5000, 2000, 1000, 500, 200, 100), ...coins(50, 25, 10, 5, 1)],
  GBP: [...notes(5000, 2000, 1000, 500), ...coins(200, 100, 50, 20, 10, 5, 2, 1)],
  CAD: [...notes(10000, 5000, 2000, 1000, 500), ...coins(200, 100, 25, 10, 5)],
  CHF: [...notes(100000, 20000, 10000, 5000, 2000, 1000), ...coins(500, 200, 100, 50, 20, 10, 5)],
  SEK: [...notes(100000, 50000, 20000, 10000, 5000, 2000), ...coins(1000, 500, 200, 100)],
  NOK: [...notes(100000, 50000, 20000, 10000, 5000), ...coins(2000, 1000, 500, 100)],
  DKK: [...notes(100000, 50000, 20000, 10000, 5000), ...coins(2000, 1000, 500, 200, 100, 50)],
  AUD: [...notes(10000, 5000, 2000, 1000, 500), ...coins(200, 100, 50, 20, 10, 5)],
  PLN: [...notes(50000, 20000, 10000, 5000, 2000, 1000), ...coins(500, 200, 100, 50, 20, 10, 5, 2, 1)],
  CZK: [...notes(500000, 200000, 100000, 50000, 20000, 10000), ...coins(5000, 2000, 1000, 500, 200, 100)],
  JPY: [...notes(10000, 5000, 2000, 1000), ...coins(500, 100, 50, 10, 5, 1)],
  KRW: [...notes(50000, 10000, 5000, 1000), ...coins(500, 100, 50, 10)],
  // Exponent 3 (fils). The half-dinar note rather than the 500-fils coin of the same value.
  BHD: [...notes(20000, 10000, 5000, 1000, 500), ...coins(100, 50, 25, 10, 5)],
  KWD: [...notes(20000, 10000, 5000, 1000, 500, 250), ...coins(100, 50, 20, 10, 5)],
};

/** The notes and coins of `currency` in circulation, largest first, in minor units. */
export function cashDenominations(currency: string): Denomination[] {
  const table = DENOMINATIONS[currency];
  if (table === undefined) {
    throw new UnknownCurrencyError(
      currency,
      `currency ${currency} has no notes and coins configured; add them to the denomination table before counting cash in it`,
    );
  }
  return table.map((denomination) => ({ ...denomination }));
}

export type CashCountErrorCode =
  | 'not_a_denomination'
  | 'duplicate_denomination'
  | 'invalid_count'
  | 'count_too_large';

/** A count that cannot be totalled. Never retryable: the count itself must be corrected. */
export class CashCountError extends Error {
  override readonly name = 'CashCountError';
  readonly retryable = false;
  constructor(
    readonly code: CashCountErrorCode,
    message: string,
    readonly value: number,
  ) {
    super(message);
  }
}

export interface DenominationCount {
  value: number;
  count: number;
}

/**
 * The total, in minor units, of cash counted by denomination. Refused: a value that is not a note or coin of
 * `currency`, the same value twice, a count that is not a whole number of pieces, a total too large to hold exactly.
 */
export function countTotal(currency: string, counts: readonly DenominationCount[]): number {
  const values = new Set(cashDenominations(currency).map((denomination) => denomination.value));
  const seen = new Set<number>();
  let total = 0;
  for (const { value, count } of counts) {
    if (!values.has(value)) {
      throw new CashCountError(
        'not_a_denomination',
        `${value} (minor units) is not a note or coin of ${currency}; count only its notes and coins`,
        value,
      );
    }
    if (seen.has(value)) {
      throw new CashCountError(
        'duplicate_denomination',
        `the ${value} ${currency} denomination is counted twice; give each note or coin once with its count`,
        value,
      );
    }
    seen.add(value);
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new CashCountError(
        'invalid_count',
        `the count of the ${value} ${currency} denomination is ${count}; a count is a whole number of pieces, 0 or more`,
        value,
      );
    }
    total += value * count;
    if (!Number.isSafeInteger(total)) {
      throw new CashCountError(
        'count_too_large',
        `the ${currency} count adds up beyond what can be held exactly; check the counts entered`,
        value,
      );
    }
  }
  return total;
}
