import { z } from 'zod';
import { CurrencyCode, Identifier, MinorUnits, NonNegativeMinorUnits, UuidV7 } from './primitives.js';

/**
 * Payloads of every journal event but the sale, version 1. Each business fact is its own event; a correction is a
 * new event that refers to the one it corrects, never an edit.
 */
const Reason = z.string().min(1).max(200);
const StaffId = z.string().min(1).max(64);
/** How a sale is paid and a return refunded. */
export const TenderKind = z.enum(['cash', 'card', 'gift-card', 'store-credit']);
export type TenderKind = z.infer<typeof TenderKind>;
const TaxAmounts = z.array(z.strictObject({ code: Identifier, amount: MinorUnits })).max(10);

export const ReturnPayloadV1 = z.strictObject({
  /** The sale being returned from: its event id, and where it was rung up (another store for a cross-store return). */
  originalSaleId: UuidV7,
  originalStoreId: Identifier,
  originalTerminalId: Identifier,
  currency: CurrencyCode,
  lines: z
    .array(
      z.strictObject({
        lineId: Identifier,
        productId: Identifier,
        quantity: z.number().int().positive(),
        net: MinorUnits,
        taxes: TaxAmounts,
        total: MinorUnits,
      }),
    )
    .min(1)
    .max(1000),
  taxes: TaxAmounts,
  total: MinorUnits,
  refunds: z
    .array(
      z.strictObject({
        /** Which tender of the original sale this refund goes back to. */
        tenderIndex: z.number().int().nonnegative().max(19),
        kind: TenderKind,
        ref: z.string().min(1).max(128).nullable(),
        amount: NonNegativeMinorUnits,
        paidOut: NonNegativeMinorUnits,
      }),
    )
    .min(1)
    .max(20),
  cashRounding: MinorUnits,
  reason: Reason,
  /** How the return was allowed: from the local journal, by the server's signed token, or by a manager offline. */
  authorization: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('local-journal') }),
    z.strictObject({ kind: z.literal('server-token'), token: z.string().min(1).max(2048) }),
    z.strictObject({ kind: z.literal('manager-override'), approvedBy: StaffId }),
  ]),
});
export type ReturnPayloadV1 = z.infer<typeof ReturnPayloadV1>;

/** A post-void: a completed sale cancelled within its shift (money handed back), by a manager. */
export const VoidPayloadV1 = z.strictObject({
  voidedEventId: UuidV7,
  reason: Reason,
  approvedBy: StaffId,
});
export type VoidPayloadV1 = z.infer<typeof VoidPayloadV1>;

/** The drawer opened without a sale. */
export const NoSalePayloadV1 = z.strictObject({ reason: Reason, staffId: StaffId });
export type NoSalePayloadV1 = z.infer<typeof NoSalePayloadV1>;

export const ShiftOpenPayloadV1 = z.strictObject({
  shiftId: UuidV7,
  staffId: StaffId,
  currency: CurrencyCode,
  openingFloat: NonNegativeMinorUnits,
});
export type ShiftOpenPayloadV1 = z.infer<typeof ShiftOpenPayloadV1>;

const TenderAmounts = z.array(z.strictObject({ kind: TenderKind, amount: MinorUnits })).max(10);

export const ShiftClosePayloadV1 = z.strictObject({
  shiftId: UuidV7,
  staffId: StaffId,
  /** What the journal says each tender should hold, computed when the shift closed. */
  expected: TenderAmounts,
  counted: TenderAmounts,
  /** counted − expected per tender: positive is over, negative is short. */
  overShort: TenderAmounts,
});
export type ShiftClosePayloadV1 = z.infer<typeof ShiftClosePayloadV1>;

/** Cash taken out to the safe (drop), or paid in or out of the drawer for a reason. */
export const CashMovementPayloadV1 = z.strictObject({
  shiftId: UuidV7,
  currency: CurrencyCode,
  amount: NonNegativeMinorUnits,
  reason: Reason,
  staffId: StaffId,
  approvedBy: StaffId.nullable(),
});
export type CashMovementPayloadV1 = z.infer<typeof CashMovementPayloadV1>;

export const PriceOverridePayloadV1 = z.strictObject({
  saleId: UuidV7,
  lineId: Identifier,
  productId: Identifier,
  fromUnitPrice: NonNegativeMinorUnits,
  toUnitPrice: NonNegativeMinorUnits,
  reason: Reason,
  approvedBy: StaffId.nullable(),
});
export type PriceOverridePayloadV1 = z.infer<typeof PriceOverridePayloadV1>;

export const ManagerApprovalPayloadV1 = z.strictObject({
  approvalId: UuidV7,
  managerId: StaffId,
  action: z.enum([
    'price-override',
    'line-discount',
    'basket-discount',
    'void',
    'no-sale',
    'return',
    'cash-movement',
    'cross-store-return-offline',
  ]),
  /** What was approved: a sale id, a line, or a free-text subject. */
  subject: z.string().min(1).max(200),
  reason: Reason,
});
export type ManagerApprovalPayloadV1 = z.infer<typeof ManagerApprovalPayloadV1>;
