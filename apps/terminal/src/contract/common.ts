import { Barcode, EmployeeNumber, Identifier, Pin } from '@tillwright/protocol';
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

/** A line of the cart as the renderer sends it to be priced, paid or parked: the host prices it from its catalog. */
export const SaleLineRequest = z.strictObject({
  lineId: Identifier,
  productId: Identifier,
  barcode: Barcode.nullable(),
  quantity: z.number().int().positive().max(9999),
});
