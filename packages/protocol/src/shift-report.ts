import { z } from 'zod';
import { ShiftClosePayloadV1, ShiftOpenPayloadV1, TenderKind } from './business-payloads.js';
import { Identifier, IsoTimestamp, MinorUnits } from './primitives.js';

const Count = z.number().int().nonnegative();

/**
 * The X report of an open shift or the Z report of a closed one: what the ledger's `shiftReport` projection computes
 * from the journal alone, and what the receipt layouts print. Amounts are minor units of `currency`; times are the
 * journal's UTC instants.
 */
export const ShiftReport = z.strictObject({
  shiftId: ShiftOpenPayloadV1.shape.shiftId,
  staffId: ShiftOpenPayloadV1.shape.staffId,
  currency: ShiftOpenPayloadV1.shape.currency,
  openedAt: IsoTimestamp,
  closedAt: IsoTimestamp.nullable(),
  sales: z.strictObject({
    count: Count,
    subtotal: MinorUnits,
    discountTotal: MinorUnits,
    taxTotal: MinorUnits,
    total: MinorUnits,
  }),
  returns: z.strictObject({ count: Count, total: MinorUnits }),
  voids: z.strictObject({ count: Count, total: MinorUnits }),
  noSales: Count,
  /** Tax collected per rate: sales, less returns and voided sales. */
  taxes: z.array(z.strictObject({ code: Identifier, amount: MinorUnits })),
  /** Per tender: taken on sales (voids deducted), refunded on returns, and the net. */
  tenders: z.array(
    z.strictObject({ kind: TenderKind, taken: MinorUnits, refunded: MinorUnits, net: MinorUnits }),
  ),
  cash: z.strictObject({
    openingFloat: MinorUnits,
    sales: MinorUnits,
    refunds: MinorUnits,
    paidIn: MinorUnits,
    paidOut: MinorUnits,
    drops: MinorUnits,
    expected: MinorUnits,
  }),
  /** Present once the shift is closed (the Z report): counted against expected, over or short per tender. */
  close: ShiftClosePayloadV1.pick({ counted: true, expected: true, overShort: true }).nullable(),
});
export type ShiftReport = z.infer<typeof ShiftReport>;
