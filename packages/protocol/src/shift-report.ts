import { z } from 'zod';
import { CashMovementPayloadV2, ShiftClosePayloadV2, TenderKind } from './business-payloads.js';
import { CurrencyCode, Identifier, IsoTimestamp, MinorUnits, UuidV7 } from './primitives.js';
import { DenominationCount } from './shift-payloads.js';

const Count = z.number().int().nonnegative();

/** A cash drop, paid in or paid out of the shift, as journaled. */
export const ShiftCashMovement = z.strictObject({
  eventId: UuidV7,
  type: z.enum(['cash-drop', 'paid-in', 'paid-out']),
  amount: CashMovementPayloadV2.shape.amount,
  reason: CashMovementPayloadV2.shape.reason,
  employeeId: Identifier,
  approvalId: UuidV7.nullable(),
  occurredAt: IsoTimestamp,
});
export type ShiftCashMovement = z.infer<typeof ShiftCashMovement>;

/**
 * The X report of an open shift or the Z report of a closed one: what the ledger's `shiftReport` projection computes
 * from the journal alone, and what the receipt layouts print. Amounts are minor units of `currency`; times are the
 * journal's UTC instants. Training sales are never in it.
 */
export const ShiftReport = z.strictObject({
  shiftId: UuidV7,
  /** The employee who opened the shift, and who closed it (null while open). */
  openedBy: Identifier,
  closedBy: Identifier.nullable(),
  currency: CurrencyCode,
  openedAt: IsoTimestamp,
  closedAt: IsoTimestamp.nullable(),
  /** The opening float by denomination; null for a shift opened before counts were recorded. */
  floatCount: z.array(DenominationCount).max(40).nullable(),
  /**
   * The shift's sales net of voided ones: a voided sale leaves every figure here (its count included) and shows
   * under `voids`, so `sales`, `taxes` and `tenders` agree (with no returns, Σ taxes = `sales.taxTotal`).
   */
  sales: z.strictObject({
    count: Count,
    subtotal: MinorUnits,
    discountTotal: MinorUnits,
    taxTotal: MinorUnits,
    total: MinorUnits,
  }),
  returns: z.strictObject({ count: Count, total: MinorUnits }),
  /** The sales of the shift voided after they were completed: their count and total, already out of `sales`. */
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
  /** Every cash drop, paid in and paid out of the shift, in journal order. */
  movements: z.array(ShiftCashMovement),
  /**
   * Present once the shift is closed (the Z report): counted against expected, over or short per tender, the cash
   * counted by denomination (null before counts were recorded) and whether the count was blind.
   */
  close: z
    .strictObject({
      counted: ShiftClosePayloadV2.shape.counted,
      expected: ShiftClosePayloadV2.shape.expected,
      overShort: ShiftClosePayloadV2.shape.overShort,
      cashCount: z.array(DenominationCount).max(40).nullable(),
      blind: z.boolean(),
    })
    .nullable(),
});
export type ShiftReport = z.infer<typeof ShiftReport>;
