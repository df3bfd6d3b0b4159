import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CashRoundingRule, cashRoundingFor, roundCash } from './cash-rounding.js';
import { BRITISH_COLUMBIA, GERMANY, NEW_YORK_CITY, SWITZERLAND } from './jurisdictions.js';
import { priceSale } from './pricing.js';
import type { PricedSale, SaleInput, SaleLineInput } from './pricing-types.js';
import type { Promotion, PromotionTarget } from './promotion-types.js';
import {
  computeReturn,
  DEFAULT_RETURN_POLICY,
  NO_PRIOR_RETURNS,
  type ReturnPolicy,
  type ReturnRequestLine,
  recordReturn,
} from './returns.js';
import { type CustomerExemption, computeTax, type TaxJurisdiction, type TaxRate } from './tax.js';
import { type Settlement, settleTenders, type TenderInput, type TenderKind } from './tenders.js';

/** Fixed seed: every run explores the same cases, so a failure reproduces. */
const SEED = 20_251_125;
const RUNS = 300;
const SOLD_AT = '2025-11-25T14:30:00Z';
const RETURNED_AT = '2025-11-26T09:00:00Z';

// ---------------------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------------------

const PRODUCTS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
const TAGS = ['apparel', 'audio', 'food', 'sale'];

/** The four worked regimes, and made-up ones: inclusive or not, line or invoice rounding, any mode, 1–3 rates. */
const jurisdictionArb: fc.Arbitrary<TaxJurisdiction> = fc.oneof(
  fc.constantFrom(NEW_YORK_CITY, GERMANY, BRITISH_COLUMBIA, SWITZERLAND),
  fc
    .record({
      pricesIncludeTax: fc.boolean(),
      rounding: fc.constantFrom('line' as const, 'invoice' as const),
      roundingMode: fc.constantFrom(
        'half-up' as const,
        'half-even' as const,
        'half-down' as const,
        'up' as const,
        'down' as const,
      ),
      rates: fc.array(fc.integer({ min: 0, max: 300_000 }), { minLength: 1, maxLength: 3 }),
    })
    .map(({ rates, ...rest }) => {
      const taxRates: TaxRate[] = rates.map((rate, i) => ({ code: `R${i}`, name: `Rate ${i}`, rate }));
      return {
        id: 'GEN',
        version: 1,
        ...rest,
        rates: taxRates,
        categories: {
          all: taxRates.map((r) => r.code),
          first: [taxRates[0]!.code],
          last: [taxRates.at(-1)!.code],
          exempt: [],
        },
      };
    }),
);

const targetArb: fc.Arbitrary<PromotionTarget> = fc.oneof(
  fc.record({ productIds: fc.subarray(PRODUCTS, { minLength: 1 }) }),
  fc.record({ tags: fc.subarray(TAGS, { minLength: 1 }) }),
);

const rateArb = fc.integer({ min: 0, max: 1_000_000 });

const promotionBodyArb = fc.oneof(
  fc.record({ kind: fc.constant('item-percent' as const), target: targetArb, rate: rateArb }),
  fc.record({
    kind: fc.constant('item-amount' as const),
    target: targetArb,
    amount: fc.integer({ min: 0, max: 5000 }),
  }),
  fc.record({
    kind: fc.constant('buy-x-get-y' as const),
    buy: fc.record({ target: targetArb, quantity: fc.integer({ min: 1, max: 3 }) }),
    get: fc.record({ target: targetArb, quantity: fc.integer({ min: 1, max: 2 }), rate: rateArb }),
  }),
  fc.record({
    kind: fc.constant('mix-and-match' as const),
    target: targetArb,
    quantity: fc.integer({ min: 2, max: 4 }),
    bundlePrice: fc.integer({ min: 0, max: 30_000 }),
  }),
  fc.record({
    kind: fc.constant('basket-threshold' as const),
    minimum: fc.integer({ min: 0, max: 50_000 }),
    discount: fc.oneof(
      fc.record({ kind: fc.constant('percent' as const), rate: rateArb }),
      fc.record({ kind: fc.constant('amount' as const), amount: fc.integer({ min: 0, max: 10_000 }) }),
    ),
  }),
);

const promotionsArb: fc.Arbitrary<Promotion[]> = fc
  .array(
    fc.record({
      body: promotionBodyArb,
      priority: fc.integer({ min: 0, max: 3 }),
      exclusive: fc.oneof(
        { weight: 3, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      stackable: fc.boolean(),
      store: fc.constantFrom(undefined, 'store-1', 'store-2'),
    }),
    { maxLength: 7 },
  )
  .map((specs) =>
    specs.map(
      ({ body, priority, exclusive, stackable, store }, i) =>
        ({
          ...body,
          id: `P${i}`,
          name: `Promotion ${i}`,
          priority,
          exclusive,
          stackable,
          ...(store ? { conditions: { stores: [store] } } : {}),
        }) as Promotion,
    ),
  );

const lineSpecArb = fc.record({
  product: fc.nat({ max: PRODUCTS.length - 1 }),
  tags: fc.subarray(TAGS),
  quantity: fc.integer({ min: 1, max: 5 }),
  unitPrice: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.constantFrom(0, 1, 5, 99, 1999)),
  category: fc.nat(),
  override: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
  manualRate: fc.option(rateArb, { nil: undefined }),
});

const CURRENCIES = ['USD', 'EUR', 'CAD', 'CHF', 'SEK', 'DKK'];

interface Scenario {
  input: SaleInput;
  cashRounding: CashRoundingRule;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    jurisdiction: jurisdictionArb,
    currency: fc.constantFrom(...CURRENCIES),
    lines: fc.array(lineSpecArb, { minLength: 1, maxLength: 10 }),
    promotions: promotionsArb,
    basketRate: fc.option(rateArb, { nil: undefined }),
    exemption: fc.oneof(
      { weight: 3, arbitrary: fc.constant<'none'>('none') },
      { weight: 1, arbitrary: fc.constant<'all'>('all') },
      { weight: 1, arbitrary: fc.nat() },
    ),
  })
  .map(({ jurisdiction, currency, lines, promotions, basketRate, exemption }) => {
    const categories = Object.keys(jurisdiction.categories);
    const codes = jurisdiction.rates.map((rate) => rate.code);
    const customer: CustomerExemption =
      exemption === 'none'
        ? null
        : exemption === 'all'
          ? 'all'
          : { rateCodes: [codes[exemption % codes.length]!] };
    const saleLines: SaleLineInput[] = lines.map((spec, i) => ({
      lineId: `L${i}`,
      productId: PRODUCTS[spec.product]!,
      sku: `SKU-${i}`,
      barcode: null,
      name: `Line ${i}`,
      quantity: spec.quantity,
      unitPrice: spec.unitPrice,
      taxCategory: categories[spec.category % categories.length]!,
      tags: spec.tags,
      ...(spec.override === undefined
        ? {}
        : { priceOverride: { unitPrice: spec.override, reason: 'override' } }),
      ...(spec.manualRate === undefined
        ? {}
        : { manualDiscount: { kind: 'percent' as const, rate: spec.manualRate, reason: 'manual' } }),
    }));
    const input: SaleInput = {
      currency,
      lines: saleLines,
      promotions,
      context: { at: SOLD_AT, timeZone: 'Europe/Berlin', storeId: 'store-1', channel: 'pos' },
      jurisdiction,
      exemption: customer,
      limits: { maxLineDiscountRate: 100_000, maxBasketDiscountRate: 50_000, maxPriceDecreaseRate: 200_000 },
      versions: { catalog: 1, priceList: 2, promotions: 3, taxRules: 4 },
      ...(basketRate === undefined
        ? {}
        : { basketDiscount: { kind: 'percent' as const, rate: basketRate, reason: 'basket' } }),
    };
    return { input, cashRounding: cashRoundingFor(currency) };
  });

/** How a customer splits the bill: some parts by share of the balance, then a last tender for the rest. */
const tenderPlanArb = fc.record({
  parts: fc.array(
    fc.record({
      kind: fc.constantFrom<TenderKind>('cash', 'card', 'gift-card', 'store-credit'),
      permille: fc.integer({ min: 1, max: 999 }),
    }),
    { maxLength: 3 },
  ),
  last: fc.constantFrom<TenderKind>('cash', 'card', 'gift-card', 'store-credit'),
  extraCoins: fc.nat({ max: 40 }),
});
type TenderPlan = typeof tenderPlanArb extends fc.Arbitrary<infer T> ? T : never;

function nonCash(kind: Exclude<TenderKind, 'cash'>, amount: number, i: number): TenderInput {
  if (kind === 'card') return { kind, amount, token: `tok_test_${i}_abcdef`, authorizationCode: `AUTH${i}` };
  if (kind === 'gift-card') return { kind, amount, cardToken: `gc_${i}` };
  return { kind, amount, accountId: `acct_${i}` };
}

/** Real tenders for a plan: part-payments in cash are whole coins, the last tender pays (cash: at least) the rest. */
function buildTenders(total: number, plan: TenderPlan, rule: CashRoundingRule): TenderInput[] {
  if (total === 0) return [];
  const tenders: TenderInput[] = [];
  let balance = total;
  plan.parts.forEach((part, i) => {
    let amount = Math.floor((balance * part.permille) / 1000);
    if (part.kind === 'cash') amount -= amount % rule.increment;
    if (amount <= 0 || amount >= balance) return;
    if (part.kind === 'cash') {
      if (amount >= roundCash(balance, rule)) return;
      tenders.push({ kind: 'cash', tendered: amount });
    } else {
      tenders.push(nonCash(part.kind, amount, i));
    }
    balance -= amount;
  });
  if (plan.last === 'cash') {
    const tendered = roundCash(balance, rule) + plan.extraCoins * rule.increment;
    tenders.push({ kind: 'cash', tendered: tendered > 0 ? tendered : rule.increment });
  } else {
    tenders.push(nonCash(plan.last, balance, 9));
  }
  return tenders;
}

/** Orders every unit sold by the given keys and cuts the sequence into returns of the given sizes. */
function returnSequence(
  priced: PricedSale,
  keys: readonly number[],
  sizes: readonly number[],
): ReturnRequestLine[][] {
  const units = priced.lines.flatMap((line) => Array.from({ length: line.quantity }, () => line.lineId));
  const order = units
    .map((lineId, i) => ({ lineId, i, key: keys[i % keys.length]! }))
    .sort((a, b) => a.key - b.key || a.i - b.i);
  const requests: ReturnRequestLine[][] = [];
  for (let at = 0, k = 0; at < order.length; k++) {
    const size = sizes[k % sizes.length]!;
    const chunk = order.slice(at, at + size);
    at += size;
    const quantities = new Map<string, number>();
    for (const unit of chunk) quantities.set(unit.lineId, (quantities.get(unit.lineId) ?? 0) + 1);
    requests.push([...quantities].map(([lineId, quantity]) => ({ lineId, quantity })));
  }
  return requests;
}

const returnsArb = fc.record({
  keys: fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 60 }),
  sizes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 10 }),
  refundOrder: fc.shuffledSubarray<TenderKind>(['card', 'gift-card', 'store-credit', 'cash'], {
    minLength: 4,
    maxLength: 4,
  }),
});

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Prices and pays a generated scenario. */
function ring(scenario: Scenario, plan: TenderPlan) {
  const priced = priceSale(scenario.input);
  const settlement = settleTenders(priced.total, buildTenders(priced.total, plan, scenario.cashRounding), {
    cashRounding: scenario.cashRounding,
  });
  return { priced, settlement, occurredAt: SOLD_AT };
}

/** Exact amount each original tender paid toward the sale (the settling cash without its rounding). */
function exactPaid(settlement: Settlement): number[] {
  const paid = settlement.tenders.map((tender) => tender.amount);
  const settling = settlement.tenders.findLastIndex((tender) => tender.kind === 'cash');
  if (settling >= 0) paid[settling]! -= settlement.cashRounding;
  return paid;
}

const cashIn = (settlement: Settlement) =>
  sum(settlement.tenders.filter((tender) => tender.kind === 'cash').map((tender) => tender.amount));

// ---------------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------------

describe('(a) totals add up', () => {
  it('every line amount is its extended price less its adjustments, never below zero', () => {
    fc.assert(
      fc.property(scenarioArb, ({ input }) => {
        const priced = priceSale(input);
        for (const line of priced.lines) {
          expect(line.amount).toBe(line.extended - sum(line.adjustments.map((a) => a.amount)));
          expect(line.amount).toBeGreaterThanOrEqual(0);
          expect(line.adjustments.every((a) => a.amount > 0)).toBe(true);
          expect(line.total).toBe(line.net + sum(line.taxes.map((t) => t.amount)));
        }
        expect(priced.subtotal - priced.discountTotal).toBe(sum(priced.lines.map((l) => l.amount)));
        const promotionAdjustments = priced.lines.flatMap((l) =>
          l.adjustments.filter((a) => a.source === 'promotion'),
        );
        expect(sum(priced.promotions.map((p) => p.amount))).toBe(
          sum(promotionAdjustments.map((a) => a.amount)),
        );
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('exclusive tax: total = sum of line amounts + tax; inclusive: total = sum of line amounts − exempted tax', () => {
    fc.assert(
      fc.property(scenarioArb, ({ input }) => {
        const priced = priceSale(input);
        const amounts = sum(priced.lines.map((l) => l.amount));
        expect(priced.taxTotal).toBe(sum(priced.taxes.map((t) => t.tax)));
        if (!input.jurisdiction.pricesIncludeTax) {
          expect(priced.total).toBe(amounts + priced.taxTotal);
          return;
        }
        // The tax every line embeds, as if nobody were exempt; the exempted part is what was not charged.
        const embedded = computeTax(
          priced.lines.map((l) => ({ lineId: l.lineId, amount: l.amount, taxCategory: l.taxCategory })),
          input.jurisdiction,
        );
        const exempted = sum(
          embedded.lines.flatMap((l, i) =>
            l.taxes
              .filter((t) => !priced.lines[i]!.taxes.some((c) => c.code === t.code))
              .map((t) => t.amount),
          ),
        );
        expect(priced.total).toBe(amounts - exempted);
        if (!input.exemption) expect(exempted).toBe(0);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the tenders pay the total plus cash rounding, within half a cash step', () => {
    fc.assert(
      fc.property(scenarioArb, tenderPlanArb, (scenario, plan) => {
        const { priced, settlement } = ring(scenario, plan);
        expect(settlement.paid).toBe(priced.total + settlement.cashRounding);
        expect(sum(settlement.tenders.map((t) => t.amount))).toBe(settlement.paid);
        expect(Math.abs(settlement.cashRounding) * 2).toBeLessThanOrEqual(scenario.cashRounding.increment);
        expect(settlement.change).toBe(sum(settlement.tenders.map((t) => t.tendered - t.amount)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('(b) refunds never exceed what was paid', () => {
  it('per line, per tax, per tender and in cash, after any partial returns', () => {
    fc.assert(
      fc.property(scenarioArb, tenderPlanArb, returnsArb, fc.nat(), (scenario, plan, returns, stopAfter) => {
        const sale = ring(scenario, plan);
        const policy: ReturnPolicy = {
          ...DEFAULT_RETURN_POLICY,
          refundOrder: returns.refundOrder,
          cashRounding: scenario.cashRounding,
        };
        const requests = returnSequence(sale.priced, returns.keys, returns.sizes);
        const paid = exactPaid(sale.settlement);
        const refundedByLine = new Map<string, { net: number; total: number; taxes: Map<string, number> }>();
        let prior = NO_PRIOR_RETURNS;
        for (const request of requests.slice(0, stopAfter % (requests.length + 1))) {
          const result = computeReturn(sale, prior, request, policy, RETURNED_AT);
          prior = recordReturn(sale.settlement.tenders.length, prior, request, result);
          for (const line of result.lines) {
            const sold = sale.priced.lines.find((l) => l.lineId === line.lineId)!;
            const so = refundedByLine.get(line.lineId) ?? {
              net: 0,
              total: 0,
              taxes: new Map<string, number>(),
            };
            so.net += line.net;
            so.total += line.total;
            for (const tax of line.taxes) so.taxes.set(tax.code, (so.taxes.get(tax.code) ?? 0) + tax.amount);
            refundedByLine.set(line.lineId, so);
            expect(line.net).toBeGreaterThanOrEqual(0);
            expect(so.net).toBeLessThanOrEqual(sold.net);
            expect(so.total).toBeLessThanOrEqual(sold.total);
            for (const tax of sold.taxes) expect(so.taxes.get(tax.code) ?? 0).toBeLessThanOrEqual(tax.amount);
          }
          for (const refund of result.refunds) {
            expect(refund.amount).toBeGreaterThan(0);
            expect(refund.paidOut).toBeGreaterThanOrEqual(0);
            if (refund.kind !== 'cash') expect(refund.paidOut).toBe(refund.amount);
          }
          paid.forEach((exact, i) => {
            expect(prior.tenderRefunds[i] ?? 0).toBeLessThanOrEqual(exact);
          });
          expect(prior.cashPaidOut).toBeLessThanOrEqual(cashIn(sale.settlement));
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('(c) returning every line, in any order and grouping, exactly undoes the sale', () => {
  it('gives back the total, each rate’s tax, each tender’s payment and the cash taken', () => {
    fc.assert(
      fc.property(scenarioArb, tenderPlanArb, returnsArb, (scenario, plan, returns) => {
        const sale = ring(scenario, plan);
        const policy: ReturnPolicy = {
          ...DEFAULT_RETURN_POLICY,
          refundOrder: returns.refundOrder,
          cashRounding: scenario.cashRounding,
        };
        let prior = NO_PRIOR_RETURNS;
        let total = 0;
        const taxes = new Map<string, number>();
        const paidOutByTender = sale.settlement.tenders.map(() => 0);
        for (const request of returnSequence(sale.priced, returns.keys, returns.sizes)) {
          const result = computeReturn(sale, prior, request, policy, RETURNED_AT);
          prior = recordReturn(sale.settlement.tenders.length, prior, request, result);
          total += sum(result.lines.map((l) => l.total));
          for (const tax of result.taxes) taxes.set(tax.code, (taxes.get(tax.code) ?? 0) + tax.amount);
          for (const refund of result.refunds) paidOutByTender[refund.tenderIndex]! += refund.paidOut;
        }
        expect(total).toBe(sale.priced.total);
        for (const rate of sale.priced.taxes) expect(taxes.get(rate.code) ?? 0).toBe(rate.tax);
        for (const [code, amount] of taxes) {
          expect(amount).toBe(sale.priced.taxes.find((t) => t.code === code)?.tax ?? 0);
        }
        const tenders = sale.settlement.tenders;
        expect(tenders.map((_, i) => prior.tenderRefunds[i] ?? 0)).toEqual(exactPaid(sale.settlement));
        tenders.forEach((tender, i) => {
          if (tender.kind !== 'cash') expect(paidOutByTender[i]).toBe(tender.amount);
        });
        expect(prior.cashPaidOut).toBe(cashIn(sale.settlement));
        expect(sum(paidOutByTender)).toBe(sale.settlement.paid);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('(d) pricing is deterministic', () => {
  it('prices the same input the same way twice, without changing it', () => {
    fc.assert(
      fc.property(scenarioArb, ({ input }) => {
        const copy: unknown = JSON.parse(JSON.stringify(input));
        const first = priceSale(input);
        expect(priceSale(input)).toEqual(first);
        expect(input).toEqual(copy);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('does not depend on the order the promotions are listed in', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.nat(), { minLength: 7, maxLength: 7 }), ({ input }, keys) => {
        const shuffled = input.promotions
          .map((promotion, i) => ({ promotion, key: keys[i]! }))
          .sort((a, b) => a.key - b.key)
          .map(({ promotion }) => promotion);
        expect(priceSale({ ...input, promotions: shuffled })).toEqual(priceSale(input));
        expect(priceSale({ ...input, promotions: [...input.promotions].reverse() })).toEqual(
          priceSale(input),
        );
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('(e) cash rounding never changes a card total', () => {
  const totalArb = fc.integer({ min: 1, max: 10_000_000 });
  const ruleArb = fc.constantFrom(...CURRENCIES.map(cashRoundingFor));

  it('a sale paid only by cards pays the exact total, whatever the cash rule', () => {
    fc.assert(
      fc.property(
        totalArb,
        ruleArb,
        fc.array(fc.integer({ min: 1, max: 999 }), { maxLength: 3 }),
        (total, rule, cuts) => {
          const tenders: TenderInput[] = [];
          let balance = total;
          cuts.forEach((permille, i) => {
            const amount = Math.floor((balance * permille) / 1000);
            if (amount <= 0 || amount >= balance) return;
            tenders.push(nonCash('card', amount, i));
            balance -= amount;
          });
          tenders.push(nonCash('card', balance, 9));
          const settlement = settleTenders(total, tenders, { cashRounding: rule });
          expect(settlement).toMatchObject({ cashRounding: 0, paid: total, change: 0 });
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('in a split, each card pays exactly what it was asked and only the cash is rounded', () => {
    fc.assert(
      fc.property(
        totalArb,
        fc.constantFrom('CHF', 'CAD', 'SEK', 'DKK'),
        tenderPlanArb,
        (total, currency, plan) => {
          const rule = cashRoundingFor(currency);
          const tenders = buildTenders(total, plan, rule);
          const settlement = settleTenders(total, tenders, { cashRounding: rule });
          tenders.forEach((tender, i) => {
            if (tender.kind !== 'cash') expect(settlement.tenders[i]!.amount).toBe(tender.amount);
          });
          const nonCashPaid = sum(settlement.tenders.filter((t) => t.kind !== 'cash').map((t) => t.amount));
          expect(cashIn(settlement)).toBe(settlement.paid - nonCashPaid);
          if (tenders.at(-1)!.kind !== 'cash') expect(settlement.cashRounding).toBe(0);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
