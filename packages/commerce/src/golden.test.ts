import { describe, expect, it } from 'vitest';
import { cashRoundingFor } from './cash-rounding.js';
import { BRITISH_COLUMBIA, GERMANY, NEW_YORK_CITY, SWITZERLAND } from './jurisdictions.js';
import { assertApproved, priceSale } from './pricing.js';
import type { PricedSale, SaleInput, SaleLineInput } from './pricing-types.js';
import type { Promotion } from './promotion-types.js';
import { computeReturn, DEFAULT_RETURN_POLICY, NO_PRIOR_RETURNS } from './returns.js';
import { settleTenders, type TenderInput } from './tenders.js';

/**
 * Worked examples from four real regimes, from basket to change. Every figure below was computed by hand; the
 * arithmetic is in the comment above each assertion. Amounts are minor units (cents, Rappen).
 */

const AT = '2025-11-25T15:30:00Z';
const VERSIONS = { catalog: 101, priceList: 17, promotions: 9, taxRules: 4 };
const LIMITS = {
  maxLineDiscountRate: 100_000,
  maxBasketDiscountRate: 100_000,
  maxPriceDecreaseRate: 100_000,
};

function item(
  lineId: string,
  name: string,
  unitPrice: number,
  quantity: number,
  taxCategory: string,
  tags: string[] = [],
  extra: Partial<SaleLineInput> = {},
): SaleLineInput {
  return {
    lineId,
    productId: lineId,
    sku: lineId.toUpperCase(),
    barcode: null,
    name,
    quantity,
    unitPrice,
    taxCategory,
    tags,
    ...extra,
  };
}

function input(
  partial: Pick<SaleInput, 'currency' | 'lines' | 'jurisdiction'> & Partial<SaleInput>,
): SaleInput {
  return {
    promotions: [],
    context: { at: AT, timeZone: 'UTC', storeId: 'store-1', channel: 'pos' },
    limits: LIMITS,
    versions: VERSIONS,
    ...partial,
  };
}

const card = (amount: number): TenderInput => ({
  kind: 'card',
  amount,
  token: 'tok_golden_0001',
  authorizationCode: 'A1',
});
const cash = (tendered: number): TenderInput => ({ kind: 'cash', tendered });

/** The parts of a priced line a receipt shows. */
const receiptLines = (priced: PricedSale) =>
  priced.lines.map(({ lineId, extended, adjustments, amount, net, taxes, total }) => ({
    lineId,
    extended,
    discounts: adjustments.map((a) => [a.ref, a.amount]),
    amount,
    net,
    taxes: taxes.map((t) => [t.code, t.amount]),
    total,
  }));

describe('US sales tax, exclusive: New York City, 8.875 %, rounded once per invoice', () => {
  const promotions: Promotion[] = [
    {
      id: 'AUDIO20',
      name: '20 % off audio',
      priority: 1,
      kind: 'item-percent',
      target: { tags: ['audio'] },
      rate: 200_000,
    },
    {
      id: 'CASES-B2G1',
      name: 'Cases: buy 2 get 1 free',
      priority: 1,
      kind: 'buy-x-get-y',
      buy: { target: { tags: ['cases'] }, quantity: 2 },
      get: { target: { tags: ['cases'] }, quantity: 1, rate: 1_000_000 },
    },
  ];
  const priced = priceSale(
    input({
      currency: 'USD',
      jurisdiction: NEW_YORK_CITY,
      promotions,
      lines: [
        item('tshirt', 'T-shirt', 1999, 2, 'clothing_under_110', ['apparel']),
        item('headphones', 'Headphones', 5999, 1, 'standard', ['audio']),
        item('case', 'Phone case', 1250, 3, 'standard', ['cases']),
      ],
      basketDiscount: { kind: 'amount', amount: 500, reason: 'COUPON5' },
    }),
  );

  it('discounts: 20 % off the headphones, the third case free, a 5.00 coupon spread by amount', () => {
    // t-shirts 2 × 19.99 = 39.98; headphones 59.99 × 20 % = 11.998 → 12.00, leaving 47.99;
    // cases 3 × 12.50 = 37.50, one free → 25.00. Before the coupon: 39.98 + 47.99 + 25.00 = 112.97.
    // Coupon 5.00 over 3998 : 4799 : 2500 (of 11297): 176.95, 212.40, 110.65 → floors 176 + 212 + 110 = 498;
    // the two cents left go to the largest fractions (t-shirts .95, cases .65) → 1.77, 2.12, 1.11.
    // Line amounts: 39.98 − 1.77 = 38.21; 47.99 − 2.12 = 45.87; 25.00 − 1.11 = 23.89.
    expect(
      receiptLines(priced).map(({ lineId, extended, discounts, amount }) => ({
        lineId,
        extended,
        discounts,
        amount,
      })),
    ).toEqual([
      { lineId: 'tshirt', extended: 3998, discounts: [['COUPON5', 177]], amount: 3821 },
      {
        lineId: 'headphones',
        extended: 5999,
        discounts: [
          ['AUDIO20', 1200],
          ['COUPON5', 212],
        ],
        amount: 4587,
      },
      {
        lineId: 'case',
        extended: 3750,
        discounts: [
          ['CASES-B2G1', 1250],
          ['COUPON5', 111],
        ],
        amount: 2389,
      },
    ]);
    expect(priced.promotions).toEqual([
      { promotionId: 'AUDIO20', name: '20 % off audio', amount: 1200 },
      { promotionId: 'CASES-B2G1', name: 'Cases: buy 2 get 1 free', amount: 1250 },
    ]);
    // 5.00 of 112.97 = 4.43 % ≤ the 10 % basket limit: no manager needed
    expect(priced.approvals).toEqual([]);
  });

  it('tax: clothing under $110 is exempt; 8.875 % on the rest, rounded once and shared back to the lines', () => {
    // taxable 45.87 + 23.89 = 69.76; × 8.875 % = 6.1912 → 6.19.
    // Shares: 45.87 × 8.875 % = 4.0709625 and 23.89 × 8.875 % = 2.1202375; floors 4.07 + 2.11 = 6.18;
    // the last cent goes to the larger fraction (cases .98 against .02) → 4.07 and 2.12.
    expect(priced.taxes).toEqual([
      { code: 'NYC', name: 'NY State + City sales tax', rate: 88_750, taxable: 6976, tax: 619 },
    ]);
    expect(receiptLines(priced).map((l) => [l.lineId, l.taxes, l.total])).toEqual([
      ['tshirt', [], 3821],
      ['headphones', [['NYC', 407]], 4994],
      ['case', [['NYC', 212]], 2601],
    ]);
    // subtotal 39.98 + 59.99 + 37.50 = 137.47; discounts 12.00 + 12.50 + 5.00 = 29.50; 107.97 + 6.19 = 114.16
    expect(priced).toMatchObject({ subtotal: 13_747, discountTotal: 2950, taxTotal: 619, total: 11_416 });
  });

  it('tenders: 50.00 on a card, the rest from a 70.00 cash payment: change 5.84', () => {
    // 114.16 − 50.00 = 64.16 due in cash; 70.00 − 64.16 = 5.84; USD cash is not rounded
    const settlement = settleTenders(priced.total, [card(5000), cash(7000)], {
      cashRounding: cashRoundingFor('USD'),
    });
    expect(settlement).toEqual({
      tenders: [
        { kind: 'card', ref: 'tok_golden_0001', amount: 5000, tendered: 5000, change: 0 },
        { kind: 'cash', ref: null, amount: 6416, tendered: 7000, change: 584 },
      ],
      cashRounding: 0,
      paid: 11_416,
      change: 584,
      opensDrawer: true,
    });
  });

  it('records the versions it was priced with', () => {
    expect(priced).toMatchObject({
      currency: 'USD',
      jurisdiction: 'US-NY-NYC',
      pricesIncludeTax: false,
      versions: VERSIONS,
    });
  });
});

describe('EU VAT, inclusive, two rates: Germany 19 % and 7 %, rounded per line', () => {
  const promotions: Promotion[] = [
    {
      id: 'KAFFEE1',
      name: 'Kaffee 1 € günstiger',
      priority: 1,
      kind: 'item-amount',
      target: { tags: ['coffee'] },
      amount: 100,
    },
    {
      id: 'MILCH3',
      name: '3 Milch für 2,50 €',
      priority: 1,
      kind: 'mix-and-match',
      target: { tags: ['milk'] },
      quantity: 3,
      bundlePrice: 250,
    },
  ];
  const priced = priceSale(
    input({
      currency: 'EUR',
      jurisdiction: GERMANY,
      promotions,
      lines: [
        item('kaffee', 'Kaffee 500 g', 899, 2, 'reduced', ['coffee']),
        item('milch', 'Vollmilch 1 l', 99, 3, 'reduced', ['milk']),
        item('tasse', 'Tasse', 1200, 1, 'standard', [], {
          manualDiscount: { kind: 'percent', rate: 100_000, reason: 'Mitarbeiterrabatt' },
        }),
        item('buch', 'Kochbuch', 2000, 1, 'reduced'),
      ],
    }),
  );

  it('discounts: 1 € off each coffee, three milks for 2.50, 10 % staff discount on the mug', () => {
    // Kaffee 2 × 8.99 = 17.98 − 2 × 1.00 = 15.98; Milch 3 × 0.99 = 2.97 → 2.50 (0.47 off: 0.16 + 0.16 + 0.15);
    // Tasse 12.00 − 10 % = 10.80; Buch 20.00
    expect(
      receiptLines(priced).map(({ lineId, discounts, amount }) => ({ lineId, discounts, amount })),
    ).toEqual([
      { lineId: 'kaffee', discounts: [['KAFFEE1', 200]], amount: 1598 },
      { lineId: 'milch', discounts: [['MILCH3', 47]], amount: 250 },
      { lineId: 'tasse', discounts: [['Mitarbeiterrabatt', 120]], amount: 1080 },
      { lineId: 'buch', discounts: [], amount: 2000 },
    ]);
  });

  it('tax: each rate extracted from the shelf price, line by line', () => {
    // inclusive: tax = gross × rate / (1 + rate)
    // Kaffee 15.98 × 7/107 = 1.0454 → 1.05, net 14.93
    // Milch   2.50 × 7/107 = 0.1636 → 0.16, net  2.34
    // Tasse  10.80 × 19/119 = 1.7244 → 1.72, net 9.08
    // Buch   20.00 × 7/107 = 1.3084 → 1.31, net 18.69
    // 19 %: net 9.08, tax 1.72; 7 %: net 14.93 + 2.34 + 18.69 = 35.96, tax 1.05 + 0.16 + 1.31 = 2.52
    expect(receiptLines(priced).map((l) => [l.lineId, l.net, l.taxes, l.total])).toEqual([
      ['kaffee', 1493, [['VAT7', 105]], 1598],
      ['milch', 234, [['VAT7', 16]], 250],
      ['tasse', 908, [['VAT19', 172]], 1080],
      ['buch', 1869, [['VAT7', 131]], 2000],
    ]);
    expect(priced.taxes).toEqual([
      { code: 'VAT19', name: 'MwSt 19 %', rate: 190_000, taxable: 908, tax: 172 },
      { code: 'VAT7', name: 'MwSt 7 %', rate: 70_000, taxable: 3596, tax: 252 },
    ]);
    // shelf 17.98 + 2.97 + 12.00 + 20.00 = 52.95; discounts 2.00 + 0.47 + 1.20 = 3.67; total 49.28 (tax included)
    expect(priced).toMatchObject({
      subtotal: 5295,
      discountTotal: 367,
      taxTotal: 424,
      total: 4928,
      pricesIncludeTax: true,
    });
  });

  it('tenders: a 20 € gift card and the rest by girocard, no drawer, no change', () => {
    // 49.28 − 20.00 = 29.28 on the card
    const settlement = settleTenders(priced.total, [
      { kind: 'gift-card', amount: 2000, cardToken: 'gc_de_0042' },
      card(2928),
    ]);
    expect(settlement).toMatchObject({ paid: 4928, change: 0, cashRounding: 0, opensDrawer: false });
  });
});

describe('Canada, GST plus PST: British Columbia 5 % + 7 %, exclusive, rounded per line', () => {
  const promotions: Promotion[] = [
    {
      id: 'AUDIO15',
      name: '15 % off audio',
      priority: 2,
      stackable: true,
      kind: 'item-percent',
      target: { tags: ['audio'] },
      rate: 150_000,
    },
    {
      id: 'SPEND100',
      name: '$10 off $100',
      priority: 1,
      stackable: true,
      kind: 'basket-threshold',
      minimum: 10_000,
      discount: { kind: 'amount', amount: 1000 },
    },
  ];
  const priced = priceSale(
    input({
      currency: 'CAD',
      jurisdiction: BRITISH_COLUMBIA,
      promotions,
      context: { at: AT, timeZone: 'America/Los_Angeles', storeId: 'store-1', channel: 'pos' },
      lines: [
        item('headphones', 'Headphones', 7999, 1, 'standard', ['audio']),
        item('jacket', 'Kids jacket', 4599, 1, 'childrens_clothing'),
        item('bread', 'Bread', 349, 2, 'basic_groceries'),
      ],
    }),
  );

  it('discounts: 15 % off audio, then $10 off a basket of $100 or more, spread by amount', () => {
    // headphones 79.99 × 15 % = 11.9985 → 12.00, leaving 67.99
    // basket (stackable, so the discounted headphones count): 67.99 + 45.99 + 3.49 + 3.49 = 120.96 ≥ 100.00
    // 10.00 over 6799 : 4599 : 349 : 349 (of 12096): 562.09, 380.21, 28.85, 28.85 → floors 998;
    // the two cents left go to the bread units (.85 each) → 5.62, 3.80, 0.29 + 0.29
    expect(
      receiptLines(priced).map(({ lineId, discounts, amount }) => ({ lineId, discounts, amount })),
    ).toEqual([
      {
        lineId: 'headphones',
        discounts: [
          ['AUDIO15', 1200],
          ['SPEND100', 562],
        ],
        amount: 6237,
      },
      { lineId: 'jacket', discounts: [['SPEND100', 380]], amount: 4219 },
      { lineId: 'bread', discounts: [['SPEND100', 58]], amount: 640 },
    ]);
  });

  it('tax: GST and PST on the headphones, GST only on children’s clothing, none on groceries', () => {
    // headphones 62.37: GST × 5 % = 3.1185 → 3.12; PST × 7 % = 4.3659 → 4.37
    // jacket 42.19: GST × 5 % = 2.1095 → 2.11; bread: zero-rated
    expect(receiptLines(priced).map((l) => [l.lineId, l.taxes, l.total])).toEqual([
      [
        'headphones',
        [
          ['GST', 312],
          ['PST', 437],
        ],
        6986,
      ],
      ['jacket', [['GST', 211]], 4430],
      ['bread', [], 640],
    ]);
    // GST on 62.37 + 42.19 = 104.56 is 3.12 + 2.11 = 5.23; PST on 62.37 is 4.37
    expect(priced.taxes).toEqual([
      { code: 'GST', name: 'GST 5 %', rate: 50_000, taxable: 10_456, tax: 523 },
      { code: 'PST', name: 'PST 7 %', rate: 70_000, taxable: 6237, tax: 437 },
    ]);
    // 62.37 + 42.19 + 6.40 = 110.96; + 5.23 + 4.37 = 120.56
    expect(priced).toMatchObject({ subtotal: 13_296, discountTotal: 2200, taxTotal: 960, total: 12_056 });
  });

  it('tenders: cash is rounded to the nickel (no pennies), a card pays the exact total', () => {
    // 120.56 → 120.55 in cash (…6 rounds to …5); 130.00 − 120.55 = 9.45 change
    const byCash = settleTenders(priced.total, [cash(13_000)], { cashRounding: cashRoundingFor('CAD') });
    expect(byCash).toMatchObject({ paid: 12_055, cashRounding: -1, change: 945 });
    const byCard = settleTenders(priced.total, [card(12_056)], { cashRounding: cashRoundingFor('CAD') });
    expect(byCard).toMatchObject({ paid: 12_056, cashRounding: 0, change: 0 });
  });
});

describe('Swiss cash rounding: Switzerland 8.1 % + 2.6 %, inclusive, rounded per invoice, CHF cash to 0.05', () => {
  const promotions: Promotion[] = [
    {
      id: 'SCHOKI-3FOR2',
      name: 'Schokolade 3 für 2',
      priority: 5,
      kind: 'buy-x-get-y',
      buy: { target: { tags: ['chocolate'] }, quantity: 2 },
      get: { target: { tags: ['chocolate'] }, quantity: 1, rate: 1_000_000 },
    },
    {
      id: 'AB30',
      name: '15 % ab CHF 30',
      priority: 1,
      kind: 'basket-threshold',
      minimum: 3000,
      discount: { kind: 'percent', rate: 150_000 },
    },
  ];
  const priced = priceSale(
    input({
      currency: 'CHF',
      jurisdiction: SWITZERLAND,
      promotions,
      context: { at: AT, timeZone: 'Europe/Berlin', storeId: 'store-1', channel: 'pos' },
      lines: [
        item('milch-schoki', 'Milchschokolade', 295, 2, 'reduced', ['chocolate']),
        item('zartbitter', 'Zartbitter', 340, 1, 'reduced', ['chocolate']),
        item('wein', 'Wein', 1490, 1, 'standard'),
        item('schirm', 'Regenschirm', 2490, 1, 'standard', [], {
          priceOverride: { unitPrice: 1990, reason: 'Ausstellungsstück', approval: { approvedBy: 'mgr-7' } },
        }),
      ],
    }),
  );

  it('discounts: the cheapest chocolate free, the umbrella marked down with approval, 15 % off from CHF 30', () => {
    // chocolate units 3.40, 2.95, 2.95: the dearest two are bought, the last 2.95 is free
    // umbrella 24.90 → 19.90 = 20.08 % down (rounded up: 200 804 millionths) > 10 % limit → mgr-7 approved
    // basket threshold (not stackable) sees only units no promotion touched: wine 14.90 + umbrella 19.90 = 34.80
    // ≥ 30.00; 15 % = 5.22 split 14.90 : 19.90 → 2.235 and 2.985 → floors 2.23 + 2.98, the tied last Rappen to the
    // earlier unit → 2.24 and 2.98
    expect(
      receiptLines(priced).map(({ lineId, discounts, amount }) => ({ lineId, discounts, amount })),
    ).toEqual([
      { lineId: 'milch-schoki', discounts: [['SCHOKI-3FOR2', 295]], amount: 295 },
      { lineId: 'zartbitter', discounts: [], amount: 340 },
      { lineId: 'wein', discounts: [['AB30', 224]], amount: 1266 },
      { lineId: 'schirm', discounts: [['AB30', 298]], amount: 1692 },
    ]);
    expect(priced.approvals).toEqual([
      { kind: 'price-override', lineId: 'schirm', rate: 200_804, limit: 100_000, approvedBy: 'mgr-7' },
    ]);
    expect(() => assertApproved(priced)).not.toThrow();
  });

  it('tax: each rate rounded once over the invoice, then shared back to the lines', () => {
    // 8.1 %: (12.66 + 16.92) × 8.1/108.1 = 29.58 × 0.074931 = 2.2164 → 2.22
    //   shares 12.66 × 8.1/108.1 = 0.94862 and 16.92 × 8.1/108.1 = 1.26783 → floors 0.95 + 1.26 = 2.21;
    //   the last Rappen to the larger fraction (umbrella) → 0.95 and 1.27
    // 2.6 %: (2.95 + 3.40) × 2.6/102.6 = 6.35 × 0.025341 = 0.1609 → 0.16
    //   shares 0.074756 and 0.086160 → floors 0.07 + 0.08 = 0.15; last Rappen to Zartbitter → 0.07 and 0.09
    expect(receiptLines(priced).map((l) => [l.lineId, l.net, l.taxes])).toEqual([
      ['milch-schoki', 288, [['MWST26', 7]]],
      ['zartbitter', 331, [['MWST26', 9]]],
      ['wein', 1171, [['MWST81', 95]]],
      ['schirm', 1565, [['MWST81', 127]]],
    ]);
    expect(priced.taxes).toEqual([
      { code: 'MWST81', name: 'MWST 8.1 %', rate: 81_000, taxable: 2736, tax: 222 },
      { code: 'MWST26', name: 'MWST 2.6 %', rate: 26_000, taxable: 619, tax: 16 },
    ]);
    // 2.95 + 3.40 + 12.66 + 16.92 = 35.93, tax included
    expect(priced).toMatchObject({ total: 3593, taxTotal: 238 });
  });

  it('tenders: cash pays 35.95 (…3 rounds up to …5), a card pays 35.93, a split rounds only the cash part', () => {
    const chf = { cashRounding: cashRoundingFor('CHF') };
    // 35.93 → 35.95; 50.00 − 35.95 = 14.05 change
    expect(settleTenders(priced.total, [cash(5000)], chf)).toMatchObject({
      paid: 3595,
      cashRounding: 2,
      change: 1405,
    });
    expect(settleTenders(priced.total, [card(3593)], chf)).toMatchObject({
      paid: 3593,
      cashRounding: 0,
      change: 0,
    });
    // card 20.00, then 15.93 in cash → 15.95; 20.00 − 15.95 = 4.05 change; the card still pays exactly 20.00
    const split = settleTenders(priced.total, [card(2000), cash(2000)], chf);
    expect(split.tenders.map((t) => [t.kind, t.amount, t.change])).toEqual([
      ['card', 2000, 0],
      ['cash', 1595, 405],
    ]);
    expect(split).toMatchObject({ paid: 3595, cashRounding: 2 });
  });

  it('returns: bringing everything back pays out exactly the 35.95 cash taken', () => {
    const settlement = settleTenders(priced.total, [cash(5000)], { cashRounding: cashRoundingFor('CHF') });
    const returned = computeReturn(
      { priced, settlement, occurredAt: AT },
      NO_PRIOR_RETURNS,
      priced.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
      { ...DEFAULT_RETURN_POLICY, cashRounding: cashRoundingFor('CHF') },
      '2025-11-30T10:00:00Z',
    );
    // exact refund 35.93, rounded back to 35.95 in cash; tax refunded per rate as charged
    expect(returned.total).toBe(3593);
    expect(returned.taxes).toEqual([
      { code: 'MWST26', amount: 16 },
      { code: 'MWST81', amount: 222 },
    ]);
    expect(returned.refunds).toEqual([
      { tenderIndex: 0, kind: 'cash', ref: null, amount: 3593, paidOut: 3595 },
    ]);
  });
});
