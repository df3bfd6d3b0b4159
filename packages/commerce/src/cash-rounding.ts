import { divideRounded, type RoundingMode, toSafeNumber } from './rounding.js';

/**
 * How cash is rounded where the smallest coin is larger than the minor unit. Applied only when cash settles a
 * balance; card and other tenders always pay the exact total.
 */
export interface CashRoundingRule {
  /** The smallest cash step, in minor units (5 = 0.05). 1 means no rounding. */
  increment: number;
  mode: RoundingMode;
}

/** Defaults per currency, as data. A store can override them in its configuration. */
export const CASH_ROUNDING: Readonly<Record<string, CashRoundingRule>> = {
  CHF: { increment: 5, mode: 'half-up' },
  CAD: { increment: 5, mode: 'half-up' },
  AUD: { increment: 5, mode: 'half-up' },
  SEK: { increment: 100, mode: 'half-up' },
  NOK: { increment: 100, mode: 'half-up' },
  DKK: { increment: 50, mode: 'half-up' },
  // The haléř coins were withdrawn in 2008: cash is paid in whole koruna.
  CZK: { increment: 100, mode: 'half-up' },
};

export const NO_CASH_ROUNDING: CashRoundingRule = { increment: 1, mode: 'half-up' };

export function cashRoundingFor(currency: string): CashRoundingRule {
  return CASH_ROUNDING[currency] ?? NO_CASH_ROUNDING;
}

/** The cash amount due for an exact balance: the balance rounded to the rule's increment. */
export function roundCash(amount: number, rule: CashRoundingRule): number {
  if (rule.increment <= 1) return amount;
  return toSafeNumber(
    divideRounded(BigInt(amount), BigInt(rule.increment), rule.mode) * BigInt(rule.increment),
  );
}
