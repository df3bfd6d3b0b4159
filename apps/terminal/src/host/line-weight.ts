import { weighedAmount } from '@tillwright/commerce';
import type { CatalogEntry } from '@tillwright/ledger';
import type { LineMeasureV1 } from '@tillwright/protocol';
import type { SaleLineRequest } from '../contract/methods.js';
import { readEmbedded } from './product-lookup.js';
import { HostError } from './rpc-dispatcher.js';

/** What a line's weight resolves to: the line's unit price (the weighed amount) and the measure the journal keeps. */
export interface WeighedPrice {
  unitPrice: number;
  measure: LineMeasureV1;
}

export interface WeightContext {
  /** The store's barcode rules (terminal config `barcodeRegion`), to read a weight-embedded label again. */
  barcodeRegion: string | null;
  findByBarcode: (barcode: string) => CatalogEntry | null;
}

const UNIT_OF = { kg: 'g', lb: 'mlb' } as const;

/**
 * A weighed product's line (decision 0019): one weighing, quantity 1, in grams for a product priced per kilogram or
 * thousandths of a pound for one priced per pound (no conversion between them), priced `weighedAmount(weight,
 * price per kg/lb)`. A weight from a barcode must be what that label carries for this product; there is no scale
 * yet. A product sold by the unit refuses a weight. Null for a unit product's line without one.
 */
export function weighedPrice(
  line: SaleLineRequest,
  product: CatalogEntry,
  context: WeightContext,
): WeighedPrice | null {
  if (product.measure === 'unit') {
    if (line.measure) {
      throw new HostError(
        'not_sold_by_weight',
        `${product.name} is sold by the unit, not by weight: add it without a weight`,
        false,
      );
    }
    return null;
  }
  const per = product.measure;
  if (!line.measure) {
    throw new HostError(
      'weight_required',
      `${product.name} is sold by the ${per}: weigh it or key its weight`,
      false,
    );
  }
  if (line.quantity !== 1) {
    throw new HostError(
      'weighed_quantity',
      `${product.name} is weighed: each weighing is one line of quantity 1; weigh the rest as another line`,
      false,
    );
  }
  const unit = UNIT_OF[per];
  if (line.measure.unit !== unit) {
    throw new HostError(
      'weight_unit_mismatch',
      `${product.name} is priced per ${per}: key its weight in ${per === 'kg' ? 'kilograms' : 'pounds'}`,
      false,
    );
  }
  if (line.measure.source === 'scale') {
    throw new HostError('no_scale', 'This till has no scale configured: key the weight instead', false);
  }
  if (line.measure.source === 'barcode') {
    const label =
      line.barcode !== null && context.barcodeRegion !== null
        ? readEmbedded(context, line.barcode, context.barcodeRegion)
        : null;
    const carried = label?.embedded.kind === 'weight' ? label.embedded : null;
    if (!carried || label?.product.productId !== product.productId || carried.value !== line.measure.value) {
      throw new HostError(
        'barcode_weight_mismatch',
        `The label's barcode does not carry this weight of ${product.name}: scan the label again or key the weight`,
        false,
      );
    }
  }
  return {
    unitPrice: weighedAmount(line.measure.value, product.price),
    measure: { ...line.measure, pricePerUnit: product.price },
  };
}
