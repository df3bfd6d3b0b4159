import { Identifier, UuidV7 } from '@tillwright/protocol';
import { z } from 'zod';
import { ActionReason, ApprovalCredentials } from './common.js';

/** Discounts and price overrides beyond the signed-in employee's limits (issue #17): a manager's approval for one. */

/** What a manager approves: a price override or a discount on a line, or a discount on the whole basket. */
export const AdjustmentKind = z.enum(['price-override', 'line-discount', 'basket-discount']);
export type AdjustmentKind = z.infer<typeof AdjustmentKind>;

export const SaleApproveParams = z
  .strictObject({
    /** The sale in progress (the id the cart was started with): the approval is good for this sale only. */
    saleId: UuidV7,
    kind: AdjustmentKind,
    /** The line it is for; null for a basket discount. */
    lineId: Identifier.nullable(),
    /**
     * How far it goes, in millionths of the price it reduces, as the quote's `approvals` named it: the approval
     * covers this rate and anything below, never more.
     */
    rate: z.number().int().min(1).max(1_000_000),
    reason: ActionReason,
    /** Another employee's number and PIN; without it the host answers `approval_required` with what to approve. */
    approval: ApprovalCredentials.optional(),
  })
  .refine((params) => (params.kind === 'basket-discount') === (params.lineId === null), {
    message: 'a basket discount names no line; a line discount or price override names its line',
    path: ['lineId'],
  });
export type SaleApproveParams = z.infer<typeof SaleApproveParams>;

export const discountMethods = {
  /**
   * A manager approves a discount or override beyond the signed-in employee's limit: journals a `manager-approval`
   * naming the sale (and line) and answers its id, which the cart then sends on that line (or the basket discount).
   * `approvalId` null: the signed-in employee may do this alone, nothing was journaled.
   */
  'sale.approve': {
    params: SaleApproveParams,
    result: z.strictObject({ approvalId: UuidV7.nullable() }),
  },
} as const;
