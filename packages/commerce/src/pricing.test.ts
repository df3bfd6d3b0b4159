import { describe, expect, it } from 'vitest';
import { BRITISH_COLUMBIA, GERMANY } from './jurisdictions.js';
import { ApprovalRequiredError, assertApproved, PricingError, priceSale } from './pricing.js';
import type { SaleInput, SaleLineInput } from './pricing-types.js';
import type { Promotion } from './promotion-types.js';
import type { TaxJurisdiction } from './tax.js';

/** A plain exclusive 10 % sales tax, rounded per line, so the arithmetic below stays easy to follow. */
const TEN_PERCENT: TaxJurisdiction = {
  id: 'TEST-10',
  version: 3,
  pricesIncludeTax: false,
  rounding: 'line',
  roundingMode: 'half-up',
  rates: [{ code: 'T10', name: 'Tax 10 %', rate: 100_000 }],
  categories: { standard: ['T10'], exempt: [] },
};

function line(
  lineId: string,
  unitPrice: number,
  quantity = 1,
  extra: Partial<SaleLineInput> = {},
): SaleLineInput {
  return {
    lineId,
    productId: `p-${lineId}`,
    sku: `SKU-${lineId}`,
    barcode: null,
    name: lineId,
    quantity,
    unitPrice,
    taxCategory: 'standard',
    ...extra,
  };
}

function sale(lines: SaleLineInput[], extra: Partial<SaleInput> = {}): SaleInput {
  return {
    currency: 'USD',
    lines,
    promotions: [],
    context: { at: '2025-11-25T14:30:00Z', timeZone: 'America/New_York', storeId: 'store-1', channel: 'pos' },
    jurisdiction: TEN_PERCENT,
    limits: { maxLineDiscountRate: 100_000, maxBasketDiscountRate: 50_000, maxPriceDecreaseRate: 200_000 },
    versions: { catalog: 41, priceList: 7, promotions: 12, taxRules: 3 },
    ...extra,
  };
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('a plain sale', () => {
  it('prices each line, taxes it, and totals', () => {
    const priced = priceSale(sale([line('a', 1250, 2), line('b', 999, 1, { taxCategory: 'exempt' })]));
    expect(
      priced.lines.map(({ extended, amount, net, total }) => ({ extended, amount, net, total })),
    ).toEqual([
      { extended: 2500, amount: 2500, net: 2500, total: 2750 },
      { extended: 999, amount: 999, net: 999, total: 999 },
    ]);
    expect(priced).toMatchObject({
      subtotal: 3499,
      discountTotal: 0,
      taxTotal: 250,
      total: 3749,
      approvals: [],
    });
  });
});

describe('price overrides', () => {
  it('prices the line at the override and keeps the catalog price for the record', () => {
    const priced = priceSale(
      sale([line('a', 1000, 2, { priceOverride: { unitPrice: 800, reason: 'damaged box' } })]),
    );
    expect(priced.lines[0]).toMatchObject({
      catalogUnitPrice: 1000,
      unitPrice: 800,
      extended: 1600,
      amount: 1600,
    });
    // 20 % down is exactly the limit: no approval
    expect(priced.approvals).toEqual([]);
  });

  it('needs a manager beyond the limit, measured against the catalog price', () => {
    const priced = priceSale(
      sale([line('a', 1000, 1, { priceOverride: { unitPrice: 799, reason: 'damaged box' } })]),
    );
    expect(priced.approvals).toEqual([
      { kind: 'price-override', lineId: 'a', rate: 201_000, limit: 200_000, approvedBy: null },
    ]);
  });

  it('needs no approval to raise a price', () => {
    const priced = priceSale(
      sale([line('a', 1000, 1, { priceOverride: { unitPrice: 1500, reason: 'wrong label' } })]),
    );
    expect(priced.approvals).toEqual([]);
    expect(priced.lines[0]!.amount).toBe(1500);
  });

  it('feeds the overridden price to the promotions', () => {
    const promotion: Promotion = {
      id: 'HALF',
      name: 'Half price',
      priority: 0,
      kind: 'item-percent',
      target: { productIds: ['p-a'] },
      rate: 500_000,
    };
    const priced = priceSale(
      sale([line('a', 1000, 1, { priceOverride: { unitPrice: 900, reason: 'match' } })], {
        promotions: [promotion],
      }),
    );
    expect(priced.lines[0]!.adjustments).toEqual([{ source: 'promotion', ref: 'HALF', amount: 450 }]);
  });
});

describe('manual discounts', () => {
  it('applies a line discount after the promotions, on what they left', () => {
    const promotion: Promotion = {
      id: 'TWO-OFF',
      name: '2.00 off',
      priority: 0,
      kind: 'item-amount',
      target: { productIds: ['p-a'] },
      amount: 200,
    };
    const priced = priceSale(
      sale(
        [
          line('a', 1000, 1, {
            manualDiscount: { kind: 'percent', rate: 100_000, reason: 'loyal customer' },
          }),
        ],
        {
          promotions: [promotion],
        },
      ),
    );
    // 10.00 − 2.00 = 8.00; 10 % of 8.00 = 0.80; tax 10 % of 7.20 = 0.72
    expect(priced.lines[0]).toMatchObject({
      adjustments: [
        { source: 'promotion', ref: 'TWO-OFF', amount: 200 },
        { source: 'manual-line', ref: 'loyal customer', amount: 80 },
      ],
      amount: 720,
      total: 792,
    });
    expect(priced.discountTotal).toBe(280);
  });

  it('takes an amount off a line', () => {
    const priced = priceSale(
      sale([line('a', 1000, 3, { manualDiscount: { kind: 'amount', amount: 250, reason: 'scratch' } })], {
        limits: { maxLineDiscountRate: 100_000, maxBasketDiscountRate: 0, maxPriceDecreaseRate: 0 },
      }),
    );
    expect(priced.lines[0]!.amount).toBe(2750);
    expect(priced.approvals).toEqual([]);
  });

  it('allocates a basket discount across the lines by what is left on each, summing exactly', () => {
    const priced = priceSale(
      sale([line('a', 1000), line('b', 2000), line('c', 3000)], {
        basketDiscount: { kind: 'amount', amount: 100, reason: 'coupon' },
      }),
    );
    // 1.00 over 10 : 20 : 30 → 0.1666… 0.3333… 0.50 → 0.17 + 0.33 + 0.50
    expect(priced.lines.map((l) => l.adjustments)).toEqual([
      [{ source: 'manual-basket', ref: 'coupon', amount: 17 }],
      [{ source: 'manual-basket', ref: 'coupon', amount: 33 }],
      [{ source: 'manual-basket', ref: 'coupon', amount: 50 }],
    ]);
    expect(priced.discountTotal).toBe(100);
    expect(priced.total).toBe(5900 + 590);
  });

  it('gives a line with nothing left no share of the basket discount', () => {
    const priced = priceSale(
      sale(
        [
          line('a', 1000, 1, { manualDiscount: { kind: 'percent', rate: 1_000_000, reason: 'gift' } }),
          line('b', 2000),
        ],
        {
          basketDiscount: { kind: 'percent', rate: 50_000, reason: 'staff' },
          limits: { maxLineDiscountRate: 1_000_000, maxBasketDiscountRate: 50_000, maxPriceDecreaseRate: 0 },
        },
      ),
    );
    expect(priced.lines.map((l) => l.amount)).toEqual([0, 1900]);
    expect(priced.lines[0]!.adjustments.map((a) => a.source)).toEqual(['manual-line']);
  });
});

describe('manager limits', () => {
  const over = () =>
    sale(
      [
        line('a', 1000, 1, { manualDiscount: { kind: 'percent', rate: 150_000, reason: 'friend' } }),
        line('b', 1000, 1, { priceOverride: { unitPrice: 500, reason: 'price match' } }),
      ],
      { basketDiscount: { kind: 'amount', amount: 100, reason: 'coupon' } },
    );

  it('lists every request beyond its limit and refuses to finish the sale until each is approved', () => {
    const priced = priceSale(over());
    // line a: 15 % > 10 %; line b: 50 % down > 20 %; basket: 1.00 of 13.50 = 7.41 % > 5 %
    expect(priced.approvals).toEqual([
      { kind: 'price-override', lineId: 'b', rate: 500_000, limit: 200_000, approvedBy: null },
      { kind: 'line-discount', lineId: 'a', rate: 150_000, limit: 100_000, approvedBy: null },
      { kind: 'basket-discount', lineId: null, rate: 74_075, limit: 50_000, approvedBy: null },
    ]);
    const error = catchError(() => assertApproved(priced));
    expect(error).toBeInstanceOf(ApprovalRequiredError);
    expect(error).toMatchObject({ code: 'approval_required' });
    expect((error as ApprovalRequiredError).missing).toHaveLength(3);
    expect((error as Error).message).toBe(
      'a manager must approve: price-override on b, line-discount on a, basket-discount',
    );
  });

  it('still refuses while one approval is missing, and accepts once all carry approvedBy', () => {
    const input = over();
    const approval = { approvedBy: 'mgr-7' };
    const partly: SaleInput = {
      ...input,
      lines: [
        { ...input.lines[0]!, manualDiscount: { ...input.lines[0]!.manualDiscount!, approval } },
        { ...input.lines[1]!, priceOverride: { ...input.lines[1]!.priceOverride!, approval } },
      ],
    };
    expect(() => assertApproved(priceSale(partly))).toThrow(/basket-discount/);
    const approved = priceSale({ ...partly, basketDiscount: { ...partly.basketDiscount!, approval } });
    expect(approved.approvals.map((need) => need.approvedBy)).toEqual(['mgr-7', 'mgr-7', 'mgr-7']);
    expect(() => assertApproved(approved)).not.toThrow();
  });

  it('carries the id of the approval event a manager gave to the approval it settles', () => {
    const input = over();
    const approvalId = '019ab8a0-0000-7000-8000-000000005403';
    const approved = priceSale({
      ...input,
      basketDiscount: { ...input.basketDiscount!, approval: { approvedBy: 'mgr-7', approvalId } },
    });
    expect(approved.approvals.find((need) => need.kind === 'basket-discount')).toMatchObject({
      approvedBy: 'mgr-7',
      approvalId,
    });
    expect(approved.approvals.find((need) => need.kind === 'line-discount')).not.toHaveProperty('approvalId');
  });

  it('measures a percent discount by the rate keyed, so 10 % within a 10 % limit needs no manager', () => {
    // 10 % of 19.99 = 1.999 → 2.00, which is 10.005 % of the price; the cashier asked for 10 %
    const priced = priceSale(
      sale([line('a', 1999, 1, { manualDiscount: { kind: 'percent', rate: 100_000, reason: 'staff' } })], {
        basketDiscount: { kind: 'percent', rate: 50_000, reason: 'loyalty' },
      }),
    );
    expect(priced.lines[0]!.amount).toBe(1999 - 200 - 90);
    expect(priced.approvals).toEqual([]);
  });

  it('measures an amount discount against what is left, rounding the rate up', () => {
    const at = (amount: number) =>
      priceSale(sale([line('a', 1999, 1, { manualDiscount: { kind: 'amount', amount, reason: 'x' } })]))
        .approvals;
    expect(at(199)).toEqual([]);
    // 2.00 of 19.99 = 10.005 % > 10 %
    expect(at(200)).toEqual([
      { kind: 'line-discount', lineId: 'a', rate: 100_051, limit: 100_000, approvedBy: null },
    ]);
  });
});

describe('invalid input is refused with a typed error', () => {
  const refused = (input: SaleInput) => {
    const error = catchError(() => priceSale(input));
    expect(error).toBeInstanceOf(PricingError);
    return (error as PricingError).code;
  };

  it('refuses an empty sale', () => {
    expect(refused(sale([]))).toBe('empty_sale');
  });

  it('refuses quantities that are not positive whole numbers', () => {
    expect(refused(sale([line('a', 100, 0)]))).toBe('invalid_line');
    expect(refused(sale([line('a', 100, -1)]))).toBe('invalid_line');
    expect(refused(sale([line('a', 100, 1.5)]))).toBe('invalid_line');
  });

  it('refuses prices that are negative or not whole minor units', () => {
    expect(refused(sale([line('a', -1)]))).toBe('invalid_line');
    expect(refused(sale([line('a', 9.99)]))).toBe('invalid_line');
    expect(refused(sale([line('a', 100, 1, { priceOverride: { unitPrice: -5, reason: 'x' } })]))).toBe(
      'invalid_line',
    );
    expect(refused(sale([line('a', 100, 1, { priceOverride: { unitPrice: 0.5, reason: 'x' } })]))).toBe(
      'invalid_line',
    );
  });

  it('refuses two lines with the same id, which returns could not tell apart', () => {
    expect(refused(sale([line('a', 100), line('a', 200)]))).toBe('invalid_line');
  });

  it('refuses discounts out of range', () => {
    const withLine = (manualDiscount: SaleLineInput['manualDiscount']) =>
      sale([line('a', 1000, 1, { manualDiscount })]);
    expect(refused(withLine({ kind: 'percent', rate: 1_000_001, reason: 'x' }))).toBe('invalid_discount');
    expect(refused(withLine({ kind: 'percent', rate: -1, reason: 'x' }))).toBe('invalid_discount');
    expect(refused(withLine({ kind: 'amount', amount: -100, reason: 'x' }))).toBe('invalid_discount');
    expect(refused(withLine({ kind: 'amount', amount: 1001, reason: 'x' }))).toBe('invalid_discount');
    expect(refused(withLine({ kind: 'amount', amount: 10.5, reason: 'x' }))).toBe('invalid_discount');
    expect(
      refused(sale([line('a', 1000)], { basketDiscount: { kind: 'amount', amount: 1001, reason: 'x' } })),
    ).toBe('invalid_discount');
  });
});

describe('the priced snapshot', () => {
  it('carries the reference versions, the jurisdiction, the promotions applied and tax per rate', () => {
    const promotion: Promotion = {
      id: 'AUDIO15',
      name: '15 % off audio',
      priority: 1,
      kind: 'item-percent',
      target: { tags: ['audio'] },
      rate: 150_000,
    };
    const priced = priceSale(
      sale(
        [
          line('speaker', 10_000, 1, { tags: ['audio'] }),
          line('kids-hat', 2000, 1, { taxCategory: 'childrens_clothing' }),
        ],
        {
          currency: 'CAD',
          jurisdiction: BRITISH_COLUMBIA,
          promotions: [promotion],
        },
      ),
    );
    expect(priced).toMatchObject({
      currency: 'CAD',
      pricesIncludeTax: false,
      jurisdiction: 'CA-BC',
      versions: { catalog: 41, priceList: 7, promotions: 12, taxRules: 3 },
      promotions: [{ promotionId: 'AUDIO15', name: '15 % off audio', amount: 1500 }],
      subtotal: 12_000,
      discountTotal: 1500,
    });
    // speaker 85.00: GST 4.25, PST 5.95; hat 20.00: GST 1.00
    expect(priced.taxes).toEqual([
      { code: 'GST', name: 'GST 5 %', rate: 50_000, taxable: 10_500, tax: 525 },
      { code: 'PST', name: 'PST 7 %', rate: 70_000, taxable: 8500, tax: 595 },
    ]);
    expect(priced.lines[0]).toMatchObject({
      lineId: 'speaker',
      sku: 'SKU-speaker',
      productId: 'p-speaker',
      barcode: null,
      taxes: [
        { code: 'GST', amount: 425 },
        { code: 'PST', amount: 595 },
      ],
      total: 9520,
    });
    expect(priced.taxTotal).toBe(1120);
    expect(priced.total).toBe(10_500 + 1120);
  });

  it('passes a customer exemption to tax: inclusive prices drop the exempt rate', () => {
    const priced = priceSale(
      sale([line('mug', 1190)], { currency: 'EUR', jurisdiction: GERMANY, exemption: 'all' }),
    );
    // 11.90 includes 19 %: net 10.00, and an exempt customer pays the net
    expect(priced).toMatchObject({ pricesIncludeTax: true, taxes: [], taxTotal: 0, total: 1000 });
    expect(priced.lines[0]).toMatchObject({ amount: 1190, net: 1000, total: 1000, taxes: [] });
  });
});
