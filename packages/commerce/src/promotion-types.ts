/** Which lines a promotion looks at: any listed product, or any product carrying one of the tags. */
export interface PromotionTarget {
  productIds?: readonly string[];
  tags?: readonly string[];
}

export interface PromotionConditions {
  /** ISO instants; the promotion runs from `from` (inclusive) until `until` (exclusive). */
  from?: string;
  until?: string;
  /** 0 = Sunday … 6 = Saturday, of the store's wall-clock date at the sale. */
  daysOfWeek?: readonly number[];
  /**
   * Wall-clock minutes after local midnight: [from, to); when `to` is before `from` the window runs across
   * midnight. The store's clock reading decides: a skipped hour shortens a window, a repeated one lengthens it.
   */
  minutesOfDay?: { from: number; to: number };
  stores?: readonly string[];
  channels?: readonly ('pos' | 'online')[];
}

interface PromotionBase {
  id: string;
  name: string;
  /** Higher runs first; ties by id. */
  priority: number;
  /** Never combined with any other promotion: the engine keeps whichever gives the customer more. */
  exclusive?: boolean;
  /**
   * Unit-level stacking. A non-stackable promotion (the default) skips units another promotion already discounted,
   * and units it discounts take no further promotion. Stackable ones apply to the price left on free units.
   */
  stackable?: boolean;
  conditions?: PromotionConditions;
}

export type Promotion =
  | (PromotionBase & { kind: 'item-percent'; target: PromotionTarget; rate: number })
  | (PromotionBase & { kind: 'item-amount'; target: PromotionTarget; amount: number })
  | (PromotionBase & {
      kind: 'buy-x-get-y';
      buy: { target: PromotionTarget; quantity: number };
      get: { target: PromotionTarget; quantity: number; rate: number };
    })
  | (PromotionBase & {
      kind: 'mix-and-match';
      target: PromotionTarget;
      quantity: number;
      bundlePrice: number;
    })
  | (PromotionBase & {
      kind: 'basket-threshold';
      minimum: number;
      discount: { kind: 'percent'; rate: number } | { kind: 'amount'; amount: number };
    });

export interface PromotionContext {
  /** ISO instant of the sale. */
  at: string;
  /**
   * The store's IANA time zone (`Europe/Berlin`), for day-of-week and time-of-day windows: they are read on the
   * store's wall clock at `at`, across DST changes (decision 0011).
   */
  timeZone: string;
  storeId: string;
  channel: 'pos' | 'online';
}

/** A line as promotions see it: identity, what it matches on, and its unit price after any override. */
export interface PromotableLine {
  lineId: string;
  productId: string;
  tags: readonly string[];
  quantity: number;
  unitPrice: number;
}

export interface AppliedPromotion {
  promotionId: string;
  name: string;
  amount: number;
}

export interface PromotionOutcome {
  /** Discount per line index, per promotion. */
  lineDiscounts: Map<string, number>[];
  applied: AppliedPromotion[];
  total: number;
}
