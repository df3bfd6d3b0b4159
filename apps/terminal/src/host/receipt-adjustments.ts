import { formatMinorUnits } from '@tillwright/commerce';
import type { LatestEvent } from '@tillwright/protocol';
import type { ReceiptDiscount, ReceiptItem } from '@tillwright/receipts';

type SalePayload = LatestEvent<'sale'>['payload'];
type SaleLine = SalePayload['lines'][number];

/**
 * A sale's lines and basket discount as its customer receipt prints them: each promotion by its name; a manual line
 * discount as "Discount 10 %: loyal customer" (the percent when the amount is one, else the reason alone); a price
 * override as the listed price with "Price override (was 4.99): damaged box" taking off the difference; the
 * basket discount once, under the subtotal, instead of its share on every line.
 */
export function receiptAdjustments(sale: SalePayload): {
  items: ReceiptItem[];
  discounts: ReceiptDiscount[];
} {
  const promotionName = (ref: string) => sale.promotions.find((p) => p.promotionId === ref)?.name ?? ref;
  const money = (amount: number) => formatMinorUnits(amount, sale.currency);
  const basket = new Map<string, number>();
  const items = sale.lines.map((line): ReceiptItem => {
    const discounts: ReceiptDiscount[] = [];
    let unitPrice = line.unitPrice;
    let amount = line.extended;
    if (isOverridden(line)) {
      unitPrice = line.catalogUnitPrice;
      amount = line.catalogUnitPrice * line.quantity;
      discounts.push({
        label: `Price override (was ${money(line.catalogUnitPrice)}): ${line.overrideReason}`,
        amount: amount - line.extended,
      });
    }
    let base = line.extended;
    for (const adjustment of line.adjustments) {
      if (adjustment.source === 'promotion') {
        discounts.push({ label: promotionName(adjustment.ref), amount: adjustment.amount });
      } else if (adjustment.source === 'manual-line') {
        discounts.push({
          label: discountLabel('Discount', adjustment.amount, base, adjustment.ref),
          amount: adjustment.amount,
        });
      } else {
        basket.set(adjustment.ref, (basket.get(adjustment.ref) ?? 0) + adjustment.amount);
      }
      base -= adjustment.amount;
    }
    // A weighed line prints its weight × the price per kg/lb ("0.512 kg x 3.99"): the receipts package prints a
    // measured quantity with 3 decimals.
    const sold = line.measure
      ? {
          quantity: line.measure.value / 1000,
          unit: line.measure.unit === 'g' ? 'kg' : 'lb',
          unitPrice: line.measure.pricePerUnit,
        }
      : { quantity: line.quantity, unitPrice };
    return { name: line.name, ...sold, amount, discounts };
  });
  const basketBase = sale.lines.reduce(
    (sum, line) =>
      sum +
      line.extended -
      line.adjustments.filter((a) => a.source !== 'manual-basket').reduce((s, a) => s + a.amount, 0),
    0,
  );
  const discounts = [...basket].map(([reason, amount]) => ({
    label: discountLabel('Basket discount', amount, basketBase, reason),
    amount,
  }));
  return { items, discounts };
}

/** A unit-priced product line whose price was overridden (weighed and keyed prices print as they are). */
function isOverridden(line: SaleLine): boolean {
  return (
    line.overrideReason !== null &&
    line.kind === 'product' &&
    line.measure === null &&
    line.unitPrice !== line.catalogUnitPrice
  );
}

/** "Discount 10 %: reason" when the amount is a whole percent of what it reduced (half up), else "Discount: reason". */
function discountLabel(what: string, amount: number, base: number, reason: string): string {
  if (base <= 0) return `${what}: ${reason}`;
  const percent = Math.round((amount * 100) / base);
  const exact = percent > 0 && Math.floor((base * percent * 2 + 100) / 200) === amount;
  return exact ? `${what} ${percent} %: ${reason}` : `${what}: ${reason}`;
}
