import { formatMinorUnits } from '@tillwright/commerce';
import type { RecordedSale } from '../contract/methods.js';
import type { CartLine } from './cart-db.js';

export interface AfterRecordedSale {
  /** The cart's items the recorded sale did not sell: the new sale. */
  newLines: CartLine[];
  /** Items the recorded sale sold that the cart no longer holds (a line removed or shortened after the Pay). */
  notInCart: { name: string; quantity: number }[];
}

/** A line as `afterRecordedSale` counts it: a product, or a custom line by what the cashier typed. */
interface CountedLine {
  productId: string;
  name: string;
  quantity: number;
  custom?: { description: string; amount: number } | undefined;
}

/**
 * What the same item is: a catalog product by its id; a custom line (every one has product id `custom`) by its
 * description and amount, so an engraving is not taken for the gift wrap a recorded sale sold.
 */
function itemKey(line: CountedLine): string {
  return line.custom
    ? JSON.stringify(['custom', line.custom.description, line.custom.amount])
    : line.productId;
}

/**
 * What is left of a cart once a sale under its id turned out to be recorded already: per item, the cart's
 * quantity less the quantity the recorded sale sold of it, never below zero. The recorded quantity is taken from the
 * cart's lines of that item in cart order; a line keeps its id, name and price with what is left of its quantity,
 * and a line with nothing left goes. Counting by item (product, or a custom line's description and amount), not by
 * line id, means a line removed and scanned again after the Pay is not sold twice.
 */
export function afterRecordedSale(
  cart: readonly CartLine[],
  recorded: { lines: readonly CountedLine[] },
): AfterRecordedSale {
  const toTake = new Map<string, number>();
  for (const line of recorded.lines) {
    toTake.set(itemKey(line), (toTake.get(itemKey(line)) ?? 0) + line.quantity);
  }
  const newLines: CartLine[] = [];
  for (const line of cart) {
    const key = itemKey(line);
    const taken = Math.min(line.quantity, toTake.get(key) ?? 0);
    if (taken > 0) toTake.set(key, (toTake.get(key) ?? 0) - taken);
    if (line.quantity > taken) newLines.push({ ...line, quantity: line.quantity - taken });
  }
  const notInCart: AfterRecordedSale['notInCart'] = [];
  for (const [key, quantity] of toTake) {
    if (quantity <= 0) continue;
    const name = recorded.lines.find((line) => itemKey(line) === key)?.name ?? key;
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
