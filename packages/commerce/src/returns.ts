import { type CashRoundingRule, NO_CASH_ROUNDING, roundCash } from './cash-rounding.js';
import type { PricedSale } from './pricing-types.js';
import { cumulativeShare } from './rounding.js';
import { computeTax, type TaxBreakdown, type TaxJurisdiction } from './tax.js';
import type { Settlement, TenderKind } from './tenders.js';

export interface ReturnRequestLine {
  lineId: string;
  quantity: number;
}

/** What earlier returns of the same sale already took (including quantities reserved by other stores). */
export interface PriorReturns {
  quantities: Readonly<Record<string, number>>;
  /** Exact amount refunded so far per original tender, by index. */
  tenderRefunds: readonly number[];
  /** Cash actually paid out so far (after cash rounding). */
  cashPaidOut: number;
}

export const NO_PRIOR_RETURNS: PriorReturns = { quantities: {}, tenderRefunds: [], cashPaidOut: 0 };

export interface ReturnPolicy {
  /** Which original tenders are refunded first. */
  refundOrder: readonly TenderKind[];
  cashRounding: CashRoundingRule;
  /** Days after the sale a return is accepted; null for no limit. */
  windowDays: number | null;
}

export const DEFAULT_RETURN_POLICY: ReturnPolicy = {
  refundOrder: ['card', 'gift-card', 'store-credit', 'cash'],
  cashRounding: NO_CASH_ROUNDING,
  windowDays: 30,
};

export interface ReturnedLine {
  lineId: string;
  quantity: number;
  /** Share of the line's discounted amount before tax (net). */
  net: number;
  taxes: { code: string; amount: number }[];
  total: number;
}

export interface TenderRefund {
  tenderIndex: number;
  kind: TenderKind;
  ref: string | null;
  /** Exact refund to this tender. */
  amount: number;
  /** What is handed back: the amount, or for cash the amount after cash rounding. */
  paidOut: number;
}

export interface ReturnComputation {
  lines: ReturnedLine[];
  taxes: { code: string; amount: number }[];
  total: number;
  refunds: TenderRefund[];
  cashRounding: number;
}

export type ReturnErrorCode = 'unknown_line' | 'over_return' | 'invalid_quantity' | 'return_window_closed';

export class ReturnError extends Error {
  override readonly name = 'ReturnError';
  constructor(
    readonly code: ReturnErrorCode,
    message: string,
    readonly details: Record<string, number | string> = {},
  ) {
    super(message);
  }
}

/**
 * Computes the refund for returning some units of an earlier sale. Each line gives back its share of what was
 * actually paid for it (discounts prorated, every tax rate separately) using cumulative shares, so returning every
 * unit in any order and grouping gives back the sale exactly. The refund goes to the original tenders in policy
 * order, never more to a tender than it paid.
 */
export function computeReturn(
  sale: { priced: PricedSale; settlement: Settlement; occurredAt: string },
  prior: PriorReturns,
  request: readonly ReturnRequestLine[],
  policy: ReturnPolicy,
  now: string,
): ReturnComputation {
  if (policy.windowDays !== null) {
    const ageDays = (Date.parse(now) - Date.parse(sale.occurredAt)) / 86_400_000;
    if (ageDays > policy.windowDays) {
      throw new ReturnError(
        'return_window_closed',
        `returns are accepted for ${policy.windowDays} days after the sale`,
        {
          windowDays: policy.windowDays,
        },
      );
    }
  }
  const lines: ReturnedLine[] = request.map((wanted) => {
    const line = sale.priced.lines.find((candidate) => candidate.lineId === wanted.lineId);
    if (!line) throw new ReturnError('unknown_line', `line ${wanted.lineId} is not on the original sale`);
    if (!Number.isSafeInteger(wanted.quantity) || wanted.quantity <= 0) {
      throw new ReturnError(
        'invalid_quantity',
        `line ${wanted.lineId}: quantity must be a positive whole number`,
      );
    }
    const before = prior.quantities[wanted.lineId] ?? 0;
    if (before + wanted.quantity > line.quantity) {
      throw new ReturnError(
        'over_return',
        `line ${wanted.lineId}: only ${line.quantity - before} left to return`,
        {
          sold: line.quantity,
          alreadyReturned: before,
          requested: wanted.quantity,
        },
      );
    }
    const share = (amount: number) =>
      cumulativeShare(amount, before + wanted.quantity, line.quantity) -
      cumulativeShare(amount, before, line.quantity);
    const net = share(line.net);
    const taxes = line.taxes.map((tax) => ({ code: tax.code, amount: share(tax.amount) }));
    return {
      lineId: line.lineId,
      quantity: wanted.quantity,
      net,
      taxes,
      total: net + taxes.reduce((s, t) => s + t.amount, 0),
    };
  });
  const total = lines.reduce((sum, line) => sum + line.total, 0);
  const taxes = new Map<string, number>();
  for (const line of lines)
    for (const tax of line.taxes) taxes.set(tax.code, (taxes.get(tax.code) ?? 0) + tax.amount);
  const { refunds, cashRounding } = refundToTenders(sale.settlement, prior, total, policy);
  return {
    lines,
    taxes: [...taxes].map(([code, amount]) => ({ code, amount })),
    total,
    refunds,
    cashRounding,
  };
}

/** Splits an exact refund over the original tenders, capped per tender, cash rounded cumulatively. */
export function refundToTenders(
  settlement: Settlement,
  prior: PriorReturns,
  amount: number,
  policy: ReturnPolicy,
): { refunds: TenderRefund[]; cashRounding: number } {
  const exactPaid = settlement.tenders.map((tender) => tender.amount);
  // The cash tender that settled the sale carries the sale's cash rounding; its exact part excludes it.
  const settlingCash = settlement.tenders.findLastIndex((tender) => tender.kind === 'cash');
  if (settlingCash >= 0) exactPaid[settlingCash]! -= settlement.cashRounding;
  const order = settlement.tenders
    .map((tender, index) => ({ tender, index }))
    .sort(
      (a, b) =>
        rank(policy.refundOrder, a.tender.kind) - rank(policy.refundOrder, b.tender.kind) ||
        b.index - a.index,
    );
  let left = amount;
  const refunds: TenderRefund[] = [];
  let cashExactBefore = prior.tenderRefunds.reduce(
    (sum, refunded, index) => (settlement.tenders[index]?.kind === 'cash' ? sum + refunded : sum),
    0,
  );
  let cashPaidOut = prior.cashPaidOut;
  let cashRounding = 0;
  for (const { tender, index } of order) {
    if (left === 0) break;
    const room = exactPaid[index]! - (prior.tenderRefunds[index] ?? 0);
    const take = Math.min(room, left);
    if (take <= 0) continue;
    left -= take;
    let paidOut = take;
    if (tender.kind === 'cash') {
      const target = roundCash(cashExactBefore + take, policy.cashRounding);
      paidOut = target - cashPaidOut;
      cashRounding += paidOut - take;
      cashExactBefore += take;
      cashPaidOut = target;
    }
    refunds.push({ tenderIndex: index, kind: tender.kind, ref: tender.ref, amount: take, paidOut });
  }
  if (left > 0) {
    throw new ReturnError('over_return', `the refund exceeds what the original tenders paid by ${left}`, {
      left,
    });
  }
  return { refunds, cashRounding };
}

function rank(order: readonly TenderKind[], kind: TenderKind): number {
  const position = order.indexOf(kind);
  return position === -1 ? order.length : position;
}

/** A return and a new sale settled together: what the customer still pays, or what they get back. */
export function settleExchange(
  returned: { total: number },
  newSaleTotal: number,
): { customerPays: number; refundDue: number } {
  const difference = newSaleTotal - returned.total;
  return { customerPays: Math.max(difference, 0), refundDue: Math.max(-difference, 0) };
}

/**
 * A return without a receipt: refunded only as store credit, at today's price and tax, since nothing proves what
 * was paid.
 */
export function noReceiptCredit(
  lines: readonly { lineId: string; quantity: number; unitPrice: number; taxCategory: string }[],
  jurisdiction: TaxJurisdiction,
): { kind: 'store-credit'; total: number; taxes: TaxBreakdown[] } {
  const tax = computeTax(
    lines.map((line) => ({
      lineId: line.lineId,
      amount: line.unitPrice * line.quantity,
      taxCategory: line.taxCategory,
    })),
    jurisdiction,
  );
  return { kind: 'store-credit', total: tax.totalGross, taxes: tax.breakdown };
}

/**
 * What earlier returns took, with one more return folded in: the running record `computeReturn` reads. The ledger
 * builds the same record from its journal (`priorReturns`).
 */
export function recordReturn(
  tenderCount: number,
  prior: PriorReturns,
  request: readonly ReturnRequestLine[],
  result: ReturnComputation,
): PriorReturns {
  const quantities = { ...prior.quantities };
  for (const wanted of request)
    quantities[wanted.lineId] = (quantities[wanted.lineId] ?? 0) + wanted.quantity;
  const tenderRefunds = Array.from({ length: tenderCount }, (_, i) => prior.tenderRefunds[i] ?? 0);
  let cashPaidOut = prior.cashPaidOut;
  for (const refund of result.refunds) {
    tenderRefunds[refund.tenderIndex] = (tenderRefunds[refund.tenderIndex] ?? 0) + refund.amount;
    if (refund.kind === 'cash') cashPaidOut += refund.paidOut;
  }
  return { quantities, tenderRefunds, cashPaidOut };
}
