import { currencyExponent } from '@tillwright/commerce';
import { parseVariableMeasure } from '@tillwright/devices';
import type { CatalogEntry } from '@tillwright/ledger';
import type { ProductView } from '../contract/methods.js';

/** What a variable-measure barcode carried, as the screen and the host read it. */
export type Embedded = NonNullable<ProductView['embedded']>;

/** A catalog entry as the screen shows it; `barcode` is the one scanned, null when found by name. */
export function productView(
  product: CatalogEntry,
  barcode: string | null,
  embedded: Embedded | null = null,
): ProductView {
  return {
    productId: product.productId,
    sku: product.sku,
    name: product.name,
    barcode,
    currency: product.currency,
    unitPrice: product.price,
    measure: product.measure,
    openPrice: product.openPrice,
    minimumAge: product.minimumAge,
    embedded,
  };
}

export interface LookupSource {
  findByBarcode: (barcode: string) => CatalogEntry | null;
}

/**
 * A scanned or typed barcode against the till's catalog. With the store's barcode region set (terminal config
 * `barcodeRegion`), a price- or weight-embedded EAN-13 (RCN, decision 0019) is looked up by its item code (the
 * barcode with the value zeroed, `lookupGtin`) and answers the product with what the label carried: a weight in
 * grams for a product sold by the kilogram, or the label's price in minor units. Any other barcode, or one whose
 * label does not fit its product, is looked up as it is.
 */
export function lookupProduct(
  source: LookupSource,
  barcode: string,
  region: string | null,
): ProductView | null {
  const embedded = region === null ? null : readEmbedded(source, barcode, region);
  if (embedded) return productView(embedded.product, barcode, embedded.embedded);
  const product = source.findByBarcode(barcode);
  return product ? productView(product, barcode) : null;
}

/** The product and value a variable-measure barcode names, or null when it is not one the store's rules read. */
export function readEmbedded(
  source: LookupSource,
  barcode: string,
  region: string,
): { product: CatalogEntry; embedded: Embedded } | null {
  const parsed = parseVariableMeasure(barcode, region);
  if (!parsed.ok) return null;
  const { measure, units, decimals, lookupGtin } = parsed.measure;
  // A zeroed value is the item code itself, as HQ lists it: the product, with nothing carried.
  if (units === 0) return null;
  const product = source.findByBarcode(lookupGtin);
  if (!product) return null;
  if (measure === 'weight') {
    // The label's weight is in kilograms with `decimals` places: grams are exact for 0 to 3 places.
    if (product.measure !== 'kg' || decimals > 3) return null;
    return { product, embedded: { kind: 'weight', unit: 'g', value: units * 10 ** (3 - decimals) } };
  }
  if (measure === 'price') {
    if (product.measure !== 'unit' || product.openPrice !== null) return null;
    const exponent = currencyExponent(product.currency);
    if (decimals > exponent) return null;
    return { product, embedded: { kind: 'price', amount: units * 10 ** (exponent - decimals) } };
  }
  return null;
}
