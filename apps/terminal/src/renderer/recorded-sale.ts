import { formatMinorUnits } from '@tillwright/commerce';
import type { RecordedSale } from '../contract/methods.js';
import type { CartLine } from './cart-db.js';

export interface AfterRecordedSale {
  /** The cart's items the recorded sale did not sell: the new sale. */
  newLines: CartLine[];
  /** Items the recorded sale sold that the cart no longer holds (a line removed or shortened after the Pay). */
  notInCart: { name: string; quantity: number }[];
}

/**
 * What is left of a cart once a sale under its id turned out to be recorded already: per product, the cart's
 * quantity less the quantity the recorded sale sold of it, never below zero. The recorded quantity is taken from the
 * cart's lines of that product in cart order; a line keeps its id, name and price with what is left of its quantity,
 * and a line with nothing left goes. Counting by product, not by line id, means a line removed and scanned again
 * after the Pay is not sold twice.
 */
export function afterRecordedSale(
  cart: readonly CartLine[],
  recorded: { lines: readonly { productId: string; name: string; quantity: number }[] },
): AfterRecordedSale {
  const toTake = new Map<string, number>();
  for (const line of recorded.lines) {
    toTake.set(line.productId, (toTake.get(line.productId) ?? 0) + line.quantity);
  }
  const newLines: CartLine[] = [];
  for (const line of cart) {
    const taken = Math.min(line.quantity, toTake.get(line.productId) ?? 0);
    if (taken > 0) toTake.set(line.productId, (toTake.get(line.productId) ?? 0) - taken);
    if (line.quantity > taken) newLines.push({ ...line, quantity: line.quantity - taken });
  }
  const notInCart: AfterRecordedSale['notInCart'] = [];
  for (const [productId, quantity] of toTake) {
    if (quantity <= 0) continue;
    const name = recorded.lines.find((line) => line.productId === productId)?.name ?? productId;
    notInCart.push({ name, quantity });
  }
  return { newLines, notInCart };
}

/** What the cashier is told when items added while Pay went through became the next sale. */
export function addedDuringPayNotice(lines: readonly { name: string; quantity: number }[]): string {
  return `Added while Pay went through, now a new sale: ${lines.map((line) => `${line.name} × ${line.quantity}`).join(', ')}`;
}

/**
 * What the cashier is told, one line each: what the recorded sale sold and paid, what became the new sale, and what
 * it sold that the cart no longer holds.
 */
export function recordedSaleNotice(recorded: RecordedSale, after: AfterRecordedSale): string {
  const { sale } = recorded;
  const money = (amount: number) => `${sale.currency} ${formatMinorUnits(amount, sale.currency)}`;
  const items = (lines: readonly { name: string; quantity: number }[]) =>
    lines.map((line) => `${line.name} × ${line.quantity}`).join(', ');
  const lines = [
    `Pay had already gone through for this cart: receipt ${sale.receiptNumber}, ${items(recorded.lines)}, ` +
      `total ${money(sale.total)}, change ${money(sale.change)}.`,
    after.newLines.length > 0
      ? `Added after that Pay, now a new sale: ${items(after.newLines)}. Take payment for it.`
      : 'Nothing was added after that Pay.',
  ];
  if (after.notInCart.length > 0) {
    lines.push(
      `Sold on that receipt but no longer in the cart: ${items(after.notInCart)}. ` +
        'If the customer does not take it, make a return.',
    );
  }
  return lines.join('\n');
}
