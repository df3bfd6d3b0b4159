import { containsCardNumber } from './card-numbers.js';
import { type CashRoundingRule, roundCash } from './cash-rounding.js';

export type TenderKind = 'cash' | 'card' | 'gift-card' | 'store-credit';

/** What a store allows per tender: change given, whether it opens the drawer, whether it works offline. */
export interface TenderRule {
  /** Most change this tender may give, in minor units; null for no limit, 0 for none. */
  maxChange: number | null;
  opensDrawer: boolean;
  allowedOffline: boolean;
}

export const DEFAULT_TENDER_RULES: Readonly<Record<TenderKind, TenderRule>> = {
  cash: { maxChange: null, opensDrawer: true, allowedOffline: true },
  card: { maxChange: 0, opensDrawer: false, allowedOffline: false },
  'gift-card': { maxChange: 0, opensDrawer: false, allowedOffline: false },
  'store-credit': { maxChange: 0, opensDrawer: false, allowedOffline: true },
};

/**
 * What the cashier took. Cards are a processor's token and authorisation code only: never a card number or CVV.
 */
export type TenderInput =
  | { kind: 'cash'; tendered: number }
  | { kind: 'card'; amount: number; token: string; authorizationCode: string; brand?: string }
  | { kind: 'gift-card'; amount: number; cardToken: string }
  | { kind: 'store-credit'; amount: number; accountId: string };

export interface SettledTender {
  kind: TenderKind;
  /** Token, gift-card token or account id; null for cash. */
  ref: string | null;
  /** What this tender paid toward the sale. */
  amount: number;
  /** For cash: what was handed over. */
  tendered: number;
  change: number;
}

export interface Settlement {
  tenders: SettledTender[];
  /** The difference cash rounding made to the amount paid (positive: customer paid more). */
  cashRounding: number;
  /** The sale total plus cash rounding: what the tenders paid in all. */
  paid: number;
  change: number;
  opensDrawer: boolean;
}

export type TenderErrorCode =
  | 'insufficient_payment'
  | 'overpaid'
  | 'change_not_allowed'
  | 'tender_offline'
  | 'invalid_amount'
  | 'card_data_refused';

export class TenderError extends Error {
  override readonly name = 'TenderError';
  constructor(
    readonly code: TenderErrorCode,
    message: string,
    readonly details: Record<string, number | string> = {},
  ) {
    super(message);
  }
}

export interface SettleOptions {
  rules?: Readonly<Record<TenderKind, TenderRule>>;
  offline?: boolean;
  cashRounding?: CashRoundingRule;
}

/**
 * Settles a total with split tenders, in the order given. Non-cash tenders may not pay more than the balance left.
 * Cash that settles the balance pays it rounded to the cash step (CHF to 0.05, SEK to whole kronor); that rounding
 * is reported separately and never touches what a card pays. Change comes only from cash, within its limit.
 */
export function settleTenders(
  total: number,
  tenders: readonly TenderInput[],
  options: SettleOptions = {},
): Settlement {
  const rules = options.rules ?? DEFAULT_TENDER_RULES;
  let balance = total;
  let cashRounding = 0;
  const settled: SettledTender[] = [];
  tenders.forEach((tender, index) => {
    const rule = rules[tender.kind];
    if (options.offline && !rule.allowedOffline) {
      throw new TenderError(
        'tender_offline',
        `${tender.kind} cannot be taken while the terminal is offline`,
        {
          kind: tender.kind,
        },
      );
    }
    if (balance <= 0) throw new TenderError('overpaid', 'the sale is already paid; remove the extra tender');
    if (tender.kind === 'cash') {
      assertAmount(tender.tendered, 'cash tendered');
      const isLast = index === tenders.length - 1;
      const due = roundCash(balance, options.cashRounding ?? { increment: 1, mode: 'half-up' });
      if (tender.tendered >= due || isLast) {
        if (tender.tendered < due) {
          throw new TenderError('insufficient_payment', 'cash tendered is less than the amount due', {
            due,
            tendered: tender.tendered,
          });
        }
        const change = tender.tendered - due;
        if (rule.maxChange !== null && change > rule.maxChange) {
          throw new TenderError(
            'change_not_allowed',
            `change of ${change} exceeds the cash limit of ${rule.maxChange}`,
          );
        }
        cashRounding += due - balance;
        settled.push({ kind: 'cash', ref: null, amount: due, tendered: tender.tendered, change });
        balance = 0;
        return;
      }
      settled.push({
        kind: 'cash',
        ref: null,
        amount: tender.tendered,
        tendered: tender.tendered,
        change: 0,
      });
      balance -= tender.tendered;
      return;
    }
    assertAmount(tender.amount, `${tender.kind} amount`);
    if (tender.amount > balance) {
      throw new TenderError(
        'overpaid',
        `${tender.kind} of ${tender.amount} is more than the ${balance} left to pay`,
        {
          balance,
          amount: tender.amount,
        },
      );
    }
    const ref =
      tender.kind === 'card'
        ? cardToken(tender.token)
        : tender.kind === 'gift-card'
          ? refuseCardNumber(tender.cardToken)
          : refuseCardNumber(tender.accountId);
    settled.push({ kind: tender.kind, ref, amount: tender.amount, tendered: tender.amount, change: 0 });
    balance -= tender.amount;
  });
  if (balance > 0) {
    throw new TenderError('insufficient_payment', `${balance} is still to pay`, { balance });
  }
  const change = settled.reduce((sum, tender) => sum + tender.change, 0);
  return {
    tenders: settled,
    cashRounding,
    paid: total + cashRounding,
    change,
    opensDrawer: settled.some((tender) => rules[tender.kind].opensDrawer),
  };
}

function assertAmount(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new TenderError('invalid_amount', `${what} must be a positive whole number of minor units`);
  }
}

/**
 * Refuses a tender reference that holds a card number (see card-numbers.ts), so card data can never reach the
 * journal. The message never repeats the number.
 */
export function refuseCardNumber(reference: string): string {
  if (containsCardNumber(reference)) {
    throw new TenderError(
      'card_data_refused',
      'that reference looks like a card number; card numbers are never kept, so remove it and use the payment token',
    );
  }
  return reference;
}

/** A card payment's processor token: 8 to 128 characters and never a card number. */
export function cardToken(token: string): string {
  if (token.length < 8 || token.length > 128) {
    throw new TenderError('card_data_refused', 'a payment token must be 8 to 128 characters');
  }
  return refuseCardNumber(token);
}
