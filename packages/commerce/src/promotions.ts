import type {
  AppliedPromotion,
  PromotableLine,
  Promotion,
  PromotionConditions,
  PromotionContext,
  PromotionOutcome,
  PromotionTarget,
} from './promotion-types.js';
import { allocate, scaleRounded } from './rounding.js';
import { localDateTime } from './store-time.js';
import { RATE_SCALE } from './tax.js';

interface Unit {
  line: number;
  /** Price left on this unit after the promotions applied so far. */
  remaining: number;
  /** The non-stackable promotion that holds this unit, if any. */
  heldBy: string | null;
  discounted: boolean;
}

/**
 * Applies automatic promotions to a basket. Rules, all deterministic:
 * - only promotions whose conditions hold at the sale's time, store and channel are considered;
 * - they run in priority order (ties by id); item promotions first, then basket thresholds on what is left;
 * - percent discounts round per unit, half-up; a discount never takes a unit below zero;
 * - buy X get Y gives the discount to the cheapest qualifying units, after taking the dearest as the "buy" units;
 * - an exclusive promotion is never combined: the customer gets the best of each exclusive promotion alone and
 *   all non-exclusive ones together (ties to the higher priority).
 */
export function applyPromotions(
  lines: readonly PromotableLine[],
  promotions: readonly Promotion[],
  context: PromotionContext,
): PromotionOutcome {
  const active = promotions
    .filter((promotion) => conditionsHold(promotion.conditions, context))
    .sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const combined = run(
    lines,
    active.filter((promotion) => !promotion.exclusive),
  );
  let best = {
    outcome: combined,
    priority: active.find((p) => !p.exclusive)?.priority ?? Number.NEGATIVE_INFINITY,
  };
  for (const promotion of active.filter((p) => p.exclusive)) {
    const alone = run(lines, [promotion]);
    if (
      alone.total > best.outcome.total ||
      (alone.total === best.outcome.total && alone.total > 0 && promotion.priority > best.priority)
    ) {
      best = { outcome: alone, priority: promotion.priority };
    }
  }
  return best.outcome;
}

function run(lines: readonly PromotableLine[], promotions: readonly Promotion[]): PromotionOutcome {
  const units: Unit[] = lines.flatMap((line, index) =>
    Array.from({ length: line.quantity }, () => ({
      line: index,
      remaining: line.unitPrice,
      heldBy: null,
      discounted: false,
    })),
  );
  const lineDiscounts = lines.map(() => new Map<string, number>());
  const applied: AppliedPromotion[] = [];
  const record = (promotion: Promotion, unit: Unit, wanted: number) => {
    // Never below zero, whatever the configuration says (a rate above 100 %, a negative bundle price).
    const amount = Math.min(wanted, unit.remaining);
    if (amount <= 0) return;
    unit.remaining -= amount;
    unit.discounted = true;
    if (!promotion.stackable) unit.heldBy = promotion.id;
    const perLine = lineDiscounts[unit.line]!;
    perLine.set(promotion.id, (perLine.get(promotion.id) ?? 0) + amount);
  };
  const itemPromotions = promotions.filter((p) => p.kind !== 'basket-threshold');
  const basketPromotions = promotions.filter((p) => p.kind === 'basket-threshold');

  for (const promotion of [...itemPromotions, ...basketPromotions]) {
    const before = units.reduce((sum, unit) => sum + unit.remaining, 0);
    const eligible = (unit: Unit, target: PromotionTarget) =>
      matches(lines[unit.line]!, target) &&
      unit.heldBy === null &&
      (promotion.stackable || !unit.discounted) &&
      unit.remaining > 0;
    switch (promotion.kind) {
      case 'item-percent':
        for (const unit of units.filter((u) => eligible(u, promotion.target))) {
          record(promotion, unit, scaleRounded(unit.remaining, promotion.rate, RATE_SCALE, 'half-up'));
        }
        break;
      case 'item-amount':
        for (const unit of units.filter((u) => eligible(u, promotion.target))) {
          record(promotion, unit, Math.min(promotion.amount, unit.remaining));
        }
        break;
      case 'buy-x-get-y': {
        const used = new Set<Unit>();
        const dearestFirst = (a: Unit, b: Unit) => b.remaining - a.remaining || a.line - b.line;
        for (;;) {
          const buys = units
            .filter((u) => !used.has(u) && eligible(u, promotion.buy.target))
            .sort(dearestFirst)
            .slice(0, promotion.buy.quantity);
          if (buys.length < promotion.buy.quantity) break;
          const gets = units
            .filter((u) => !used.has(u) && !buys.includes(u) && eligible(u, promotion.get.target))
            .sort((a, b) => -dearestFirst(a, b))
            .slice(0, promotion.get.quantity);
          if (gets.length < promotion.get.quantity) break;
          // Each round must take at least one unit, or quantities of zero would loop forever.
          if (buys.length + gets.length === 0) break;
          for (const unit of buys) {
            used.add(unit);
            if (!promotion.stackable) unit.heldBy = promotion.id;
          }
          for (const unit of gets) {
            used.add(unit);
            record(promotion, unit, scaleRounded(unit.remaining, promotion.get.rate, RATE_SCALE, 'half-up'));
          }
        }
        break;
      }
      case 'mix-and-match': {
        const candidates = units
          .filter((u) => eligible(u, promotion.target))
          .sort((a, b) => b.remaining - a.remaining || a.line - b.line);
        for (let i = 0; i + promotion.quantity <= candidates.length; i += promotion.quantity) {
          const group = candidates.slice(i, i + promotion.quantity);
          const price = group.reduce((sum, unit) => sum + unit.remaining, 0);
          const discount = price - promotion.bundlePrice;
          if (discount <= 0) break;
          allocate(
            discount,
            group.map((unit) => unit.remaining),
          ).forEach((amount, k) => {
            record(promotion, group[k]!, amount);
          });
        }
        break;
      }
      case 'basket-threshold': {
        const open = units.filter(
          (u) => u.heldBy === null && (promotion.stackable || !u.discounted) && u.remaining > 0,
        );
        const base = open.reduce((sum, unit) => sum + unit.remaining, 0);
        if (base < promotion.minimum || base === 0) break;
        const discount =
          promotion.discount.kind === 'percent'
            ? scaleRounded(base, promotion.discount.rate, RATE_SCALE, 'half-up')
            : Math.min(promotion.discount.amount, base);
        allocate(
          discount,
          open.map((unit) => unit.remaining),
        ).forEach((amount, k) => {
          record(promotion, open[k]!, amount);
        });
        break;
      }
      default: {
        const unreachable: never = promotion;
        throw new Error(`unknown promotion kind ${JSON.stringify(unreachable)}`);
      }
    }
    const amount = before - units.reduce((sum, unit) => sum + unit.remaining, 0);
    if (amount > 0) applied.push({ promotionId: promotion.id, name: promotion.name, amount });
  }
  return { lineDiscounts, applied, total: applied.reduce((sum, p) => sum + p.amount, 0) };
}

function matches(line: PromotableLine, target: PromotionTarget): boolean {
  return (
    (target.productIds?.includes(line.productId) ?? false) ||
    (target.tags?.some((tag) => line.tags.includes(tag)) ?? false)
  );
}

export function conditionsHold(
  conditions: PromotionConditions | undefined,
  context: PromotionContext,
): boolean {
  if (!conditions) return true;
  const at = Date.parse(context.at);
  if (conditions.from && at < Date.parse(conditions.from)) return false;
  if (conditions.until && at >= Date.parse(conditions.until)) return false;
  if (conditions.stores && !conditions.stores.includes(context.storeId)) return false;
  if (conditions.channels && !conditions.channels.includes(context.channel)) return false;
  if (!conditions.daysOfWeek && !conditions.minutesOfDay) return true;
  // Windows are wall-clock readings: what the store's clock shows at the sale, whatever DST did (decision 0011).
  const local = localDateTime(at, context.timeZone);
  if (conditions.daysOfWeek && !conditions.daysOfWeek.includes(local.weekday)) return false;
  if (conditions.minutesOfDay) {
    const minute = local.hour * 60 + local.minute;
    const { from, to } = conditions.minutesOfDay;
    // A window that ends before it starts runs across midnight (22:00–02:00).
    const inside = from <= to ? minute >= from && minute < to : minute >= from || minute < to;
    if (!inside) return false;
  }
  return true;
}
