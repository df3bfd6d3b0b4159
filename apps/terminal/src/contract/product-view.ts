import { Barcode, CurrencyCode, Identifier, NonNegativeMinorUnits } from '@tillwright/protocol';
import { z } from 'zod';

/** A catalog product as the screen shows it: found by barcode, by name or on a quick key. */
export const ProductView = z.strictObject({
  productId: Identifier,
  sku: Identifier,
  name: z.string(),
  barcode: Barcode.nullable(),
  currency: CurrencyCode,
  /** Per unit; for a weighed item per kilogram (`measure` kg) or per pound (lb). */
  unitPrice: NonNegativeMinorUnits,
  /** How it is sold: by the unit, or weighed (the screen asks the weight when the barcode did not carry it). */
  measure: z.enum(['unit', 'kg', 'lb']),
  /** An open-price item: the screen asks its price, within these limits (minor units). */
  openPrice: z.strictObject({ min: NonNegativeMinorUnits, max: NonNegativeMinorUnits }).nullable(),
  /** Age-restricted: the screen asks the cashier to check the customer is at least this old before adding it. */
  minimumAge: z.number().int().min(1).max(99).nullable(),
  /**
   * What a price- or weight-embedded barcode carried (the store's barcode rules): the weight, or the price of the
   * item as labelled. null for any other barcode or a product found by name.
   */
  embedded: z
    .discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('weight'),
        unit: z.enum(['g', 'mlb']),
        value: z.number().int().positive(),
      }),
      z.strictObject({ kind: z.literal('price'), amount: NonNegativeMinorUnits }),
    ])
    .nullable(),
});
export type ProductView = z.infer<typeof ProductView>;
