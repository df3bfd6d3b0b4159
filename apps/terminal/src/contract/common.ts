import {
  Barcode,
  EmployeeId,
  EmployeeNumber,
  Identifier,
  NonNegativeMinorUnits,
  Pin,
  printableName,
  UuidV7,
} from '@tillwright/protocol';
import { z } from 'zod';

/**
 * What the contract's methods share: print outcomes, a manager's approval, the reason typed for an action, a sale line
 * as the renderer asks for it.
 */

export const PrintOutcome = z.enum(['not-sent', 'partial', 'sent-unconfirmed', 'confirmed', 'skipped']);

/** Another employee's number and PIN, given on the same screen to approve what the signed-in one may not do alone. */
export const ApprovalCredentials = z.strictObject({ number: EmployeeNumber, pin: Pin });
export type ApprovalCredentials = z.infer<typeof ApprovalCredentials>;

export const WithApproval = z.strictObject({ approval: ApprovalCredentials.optional() });

/** Why the drawer is opened, cash moved or a sale voided: typed or picked, printable text only. */
export const ActionReason = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^\P{Cc}*$/u, 'printable text only');

/** A manual discount: a rate in millionths (100_000 = 10 %) or an amount in minor units, with why. */
export const ManualDiscountRequest = z.strictObject({
  discount: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('percent'), rate: z.number().int().min(1).max(1_000_000) }),
    z.strictObject({ kind: z.literal('amount'), amount: NonNegativeMinorUnits.min(1) }),
  ]),
  reason: ActionReason,
  /** The manager-approval event that allowed it beyond the employee's limit (`sale.approve`), if one was needed. */
  approvalId: UuidV7.optional(),
});
export type ManualDiscountRequest = z.infer<typeof ManualDiscountRequest>;

/** The product id of a custom-amount line (a line with no product, where the store's configuration allows it). */
export const CUSTOM_LINE_PRODUCT = 'custom';

/** A line of the cart as the renderer sends it to be priced, paid or parked: the host prices it from its catalog. */
export const SaleLineRequest = z.strictObject({
  lineId: Identifier,
  /** A catalog product, or `custom` (CUSTOM_LINE_PRODUCT) for a custom-amount line. */
  productId: Identifier,
  barcode: Barcode.nullable(),
  /** Units; 1 for a weighed item or a custom line. */
  quantity: z.number().int().positive().max(9999),
  /** A weighed item: the weight sold, an integer in grams or thousandths of a pound. */
  measure: z
    .strictObject({
      unit: z.enum(['g', 'mlb']),
      value: z.number().int().positive().max(1_000_000),
      source: z.enum(['scale', 'barcode', 'manual']),
    })
    .optional(),
  /** An open-price item: the unit price the cashier keyed, within the product's limits. */
  enteredPrice: NonNegativeMinorUnits.optional(),
  /** A custom-amount line: what the cashier typed it is, and its amount (tax as the store's prices say). */
  custom: z
    .strictObject({
      // Printed on the receipt: no control or format characters (a right-to-left override, a zero-width space).
      description: z.string().trim().pipe(printableName(60)),
      amount: NonNegativeMinorUnits.min(1),
    })
    .optional(),
  /** A price override: the new unit price and why, with its approval when beyond the employee's limit. */
  priceOverride: z
    .strictObject({ unitPrice: NonNegativeMinorUnits, reason: ActionReason, approvalId: UuidV7.optional() })
    .optional(),
  discount: ManualDiscountRequest.optional(),
  /** An age-restricted product: the cashier's check, confirmed before the line was added. */
  ageCheck: z
    .strictObject({
      minimumAge: z.number().int().min(1).max(99),
      method: z.enum(['id-checked', 'visibly-over-age']),
      checkedBy: EmployeeId,
      checkedAt: z.iso.datetime({ offset: false }),
    })
    .optional(),
});
export type SaleLineRequest = z.infer<typeof SaleLineRequest>;
