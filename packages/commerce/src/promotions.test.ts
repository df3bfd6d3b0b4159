import { describe, expect, it } from 'vitest';
import type { PromotableLine, Promotion, PromotionContext } from './promotion-types.js';
import { applyPromotions, conditionsHold } from './promotions.js';

/** Tuesday 25 November 2025, 15:30 in a store in Berlin (UTC+1 in November). */
const CONTEXT: PromotionContext = {
  at: '2025-11-25T14:30:00Z',
  timeZone: 'Europe/Berlin',
  storeId: 'store-1',
  channel: 'pos',
};

function line(
  lineId: string,
  unitPrice: number,
  quantity = 1,
  tags: string[] = [],
  productId = lineId,
): PromotableLine {
  return { lineId, productId, tags, quantity, unitPrice };
}

/** Discount per line, summed over promotions: what each line lost. */
function lineTotals(outcome: ReturnType<typeof applyPromotions>): number[] {
  return outcome.lineDiscounts.map((perLine) => [...perLine.values()].reduce((a, b) => a + b, 0));
}

const base = { name: 'promo', priority: 0 };

describe('item-percent', () => {
  it('takes the rate off each matching unit, rounded half-up per unit', () => {
    const outcome = applyPromotions(
      [line('headphones', 5999, 1, ['audio']), line('cable', 15, 3, ['audio']), line('bread', 349)],
      [{ ...base, id: 'AUDIO20', kind: 'item-percent', target: { tags: ['audio'] }, rate: 200_000 }],
      CONTEXT,
    );
    // 59.99 × 20 % = 11.998 → 12.00; 0.15 × 20 % = 0.03 per unit, three units → 0.09; bread does not match
    expect(lineTotals(outcome)).toEqual([1200, 9, 0]);
    expect(outcome.applied).toEqual([{ promotionId: 'AUDIO20', name: 'promo', amount: 1209 }]);
    expect(outcome.total).toBe(1209);
  });

  it('rounds each unit separately, so three units can differ from the line rounded once', () => {
    const outcome = applyPromotions(
      [line('gum', 15, 3, ['sweets'])],
      [{ ...base, id: 'P', kind: 'item-percent', target: { tags: ['sweets'] }, rate: 100_000 }],
      CONTEXT,
    );
    // 0.015 → 0.02 per unit, × 3 = 0.06 (the line rounded once would be 0.045 → 0.05)
    expect(outcome.total).toBe(6);
  });

  it('matches by product id as well as by tag', () => {
    const outcome = applyPromotions(
      [line('a', 1000, 1, [], 'sku-a'), line('b', 1000, 1, [], 'sku-b')],
      [{ ...base, id: 'P', kind: 'item-percent', target: { productIds: ['sku-b'] }, rate: 500_000 }],
      CONTEXT,
    );
    expect(lineTotals(outcome)).toEqual([0, 500]);
  });
});

describe('item-amount', () => {
  it('takes a fixed amount off each matching unit', () => {
    const outcome = applyPromotions(
      [line('coffee', 899, 2, ['coffee'])],
      [{ ...base, id: 'COFFEE1', kind: 'item-amount', target: { tags: ['coffee'] }, amount: 100 }],
      CONTEXT,
    );
    expect(outcome.total).toBe(200);
  });

  it('never takes more than the unit costs', () => {
    const outcome = applyPromotions(
      [line('sample', 50, 2, ['coffee']), line('bag', 899, 1, ['coffee'])],
      [{ ...base, id: 'COFFEE1', kind: 'item-amount', target: { tags: ['coffee'] }, amount: 100 }],
      CONTEXT,
    );
    // 0.50 units give 0.50 each, not 1.00
    expect(lineTotals(outcome)).toEqual([100, 100]);
  });
});

describe('buy X get Y', () => {
  const b2g1: Promotion = {
    ...base,
    id: 'B2G1',
    kind: 'buy-x-get-y',
    buy: { target: { tags: ['socks'] }, quantity: 2 },
    get: { target: { tags: ['socks'] }, quantity: 1, rate: 1_000_000 },
  };

  it('gives the cheapest qualifying unit free after taking the dearest as the bought ones', () => {
    const outcome = applyPromotions(
      [line('wool', 1200, 1, ['socks']), line('cotton', 500, 1, ['socks']), line('silk', 1500, 1, ['socks'])],
      [b2g1],
      CONTEXT,
    );
    // buys: silk 15.00 and wool 12.00; free: cotton 5.00
    expect(lineTotals(outcome)).toEqual([0, 500, 0]);
  });

  it('repeats for every full set, the free units always the cheapest left', () => {
    const outcome = applyPromotions(
      [line('a', 1000, 1, ['socks']), line('b', 900, 1, ['socks']), line('c', 800, 1, ['socks'])]
        .concat([line('d', 700, 1, ['socks']), line('e', 600, 1, ['socks']), line('f', 500, 1, ['socks'])])
        .concat([line('g', 400, 1, ['socks'])]),
      [b2g1],
      CONTEXT,
    );
    // set 1: buy 10.00 + 9.00, free 4.00; set 2: buy 8.00 + 7.00, free 5.00; 6.00 is left alone (no third set)
    expect(lineTotals(outcome)).toEqual([0, 0, 0, 0, 0, 500, 400]);
  });

  it('gives nothing without a full set', () => {
    expect(applyPromotions([line('a', 1000, 2, ['socks'])], [b2g1], CONTEXT).total).toBe(0);
  });

  it('may discount a different product by a percentage', () => {
    const promotion: Promotion = {
      ...base,
      id: 'BEANS-MUG',
      kind: 'buy-x-get-y',
      buy: { target: { tags: ['beans'] }, quantity: 1 },
      get: { target: { tags: ['mug'] }, quantity: 1, rate: 500_000 },
    };
    const outcome = applyPromotions(
      [line('beans', 1299, 2, ['beans']), line('mug', 999, 3, ['mug'])],
      [promotion],
      CONTEXT,
    );
    // two bags bought → two mugs at half price: 2 × round(9.99 × 50 %) = 2 × 5.00
    expect(lineTotals(outcome)).toEqual([0, 1000]);
  });
});

describe('mix and match', () => {
  const threeFor10: Promotion = {
    ...base,
    id: '3FOR10',
    kind: 'mix-and-match',
    target: { tags: ['candle'] },
    quantity: 3,
    bundlePrice: 1000,
  };

  it('sells each group at the bundle price, the discount split over its units by price', () => {
    const outcome = applyPromotions(
      [line('vanilla', 450, 2, ['candle']), line('cedar', 300, 1, ['candle'])],
      [threeFor10],
      CONTEXT,
    );
    // 4.50 + 4.50 + 3.00 = 12.00 → 10.00: 2.00 off, split 4.50 : 4.50 : 3.00 → 0.75 + 0.75 + 0.50
    expect(lineTotals(outcome)).toEqual([150, 50]);
    expect(outcome.total).toBe(200);
  });

  it('groups the dearest units first and leaves an incomplete group at full price', () => {
    const outcome = applyPromotions(
      [line('big', 500, 3, ['candle']), line('small', 200, 2, ['candle'])],
      [threeFor10],
      CONTEXT,
    );
    // group: 5.00 × 3 = 15.00 → 10.00; the two 2.00 candles are not a full group
    expect(lineTotals(outcome)).toEqual([500, 0]);
  });

  it('gives nothing when the group already costs no more than the bundle', () => {
    expect(applyPromotions([line('tea', 300, 3, ['candle'])], [threeFor10], CONTEXT).total).toBe(0);
  });
});

describe('basket thresholds', () => {
  const lines = [line('a', 3000), line('b', 2000, 2)];

  it('takes a percentage off a basket at or above the minimum, allocated by price', () => {
    const promotion: Promotion = {
      ...base,
      id: 'SPEND70',
      kind: 'basket-threshold',
      minimum: 7000,
      discount: { kind: 'percent', rate: 100_000 },
    };
    const outcome = applyPromotions(lines, [promotion], CONTEXT);
    // 70.00 × 10 % = 7.00: 3.00 on a, 2.00 + 2.00 on b
    expect(lineTotals(outcome)).toEqual([300, 400]);
    expect(applyPromotions(lines, [{ ...promotion, minimum: 7001 }], CONTEXT).total).toBe(0);
  });

  it('takes a fixed amount, never more than the basket', () => {
    const promotion: Promotion = {
      ...base,
      id: 'FIVER',
      kind: 'basket-threshold',
      minimum: 0,
      discount: { kind: 'amount', amount: 500 },
    };
    // 5.00 split 30 : 20 : 20 → 2.142… 1.428… 1.428… → 2.14 + 1.43 + 1.43 (largest remainder, ties to the earlier unit)
    expect(lineTotals(applyPromotions(lines, [promotion], CONTEXT))).toEqual([214, 286]);
    const huge = { ...promotion, discount: { kind: 'amount' as const, amount: 1_000_000 } };
    expect(applyPromotions(lines, [huge], CONTEXT).total).toBe(7000);
  });

  it('runs after item promotions, on the units they left free', () => {
    const item: Promotion = {
      ...base,
      id: 'ITEM',
      priority: 0,
      kind: 'item-amount',
      target: { productIds: ['a'] },
      amount: 1000,
    };
    const basket: Promotion = {
      ...base,
      id: 'BASKET',
      priority: 9,
      kind: 'basket-threshold',
      minimum: 4000,
      discount: { kind: 'percent', rate: 100_000 },
    };
    const outcome = applyPromotions(lines, [basket, item], CONTEXT);
    // the item promotion runs first despite its lower priority; a non-stackable threshold then sees only
    // the two undiscounted units of b (40.00 ≥ 40.00) and takes 10 % of them
    expect(outcome.applied.map((p) => [p.promotionId, p.amount])).toEqual([
      ['ITEM', 1000],
      ['BASKET', 400],
    ]);
    // stackable, it also counts what is left of a (20.00) and applies to it
    const stacking = applyPromotions(
      lines,
      [
        { ...basket, stackable: true },
        { ...item, stackable: true },
      ],
      CONTEXT,
    );
    expect(lineTotals(stacking)).toEqual([1000 + 200, 400]);
  });
});

describe('conditions', () => {
  it('run from `from` (inclusive) until `until` (exclusive)', () => {
    const window = { from: '2025-11-25T14:30:00Z', until: '2025-11-25T15:00:00Z' };
    expect(conditionsHold(window, CONTEXT)).toBe(true);
    expect(conditionsHold(window, { ...CONTEXT, at: '2025-11-25T14:29:59.999Z' })).toBe(false);
    expect(conditionsHold(window, { ...CONTEXT, at: '2025-11-25T14:59:59.999Z' })).toBe(true);
    expect(conditionsHold(window, { ...CONTEXT, at: '2025-11-25T15:00:00Z' })).toBe(false);
    expect(conditionsHold(undefined, CONTEXT)).toBe(true);
  });

  it('judge the day of the week in the store’s local time', () => {
    // 23:30 UTC on Tuesday is 00:30 on Wednesday in Berlin (UTC+1), and still Tuesday in New York (UTC−5)
    const lateTuesdayUtc = { ...CONTEXT, at: '2025-11-25T23:30:00Z' };
    expect(conditionsHold({ daysOfWeek: [3] }, { ...lateTuesdayUtc, timeZone: 'Europe/Berlin' })).toBe(true);
    expect(conditionsHold({ daysOfWeek: [2] }, { ...lateTuesdayUtc, timeZone: 'Europe/Berlin' })).toBe(false);
    expect(conditionsHold({ daysOfWeek: [2] }, { ...lateTuesdayUtc, timeZone: 'America/New_York' })).toBe(
      true,
    );
  });

  it('judge the time of day as local minutes after midnight, [from, to)', () => {
    const happyHour = { minutesOfDay: { from: 17 * 60, to: 19 * 60 } };
    // 16:00 UTC = 17:00 local at UTC+1: the first minute of happy hour
    expect(conditionsHold(happyHour, { ...CONTEXT, at: '2025-11-25T16:00:00Z' })).toBe(true);
    expect(conditionsHold(happyHour, { ...CONTEXT, at: '2025-11-25T15:59:00Z' })).toBe(false);
    expect(conditionsHold(happyHour, { ...CONTEXT, at: '2025-11-25T17:59:00Z' })).toBe(true);
    expect(conditionsHold(happyHour, { ...CONTEXT, at: '2025-11-25T18:00:00Z' })).toBe(false);
    // the same instant in a UTC store is 16:00, outside
    expect(conditionsHold(happyHour, { ...CONTEXT, at: '2025-11-25T16:00:00Z', timeZone: 'UTC' })).toBe(
      false,
    );
  });

  it('let a time-of-day window run across midnight when it ends before it starts', () => {
    const lateNight = { minutesOfDay: { from: 22 * 60, to: 2 * 60 } };
    // CONTEXT is Berlin, UTC+1 in November: 22:30 UTC is 23:30 local, 00:00 UTC is 01:00 local, 11:00 UTC is noon.
    expect(conditionsHold(lateNight, { ...CONTEXT, at: '2025-11-25T22:30:00Z' })).toBe(true);
    expect(conditionsHold(lateNight, { ...CONTEXT, at: '2025-11-26T00:00:00Z' })).toBe(true);
    expect(conditionsHold(lateNight, { ...CONTEXT, at: '2025-11-26T01:00:00Z' })).toBe(false);
    expect(conditionsHold(lateNight, { ...CONTEXT, at: '2025-11-25T11:00:00Z' })).toBe(false);
  });

  it('limit a promotion to some stores and channels', () => {
    expect(conditionsHold({ stores: ['store-1', 'store-2'] }, CONTEXT)).toBe(true);
    expect(conditionsHold({ stores: ['store-2'] }, CONTEXT)).toBe(false);
    expect(conditionsHold({ channels: ['online'] }, CONTEXT)).toBe(false);
    expect(conditionsHold({ channels: ['online'] }, { ...CONTEXT, channel: 'online' })).toBe(true);
    expect(conditionsHold({ stores: ['store-1'], channels: ['pos'], daysOfWeek: [2] }, CONTEXT)).toBe(true);
  });

  it('leave out a promotion whose conditions fail', () => {
    const promotion: Promotion = {
      ...base,
      id: 'WEEKEND',
      kind: 'item-percent',
      target: { tags: ['x'] },
      rate: 100_000,
      conditions: { daysOfWeek: [0, 6] },
    };
    const lines = [line('a', 1000, 1, ['x'])];
    expect(applyPromotions(lines, [promotion], CONTEXT).total).toBe(0);
    expect(applyPromotions(lines, [promotion], { ...CONTEXT, at: '2025-11-29T10:00:00Z' }).total).toBe(100);
  });
});

describe('priority and stacking', () => {
  const lines = [line('a', 1000, 1, ['x'])];
  const ten: Promotion = {
    ...base,
    id: 'TEN',
    priority: 1,
    kind: 'item-percent',
    target: { tags: ['x'] },
    rate: 100_000,
  };
  const half: Promotion = {
    ...base,
    id: 'HALF',
    priority: 0,
    kind: 'item-percent',
    target: { tags: ['x'] },
    rate: 500_000,
  };

  it('runs higher priority first: a non-stackable promotion holds its units even if a later one is better', () => {
    const outcome = applyPromotions(lines, [half, ten], CONTEXT);
    expect(outcome.applied).toEqual([{ promotionId: 'TEN', name: 'promo', amount: 100 }]);
  });

  it('breaks priority ties by id', () => {
    const outcome = applyPromotions(
      lines,
      [
        { ...ten, id: 'B' },
        { ...half, id: 'A', priority: 1 },
      ],
      CONTEXT,
    );
    expect(outcome.applied.map((p) => p.promotionId)).toEqual(['A']);
  });

  it('compounds stackable promotions on the price left', () => {
    const outcome = applyPromotions(
      lines,
      [
        { ...half, stackable: true },
        { ...ten, stackable: true },
      ],
      CONTEXT,
    );
    // 10.00 − 10 % = 9.00; then 50 % of 9.00 = 4.50
    expect(outcome.applied.map((p) => [p.promotionId, p.amount])).toEqual([
      ['TEN', 100],
      ['HALF', 450],
    ]);
  });

  it('lets no promotion follow a non-stackable one on the same unit', () => {
    const outcome = applyPromotions(lines, [{ ...half, stackable: true }, ten], CONTEXT);
    expect(outcome.total).toBe(100);
  });

  it('keeps a non-stackable promotion off units a stackable one already discounted', () => {
    const outcome = applyPromotions(lines, [half, { ...ten, stackable: true }], CONTEXT);
    expect(outcome.applied.map((p) => p.promotionId)).toEqual(['TEN']);
  });

  it('holds the bought units of a buy X get Y against other non-stackable promotions', () => {
    const bogo: Promotion = {
      ...base,
      id: 'BOGO',
      priority: 5,
      kind: 'buy-x-get-y',
      buy: { target: { tags: ['x'] }, quantity: 1 },
      get: { target: { tags: ['x'] }, quantity: 1, rate: 1_000_000 },
    };
    const outcome = applyPromotions([line('a', 1000, 3, ['x'])], [bogo, ten], CONTEXT);
    // one pair: one bought, one free; the third unit is still open to TEN
    expect(outcome.applied.map((p) => [p.promotionId, p.amount])).toEqual([
      ['BOGO', 1000],
      ['TEN', 100],
    ]);
  });
});

describe('exclusive promotions', () => {
  const lines = [line('a', 1000, 1, ['x']), line('b', 2000, 1, ['y'])];
  const onA: Promotion = {
    ...base,
    id: 'A20',
    priority: 1,
    kind: 'item-percent',
    target: { tags: ['x'] },
    rate: 200_000,
  };
  const onB: Promotion = {
    ...base,
    id: 'B20',
    priority: 1,
    kind: 'item-percent',
    target: { tags: ['y'] },
    rate: 200_000,
  };
  const staff = (rate: number, priority = 0): Promotion => ({
    ...base,
    id: 'STAFF',
    priority,
    exclusive: true,
    kind: 'basket-threshold',
    minimum: 0,
    discount: { kind: 'percent', rate },
  });

  it('takes the exclusive promotion alone when it gives the customer more', () => {
    // together: 2.00 + 4.00 = 6.00; staff 25 % of 30.00 = 7.50
    const outcome = applyPromotions(lines, [onA, onB, staff(250_000)], CONTEXT);
    expect(outcome.applied.map((p) => [p.promotionId, p.amount])).toEqual([['STAFF', 750]]);
  });

  it('keeps the combined ordinary promotions when they give more', () => {
    const outcome = applyPromotions(lines, [onA, onB, staff(150_000)], CONTEXT);
    expect(outcome.applied.map((p) => [p.promotionId, p.amount])).toEqual([
      ['A20', 200],
      ['B20', 400],
    ]);
  });

  it('picks the better of two exclusive promotions and never combines them', () => {
    const other: Promotion = { ...staff(300_000), id: 'VIP' };
    const outcome = applyPromotions(lines, [staff(250_000), other], CONTEXT);
    expect(outcome.applied.map((p) => [p.promotionId, p.amount])).toEqual([['VIP', 900]]);
  });

  it('settles a tie in favour of the higher priority', () => {
    // staff 20 % = 6.00 = the two ordinary ones together
    expect(
      applyPromotions(lines, [onA, onB, staff(200_000, 2)], CONTEXT).applied.map((p) => p.promotionId),
    ).toEqual(['STAFF']);
    expect(
      applyPromotions(lines, [onA, onB, staff(200_000, 0)], CONTEXT).applied.map((p) => p.promotionId),
    ).toEqual(['A20', 'B20']);
  });
});

describe('a discount never exceeds a unit’s price', () => {
  it('caps stacked amounts at what is left of the unit', () => {
    const promotions: Promotion[] = [
      {
        ...base,
        id: 'P1',
        priority: 2,
        stackable: true,
        kind: 'item-amount',
        target: { tags: ['x'] },
        amount: 700,
      },
      {
        ...base,
        id: 'P2',
        priority: 1,
        stackable: true,
        kind: 'item-amount',
        target: { tags: ['x'] },
        amount: 700,
      },
      {
        ...base,
        id: 'P3',
        priority: 0,
        stackable: true,
        kind: 'basket-threshold',
        minimum: 0,
        discount: { kind: 'amount', amount: 5000 },
      },
    ];
    const outcome = applyPromotions([line('a', 1000, 2, ['x'])], promotions, CONTEXT);
    expect(outcome.applied.map((p) => [p.promotionId, p.amount])).toEqual([
      ['P1', 1400],
      ['P2', 600],
    ]);
    expect(outcome.total).toBe(2000);
  });

  it('caps a misconfigured percentage above 100 % at the unit price', () => {
    const outcome = applyPromotions(
      [line('a', 1000, 2, ['x'])],
      [{ ...base, id: 'TYPO', kind: 'item-percent', target: { tags: ['x'] }, rate: 1_500_000 }],
      CONTEXT,
    );
    expect(outcome.total).toBe(2000);
  });

  it('caps a buy X get Y rate above 100 % and a negative bundle price likewise', () => {
    const bxgy: Promotion = {
      ...base,
      id: 'BXGY',
      kind: 'buy-x-get-y',
      buy: { target: { tags: ['x'] }, quantity: 1 },
      get: { target: { tags: ['x'] }, quantity: 1, rate: 2_000_000 },
    };
    expect(applyPromotions([line('a', 1000, 2, ['x'])], [bxgy], CONTEXT).total).toBe(1000);
    const bundle: Promotion = {
      ...base,
      id: 'MM',
      kind: 'mix-and-match',
      target: { tags: ['x'] },
      quantity: 2,
      bundlePrice: -500,
    };
    expect(applyPromotions([line('a', 1000, 2, ['x'])], [bundle], CONTEXT).total).toBe(2000);
  });
});

describe('degenerate configurations', () => {
  it('a buy X get Y with zero quantities gives nothing and returns', () => {
    const zero: Promotion = {
      ...base,
      id: 'ZERO',
      kind: 'buy-x-get-y',
      buy: { target: { tags: ['x'] }, quantity: 0 },
      get: { target: { tags: ['x'] }, quantity: 0, rate: 1_000_000 },
    };
    expect(applyPromotions([line('a', 1000, 2, ['x'])], [zero], CONTEXT).total).toBe(0);
  });
});
