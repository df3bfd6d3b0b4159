import { describe, expect, it } from 'vitest';
import { cashRoundingFor } from './cash-rounding.js';
import { BRITISH_COLUMBIA, SWITZERLAND } from './jurisdictions.js';
import { priceSale } from './pricing.js';
import type { PricedSale, SaleInput, SaleLineInput } from './pricing-types.js';
import {
  computeReturn,
  DEFAULT_RETURN_POLICY,
  NO_PRIOR_RETURNS,
  noReceiptCredit,
  type PriorReturns,
  ReturnError,
  type ReturnPolicy,
  type ReturnRequestLine,
  recordReturn,
  refundToTenders,
  settleExchange,
} from './returns.js';
import { type Settlement, settleTenders, type TenderInput } from './tenders.js';

const SOLD_AT = '2025-11-25T14:30:00Z';
const LATER = '2025-11-28T10:00:00Z';

function line(
  lineId: string,
  unitPrice: number,
  quantity: number,
  taxCategory: string,
  tags: string[] = [],
): SaleLineInput {
  return {
    lineId,
    productId: lineId,
    sku: lineId,
    barcode: null,
    name: lineId,
    quantity,
    unitPrice,
    taxCategory,
    tags,
  };
}

function input(lines: SaleLineInput[], extra: Partial<SaleInput> = {}): SaleInput {
  return {
    currency: 'CAD',
    lines,
    promotions: [
      {
        id: 'HOODIE10',
        name: '10 % off hoodies',
        priority: 0,
        kind: 'item-percent',
        target: { tags: ['hoodie'] },
        rate: 100_000,
      },
    ],
    context: { at: SOLD_AT, timeZone: 'America/Los_Angeles', storeId: 'store-1', channel: 'pos' },
    jurisdiction: BRITISH_COLUMBIA,
    limits: {
      maxLineDiscountRate: 1_000_000,
      maxBasketDiscountRate: 1_000_000,
      maxPriceDecreaseRate: 1_000_000,
    },
    versions: { catalog: 1, priceList: 1, promotions: 1, taxRules: 1 },
    ...extra,
  };
}

/** Prices and pays a sale, as the terminal would have, giving what a return starts from. */
function ring(
  lines: SaleLineInput[],
  tenders: TenderInput[],
  extra: Partial<SaleInput> = {},
): { priced: PricedSale; settlement: Settlement; occurredAt: string } {
  const priced = priceSale(input(lines, extra));
  const settlement = settleTenders(priced.total, tenders, { cashRounding: cashRoundingFor(priced.currency) });
  return { priced, settlement, occurredAt: SOLD_AT };
}

function refusal(fn: () => unknown): ReturnError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ReturnError) return error;
    throw error;
  }
  throw new Error('expected a ReturnError');
}

/**
 * The sale most tests return from (British Columbia, CAD):
 * hoodie 3 × 40.00 with 10 % off = 108.00; GST 5.40, PST 7.56 → 120.96
 * mitts (children's clothing) 2 × 15.00 = 30.00; GST 1.50 → 31.50
 * total 152.46, paid: gift card 50.00, card 80.00, cash 22.46 → 22.45 (no pennies) from 25.00, change 2.55
 */
const CAD_POLICY: ReturnPolicy = { ...DEFAULT_RETURN_POLICY, cashRounding: cashRoundingFor('CAD') };
function hoodieSale() {
  return ring(
    [line('hoodie', 4000, 3, 'standard', ['hoodie']), line('mitts', 1500, 2, 'childrens_clothing')],
    [
      { kind: 'gift-card', amount: 5000, cardToken: 'gc_1' },
      { kind: 'card', amount: 8000, token: 'tok_card_1', authorizationCode: 'OK' },
      { kind: 'cash', tendered: 2500 },
    ],
  );
}

describe('the sale returned from', () => {
  it('is what the comment above says', () => {
    const sale = hoodieSale();
    expect(sale.priced.total).toBe(15_246);
    expect(sale.settlement).toMatchObject({ cashRounding: -1, paid: 15_245, change: 255 });
  });
});

describe('partial returns', () => {
  it('refund the share of what was actually paid: discount prorated, each tax rate separately', () => {
    const result = computeReturn(
      hoodieSale(),
      NO_PRIOR_RETURNS,
      [{ lineId: 'hoodie', quantity: 1 }],
      CAD_POLICY,
      LATER,
    );
    // one hoodie of three: net 108.00 / 3 = 36.00 (not the 40.00 shelf price), GST 1.80, PST 2.52
    expect(result.lines).toEqual([
      {
        lineId: 'hoodie',
        quantity: 1,
        net: 3600,
        taxes: [
          { code: 'GST', amount: 180 },
          { code: 'PST', amount: 252 },
        ],
        total: 4032,
      },
    ]);
    expect(result.taxes).toEqual([
      { code: 'GST', amount: 180 },
      { code: 'PST', amount: 252 },
    ]);
    expect(result.total).toBe(4032);
  });

  it('split an odd cent so that the parts add back to the line exactly', () => {
    // 3 × 4.00 with a 2.00 coupon: a 10.00 line that three units cannot share evenly
    const sale = ring(
      [line('pens', 400, 3, 'basic_groceries')],
      [{ kind: 'card', amount: 1000, token: 'tok_card_1', authorizationCode: 'OK' }],
      { basketDiscount: { kind: 'amount', amount: 200, reason: 'coupon' } },
    );
    expect(sale.priced.lines[0]!.total).toBe(1000);
    let prior = NO_PRIOR_RETURNS;
    const totals: number[] = [];
    for (let i = 0; i < 3; i++) {
      const request = [{ lineId: 'pens', quantity: 1 }];
      const result = computeReturn(sale, prior, request, DEFAULT_RETURN_POLICY, LATER);
      totals.push(result.total);
      prior = recordReturn(sale.settlement.tenders.length, prior, request, result);
    }
    // cumulative shares 3.33, 6.67, 10.00 → 3.33 + 3.34 + 3.33
    expect(totals).toEqual([333, 334, 333]);
  });
});

describe('refunds to the original tenders', () => {
  it('go in policy order (card, gift card, store credit, cash), each capped at what it paid', () => {
    const sale = hoodieSale();
    const first = [{ lineId: 'hoodie', quantity: 1 }];
    const r1 = computeReturn(sale, NO_PRIOR_RETURNS, first, CAD_POLICY, LATER);
    expect(r1.refunds).toEqual([
      { tenderIndex: 1, kind: 'card', ref: 'tok_card_1', amount: 4032, paidOut: 4032 },
    ]);

    const rest = [
      { lineId: 'hoodie', quantity: 2 },
      { lineId: 'mitts', quantity: 2 },
    ];
    const r2 = computeReturn(
      sale,
      recordReturn(sale.settlement.tenders.length, NO_PRIOR_RETURNS, first, r1),
      rest,
      CAD_POLICY,
      LATER,
    );
    // 80.64 + 31.50 = 112.14: the card's last 39.68, the gift card's 50.00, cash 22.46 exact → 22.45 handed back
    expect(r2.total).toBe(11_214);
    expect(r2.refunds).toEqual([
      { tenderIndex: 1, kind: 'card', ref: 'tok_card_1', amount: 3968, paidOut: 3968 },
      { tenderIndex: 0, kind: 'gift-card', ref: 'gc_1', amount: 5000, paidOut: 5000 },
      { tenderIndex: 2, kind: 'cash', ref: null, amount: 2246, paidOut: 2245 },
    ]);
    expect(r2.cashRounding).toBe(-1);
  });

  it('follow a store’s own order', () => {
    const policy: ReturnPolicy = { ...CAD_POLICY, refundOrder: ['cash', 'gift-card', 'card'] };
    const result = computeReturn(
      hoodieSale(),
      NO_PRIOR_RETURNS,
      [{ lineId: 'hoodie', quantity: 1 }],
      policy,
      LATER,
    );
    // 40.32: cash first up to its 22.46 (paid out 22.45), then 17.86 to the gift card
    expect(result.refunds.map((r) => [r.kind, r.amount, r.paidOut])).toEqual([
      ['cash', 2246, 2245],
      ['gift-card', 1786, 1786],
    ]);
  });

  it('round cash refunds cumulatively, so every return together pays out exactly the cash taken (CHF)', () => {
    // 3 × 1.01 (reduced 2.6 %, prices include tax) = 3.03, paid in cash as 3.05
    const sale = ring([line('bread', 101, 3, 'reduced')], [{ kind: 'cash', tendered: 500 }], {
      jurisdiction: SWITZERLAND,
      currency: 'CHF',
    });
    expect(sale.settlement).toMatchObject({ paid: 305, cashRounding: 2, change: 195 });
    const policy = { ...DEFAULT_RETURN_POLICY, cashRounding: cashRoundingFor('CHF') };
    let prior = NO_PRIOR_RETURNS;
    const paidOut: number[] = [];
    for (let i = 0; i < 3; i++) {
      const request = [{ lineId: 'bread', quantity: 1 }];
      const result = computeReturn(sale, prior, request, policy, LATER);
      expect(result.total).toBe(101);
      paidOut.push(result.refunds[0]!.paidOut);
      prior = recordReturn(sale.settlement.tenders.length, prior, request, result);
    }
    // exact 1.01, 2.02, 3.03 so far → rounded 1.00, 2.00, 3.05 → handed back 1.00, 1.00, 1.05
    expect(paidOut).toEqual([100, 100, 105]);
  });

  it('refuse a refund larger than the tenders paid', () => {
    const sale = hoodieSale();
    const error = refusal(() => refundToTenders(sale.settlement, NO_PRIOR_RETURNS, 15_247, CAD_POLICY));
    expect(error.code).toBe('over_return');
    expect(error.details).toEqual({ left: 1 });
  });
});

describe('what may be returned', () => {
  it('refuses more than was sold, counting earlier returns', () => {
    const sale = hoodieSale();
    expect(
      refusal(() =>
        computeReturn(sale, NO_PRIOR_RETURNS, [{ lineId: 'mitts', quantity: 3 }], CAD_POLICY, LATER),
      ).code,
    ).toBe('over_return');
    const prior: PriorReturns = { ...NO_PRIOR_RETURNS, quantities: { hoodie: 2 } };
    const error = refusal(() =>
      computeReturn(sale, prior, [{ lineId: 'hoodie', quantity: 2 }], CAD_POLICY, LATER),
    );
    expect(error.code).toBe('over_return');
    expect(error.details).toEqual({ sold: 3, alreadyReturned: 2, requested: 2 });
  });

  it('refuses a line not on the sale and a quantity that is not a positive whole number', () => {
    const sale = hoodieSale();
    const run = (request: ReturnRequestLine[]) => () =>
      computeReturn(sale, NO_PRIOR_RETURNS, request, CAD_POLICY, LATER);
    expect(refusal(run([{ lineId: 'socks', quantity: 1 }])).code).toBe('unknown_line');
    expect(refusal(run([{ lineId: 'hoodie', quantity: 0 }])).code).toBe('invalid_quantity');
    expect(refusal(run([{ lineId: 'hoodie', quantity: 1.5 }])).code).toBe('invalid_quantity');
  });

  it('accepts returns within the window and refuses them after', () => {
    const sale = hoodieSale();
    const request = [{ lineId: 'mitts', quantity: 1 }];
    // sold 25 Nov 14:30 UTC; 30 days is 25 Dec 14:30 UTC
    expect(computeReturn(sale, NO_PRIOR_RETURNS, request, CAD_POLICY, '2025-12-25T14:30:00Z').total).toBe(
      1575,
    );
    const error = refusal(() =>
      computeReturn(sale, NO_PRIOR_RETURNS, request, CAD_POLICY, '2025-12-25T14:30:00.001Z'),
    );
    expect(error.code).toBe('return_window_closed');
    expect(error.details).toEqual({ windowDays: 30 });
    const anyTime = { ...CAD_POLICY, windowDays: null };
    expect(computeReturn(sale, NO_PRIOR_RETURNS, request, anyTime, '2027-01-01T00:00:00Z').total).toBe(1575);
  });
});

describe('returns without a receipt', () => {
  it('are refunded as store credit at today’s price and tax', () => {
    const credit = noReceiptCredit(
      [
        { lineId: 'r1', quantity: 1, unitPrice: 4000, taxCategory: 'standard' },
        { lineId: 'r2', quantity: 2, unitPrice: 1500, taxCategory: 'childrens_clothing' },
      ],
      BRITISH_COLUMBIA,
    );
    // 40.00 + GST 2.00 + PST 2.80; 30.00 + GST 1.50 → 76.30
    expect(credit).toEqual({
      kind: 'store-credit',
      total: 7630,
      taxes: [
        { code: 'GST', name: 'GST 5 %', rate: 50_000, taxable: 7000, tax: 350 },
        { code: 'PST', name: 'PST 7 %', rate: 70_000, taxable: 4000, tax: 280 },
      ],
    });
  });
});

describe('exchanges', () => {
  it('settle a return against a new sale: the customer pays the difference or gets it back', () => {
    expect(settleExchange({ total: 4032 }, 5000)).toEqual({ customerPays: 968, refundDue: 0 });
    expect(settleExchange({ total: 4032 }, 3000)).toEqual({ customerPays: 0, refundDue: 1032 });
    expect(settleExchange({ total: 4032 }, 4032)).toEqual({ customerPays: 0, refundDue: 0 });
  });

  it('swap a hoodie for a dearer one: the customer pays only the difference', () => {
    const returned = computeReturn(
      hoodieSale(),
      NO_PRIOR_RETURNS,
      [{ lineId: 'hoodie', quantity: 1 }],
      CAD_POLICY,
      LATER,
    );
    const replacement = priceSale(input([line('zip-hoodie', 4500, 1, 'standard')]));
    // replacement 45.00 + GST 2.25 + PST 3.15 = 50.40; returned 36.00 + 1.80 + 2.52 = 40.32; difference 10.08
    expect(replacement.total).toBe(5040);
    const exchange = settleExchange(returned, replacement.total);
    expect(exchange).toEqual({ customerPays: 1008, refundDue: 0 });
    // the difference in cash, rounded to the nickel: 10.10 from a 20.00 note
    const settlement = settleTenders(exchange.customerPays, [{ kind: 'cash', tendered: 2000 }], {
      cashRounding: cashRoundingFor('CAD'),
    });
    expect(settlement).toMatchObject({ paid: 1010, change: 990 });
  });
});
