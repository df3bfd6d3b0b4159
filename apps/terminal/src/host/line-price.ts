import { formatMinorUnits } from '@tillwright/commerce';
import type { CatalogEntry } from '@tillwright/ledger';
import type { SaleLineRequest } from '../contract/methods.js';
import type { WeightContext } from './line-weight.js';
import { readEmbedded } from './product-lookup.js';
import { HostError } from './rpc-dispatcher.js';

/**
 * The unit price the cashier keyed, for a line that may carry one (decision 0019): an open-price product's, within
 * its limits; or the price a price-embedded label carries (the line keeps the label's barcode, so HQ can read it
 * again). Null when the line is sold at its catalog price. A keyed price on any other product is refused.
 */
export function enteredPrice(
  line: SaleLineRequest,
  product: CatalogEntry,
  context: WeightContext,
): number | null {
  const limits = product.openPrice;
  if (limits !== null && product.measure === 'unit') {
    if (line.enteredPrice === undefined) {
      throw new HostError('price_required', `${product.name} has no fixed price: key its price`, false);
    }
    if (line.enteredPrice < limits.min || line.enteredPrice > limits.max) {
      const money = (amount: number) => `${formatMinorUnits(amount, product.currency)} ${product.currency}`;
      throw new HostError(
        'price_out_of_range',
        `${product.name} may be sold for ${money(limits.min)} to ${money(limits.max)}: key a price in that range`,
        false,
      );
    }
    return line.enteredPrice;
  }
  if (line.enteredPrice === undefined) return null;
  const label =
    line.barcode !== null && context.barcodeRegion !== null
      ? readEmbedded(context, line.barcode, context.barcodeRegion)
      : null;
  if (
    label?.embedded.kind === 'price' &&
    label.product.productId === product.productId &&
    label.embedded.amount === line.enteredPrice
  ) {
    return line.enteredPrice;
  }
  throw new HostError(
    'price_not_open',
    `${product.name} is sold at its catalog price: add it without a price (a price change is a price override)`,
    false,
  );
}
