import type { SaleLineInput } from '@tillwright/commerce';
import type { SaleLineRequest } from '../contract/methods.js';
import type { LinkApproval } from './sale-approvals.js';

/** What a line's manual adjustments add to commerce's input, and the override's reason the journal records. */
export interface LineAdjustments {
  input: Pick<SaleLineInput, 'priceOverride' | 'manualDiscount'>;
  overrideReason: string | null;
}

/**
 * A requested line's price override and manual discount as commerce prices them, each with the approval its
 * `approvalId` links (sale-approvals.ts): commerce judges them against the employee's limits and lists what still
 * needs approving. Without `link` (a caller that checks no approvals) an approval id links nothing.
 */
export function lineAdjustments(line: SaleLineRequest, link?: LinkApproval): LineAdjustments {
  const input: LineAdjustments['input'] = {};
  const { priceOverride, discount } = line;
  if (priceOverride) {
    const approval = link?.('price-override', line.lineId, priceOverride.approvalId);
    input.priceOverride = {
      unitPrice: priceOverride.unitPrice,
      reason: priceOverride.reason,
      ...(approval ? { approval } : {}),
    };
  }
  if (discount) {
    const approval = link?.('line-discount', line.lineId, discount.approvalId);
    input.manualDiscount = {
      ...discount.discount,
      reason: discount.reason,
      ...(approval ? { approval } : {}),
    };
  }
  return { input, overrideReason: priceOverride?.reason ?? null };
}
