import type { SaleQuote } from '../contract/methods.js';
import type { CartLine } from './cart-db.js';
import { money } from './words.js';

/** A percentage typed by a person ("30", "12.5", "7,5"): 0.0001 to 100, as a rate in millionths; else null. */
export function parsePercent(text: string): number | null {
  const trimmed = text.trim().replace(',', '.').replace(/\s*%$/, '');
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(trimmed)) return null;
  const [whole = '0', fraction = ''] = trimmed.split('.');
  const rate = Number(whole) * 10_000 + Number(fraction.padEnd(4, '0'));
  return rate >= 1 && rate <= 1_000_000 ? rate : null;
}

/** A rate in millionths as a person reads it: "30 %", "12.5 %". */
export const percentWords = (rate: number) => `${Number((rate / 10_000).toFixed(4))} %`;

type QuotedLine = SaleQuote['lines'][number];

/** One adjustment on a cart line as the screen shows it: what, by whom or why, and how much. */
export interface AdjustmentView {
  kind: 'promotion' | 'discount' | 'override';
  text: string;
  amount: string | null;
}

/**
 * What the screen shows under a cart line: the override (the listed price struck through elsewhere), each promotion
 * by name, the manual discount with its size and reason. The basket discount's share is shown once, under the lines.
 */
export function lineAdjustments(
  line: CartLine,
  quoted: QuotedLine | undefined,
  currency: string,
): AdjustmentView[] {
  const views: AdjustmentView[] = [];
  if (line.priceOverride) {
    views.push({
      kind: 'override',
      text: `Price override: ${line.priceOverride.reason}`,
      amount: null,
    });
  }
  for (const adjustment of quoted?.adjustments ?? []) {
    if (adjustment.source === 'manual-basket') continue;
    const amount = `−${money(adjustment.amount, currency)}`;
    if (adjustment.source === 'promotion') {
      views.push({ kind: 'promotion', text: `Promotion: ${adjustment.label}`, amount });
    } else {
      const size =
        line.discount?.discount.kind === 'percent' ? ` ${percentWords(line.discount.discount.rate)}` : '';
      views.push({ kind: 'discount', text: `Discount${size}: ${adjustment.label}`, amount });
    }
  }
  return views;
}

/** The basket discount as the screen shows it under the lines: its size, reason and total; null when none. */
export function basketDiscountWords(
  basket: CartLine['discount'] | undefined,
  quote: SaleQuote | null,
  currency: string,
): { text: string; amount: string | null } | null {
  if (!basket) return null;
  const size = basket.discount.kind === 'percent' ? ` ${percentWords(basket.discount.rate)}` : '';
  const total = quote?.lines.reduce(
    (sum, line) =>
      sum + line.adjustments.filter((a) => a.source === 'manual-basket').reduce((s, a) => s + a.amount, 0),
    0,
  );
  return {
    text: `Basket discount${size}: ${basket.reason}`,
    amount: total === undefined ? null : `−${money(total, currency)}`,
  };
}
