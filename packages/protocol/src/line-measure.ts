import { z } from 'zod';
import { NonNegativeMinorUnits } from './primitives.js';

/**
 * How much of a weighed item a line sold (issue #17): an integer in grams (`g`) or thousandths of a pound (`mlb`),
 * never a float, with the price per kilogram or per pound it was sold at. The line is then one unit whose
 * `catalogUnitPrice` is `value × pricePerUnit / 1000` rounded half up to the minor unit (commerce `weighedAmount`).
 */
export const LineMeasureV1 = z.strictObject({
  unit: z.enum(['g', 'mlb']),
  value: z.number().int().positive().max(1_000_000),
  pricePerUnit: NonNegativeMinorUnits.max(1_000_000_000),
  /** Read from a scale, from a weight-embedded barcode, or keyed by the cashier where no scale is configured. */
  source: z.enum(['scale', 'barcode', 'manual']),
});
export type LineMeasureV1 = z.infer<typeof LineMeasureV1>;
