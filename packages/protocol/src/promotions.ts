import { z } from 'zod';
import { Identifier, IsoTimestamp, NonNegativeMinorUnits } from './primitives.js';
import { printableName } from './printable.js';

/**
 * Automatic promotions as HQ publishes them to tills (terminal configuration version 6, issue #17): the shapes the
 * commerce engine prices with (packages/commerce promotion-types.ts), validated at the edge. Rates are millionths.
 */

const Rate = z.number().int().min(1).max(1_000_000);
const Quantity = z.number().int().min(1).max(10_000);

export const PromotionTargetV1 = z
  .strictObject({
    productIds: z.array(Identifier).max(1000).optional(),
    tags: z.array(Identifier).max(50).optional(),
  })
  .refine((target) => (target.productIds?.length ?? 0) + (target.tags?.length ?? 0) > 0, {
    message: 'a promotion targets at least one product or tag',
  });

export const PromotionConditionsV1 = z.strictObject({
  from: IsoTimestamp.optional(),
  until: IsoTimestamp.optional(),
  daysOfWeek: z.array(z.number().int().min(0).max(6)).min(1).max(7).optional(),
  minutesOfDay: z
    .strictObject({ from: z.number().int().min(0).max(1439), to: z.number().int().min(0).max(1440) })
    .optional(),
  stores: z.array(Identifier).max(1000).optional(),
  channels: z
    .array(z.enum(['pos', 'online']))
    .min(1)
    .max(2)
    .optional(),
});

const promotionBase = {
  id: Identifier,
  /** Shown on the cart line and printed on the receipt. */
  name: printableName(60),
  priority: z.number().int().min(-1000).max(1000).default(0),
  exclusive: z.boolean().optional(),
  stackable: z.boolean().optional(),
  conditions: PromotionConditionsV1.optional(),
};

export const PromotionV1 = z.discriminatedUnion('kind', [
  z.strictObject({
    ...promotionBase,
    kind: z.literal('item-percent'),
    target: PromotionTargetV1,
    rate: Rate,
  }),
  z.strictObject({
    ...promotionBase,
    kind: z.literal('item-amount'),
    target: PromotionTargetV1,
    amount: NonNegativeMinorUnits.min(1),
  }),
  z.strictObject({
    ...promotionBase,
    kind: z.literal('buy-x-get-y'),
    buy: z.strictObject({ target: PromotionTargetV1, quantity: Quantity }),
    get: z.strictObject({ target: PromotionTargetV1, quantity: Quantity, rate: Rate }),
  }),
  z.strictObject({
    ...promotionBase,
    kind: z.literal('mix-and-match'),
    target: PromotionTargetV1,
    quantity: Quantity.min(2),
    bundlePrice: NonNegativeMinorUnits,
  }),
  z.strictObject({
    ...promotionBase,
    kind: z.literal('basket-threshold'),
    minimum: NonNegativeMinorUnits,
    discount: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('percent'), rate: Rate }),
      z.strictObject({ kind: z.literal('amount'), amount: NonNegativeMinorUnits.min(1) }),
    ]),
  }),
]);
export type PromotionV1 = z.infer<typeof PromotionV1>;

/** Every promotion id once. */
export const PromotionsV1 = z
  .array(PromotionV1)
  .max(200)
  .refine((promotions) => new Set(promotions.map((p) => p.id)).size === promotions.length, {
    message: 'each promotion id at most once',
  });
