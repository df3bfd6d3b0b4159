import { z } from 'zod';
import { ReturnPayloadV2 } from './business-payloads.js';
import { LineMeasureV1 } from './line-measure.js';

/**
 * Return v3 (issue #17): each returned line may carry the measure of the weighed sale line it returns. A weighed line
 * is returned whole: quantity 1, with the weight and price per unit it was sold at. null on any other line.
 */
const ReturnLineV3 = ReturnPayloadV2.shape.lines.element
  .extend({ measure: LineMeasureV1.nullable() })
  .refine((line) => line.measure === null || line.quantity === 1, {
    message: 'a weighed line is returned whole, as quantity 1',
    path: ['quantity'],
  });
export const ReturnPayloadV3 = ReturnPayloadV2.extend({ lines: z.array(ReturnLineV3).min(1).max(1000) });
export type ReturnPayloadV3 = z.infer<typeof ReturnPayloadV3>;
