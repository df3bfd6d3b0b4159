import type { AppliedPromotion, Promotion, PromotionContext } from './promotion-types.js';
import type { CustomerExemption, TaxBreakdown, TaxJurisdiction } from './tax.js';

export type ManualDiscount = { kind: 'percent'; rate: number } | { kind: 'amount'; amount: number };

/** A manager's approval attached to an override: who approved it. Checking the PIN is the host's job. */
export interface Approval {
  approvedBy: string;
  /** The manager-approval event the till journaled for it, which the sale links (sale v3). */
  approvalId?: string;
}

export interface SaleLineInput {
  lineId: string;
  productId: string;
  sku: string;
  barcode: string | null;
  name: string;
  quantity: number;
  /** The catalog price per unit: gross when the jurisdiction's prices include tax, net otherwise. */
  unitPrice: number;
  taxCategory: string;
  tags?: readonly string[];
  priceOverride?: { unitPrice: number; reason: string; approval?: Approval };
  manualDiscount?: ManualDiscount & { reason: string; approval?: Approval };
}

/** Above these, an override or manual discount needs a manager's approval. Rates in millionths. */
export interface ManagerLimits {
  maxLineDiscountRate: number;
  maxBasketDiscountRate: number;
  maxPriceDecreaseRate: number;
}

export interface ReferenceVersions {
  catalog: number;
  priceList: number;
  promotions: number;
  taxRules: number;
}

export interface SaleInput {
  currency: string;
  lines: readonly SaleLineInput[];
  basketDiscount?: ManualDiscount & { reason: string; approval?: Approval };
  promotions: readonly Promotion[];
  context: PromotionContext;
  jurisdiction: TaxJurisdiction;
  exemption?: CustomerExemption;
  limits: ManagerLimits;
  versions: ReferenceVersions;
}

export interface LineAdjustment {
  source: 'promotion' | 'manual-line' | 'manual-basket';
  /** The promotion id, or the reason typed for a manual discount. */
  ref: string;
  amount: number;
}

export interface PricedLine {
  lineId: string;
  productId: string;
  sku: string;
  barcode: string | null;
  name: string;
  quantity: number;
  taxCategory: string;
  catalogUnitPrice: number;
  unitPrice: number;
  /** unitPrice × quantity, before any discount. */
  extended: number;
  adjustments: LineAdjustment[];
  /** extended − adjustments: gross if prices include tax, net otherwise. */
  amount: number;
  net: number;
  taxes: { code: string; amount: number }[];
  /** What the customer pays for this line, tax included. */
  total: number;
}

export interface ApprovalNeed {
  kind: 'price-override' | 'line-discount' | 'basket-discount';
  lineId: string | null;
  /** How far the request goes, in millionths of the price it reduces. */
  rate: number;
  limit: number;
  approvedBy: string | null;
  /** The approval's event id, when the approval came with one. */
  approvalId?: string;
}

/** Everything a sale was priced with and priced to, so HQ verifies totals without re-pricing differently. */
export interface PricedSale {
  currency: string;
  pricesIncludeTax: boolean;
  lines: PricedLine[];
  promotions: AppliedPromotion[];
  taxes: TaxBreakdown[];
  /** Sum of extended amounts, before discounts. */
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
  approvals: ApprovalNeed[];
  jurisdiction: string;
  versions: ReferenceVersions;
}
