import type {
  Approval,
  ApprovalNeed,
  LineAdjustment,
  ManualDiscount,
  PricedLine,
  PricedSale,
  SaleInput,
} from './pricing-types.js';
import { applyPromotions } from './promotions.js';
import { allocate, scaleRounded } from './rounding.js';
import { computeTax, RATE_SCALE } from './tax.js';

export class PricingError extends Error {
  override readonly name = 'PricingError';
  constructor(
    readonly code: 'empty_sale' | 'invalid_line' | 'invalid_discount',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Prices a sale: price overrides, automatic promotions, manual line discounts, the manual basket discount
 * (allocated to lines by amount), then tax. Pure and deterministic: the same input always gives the same result.
 * Overrides beyond the manager limits are listed in `approvals`; `assertApproved` refuses to finish without them.
 */
export function priceSale(input: SaleInput): PricedSale {
  if (input.lines.length === 0) throw new PricingError('empty_sale', 'a sale needs at least one line');
  const approvals: ApprovalNeed[] = [];
  const seen = new Set<string>();
  const lines = input.lines.map((line) => {
    // Returns, the journal and HQ find a line by its id: two lines sharing one could never both be returned.
    if (seen.has(line.lineId)) throw new PricingError('invalid_line', `line id ${line.lineId} appears twice`);
    seen.add(line.lineId);
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      throw new PricingError('invalid_line', `line ${line.lineId}: quantity must be a positive whole number`);
    }
    if (!Number.isSafeInteger(line.unitPrice) || line.unitPrice < 0) {
      throw new PricingError(
        'invalid_line',
        `line ${line.lineId}: unit price must be a non-negative integer`,
      );
    }
    let unitPrice = line.unitPrice;
    if (line.priceOverride) {
      unitPrice = line.priceOverride.unitPrice;
      if (!Number.isSafeInteger(unitPrice) || unitPrice < 0) {
        throw new PricingError(
          'invalid_line',
          `line ${line.lineId}: override price must be a non-negative integer`,
        );
      }
      if (unitPrice < line.unitPrice) {
        const rate = scaleRounded(line.unitPrice - unitPrice, RATE_SCALE, line.unitPrice, 'up');
        needApproval(
          approvals,
          'price-override',
          line.lineId,
          rate,
          input.limits.maxPriceDecreaseRate,
          line.priceOverride.approval,
        );
      }
    }
    return { input: line, unitPrice, extended: unitPrice * line.quantity };
  });

  const promotions = applyPromotions(
    lines.map(({ input: line, unitPrice }) => ({
      lineId: line.lineId,
      productId: line.productId,
      tags: line.tags ?? [],
      quantity: line.quantity,
      unitPrice,
    })),
    input.promotions,
    input.context,
  );

  const adjustments: LineAdjustment[][] = lines.map((_, i) =>
    [...promotions.lineDiscounts[i]!].map(([ref, amount]) => ({ source: 'promotion' as const, ref, amount })),
  );
  const remaining = lines.map((line, i) => line.extended - sum(adjustments[i]!.map((a) => a.amount)));

  lines.forEach((line, i) => {
    const manual = line.input.manualDiscount;
    if (!manual) return;
    const amount = discountAmount(manual, remaining[i]!, `line ${line.input.lineId}`);
    if (amount === 0) return;
    const rate = requestedRate(manual, amount, remaining[i]!);
    needApproval(
      approvals,
      'line-discount',
      line.input.lineId,
      rate,
      input.limits.maxLineDiscountRate,
      manual.approval,
    );
    adjustments[i]!.push({ source: 'manual-line', ref: manual.reason, amount });
    remaining[i]! -= amount;
  });

  if (input.basketDiscount) {
    const base = sum(remaining);
    const amount = discountAmount(input.basketDiscount, base, 'the basket');
    if (amount > 0) {
      const rate = requestedRate(input.basketDiscount, amount, base);
      needApproval(
        approvals,
        'basket-discount',
        null,
        rate,
        input.limits.maxBasketDiscountRate,
        input.basketDiscount.approval,
      );
      allocate(amount, remaining).forEach((share, i) => {
        if (share === 0) return;
        adjustments[i]!.push({ source: 'manual-basket', ref: input.basketDiscount!.reason, amount: share });
        remaining[i]! -= share;
      });
    }
  }

  const tax = computeTax(
    lines.map((line, i) => ({
      lineId: line.input.lineId,
      amount: remaining[i]!,
      taxCategory: line.input.taxCategory,
    })),
    input.jurisdiction,
    input.exemption ?? null,
  );

  const priced: PricedLine[] = lines.map((line, i) => {
    const lineTax = tax.lines[i]!;
    return {
      lineId: line.input.lineId,
      productId: line.input.productId,
      sku: line.input.sku,
      barcode: line.input.barcode,
      name: line.input.name,
      quantity: line.input.quantity,
      taxCategory: line.input.taxCategory,
      catalogUnitPrice: line.input.unitPrice,
      unitPrice: line.unitPrice,
      extended: line.extended,
      adjustments: adjustments[i]!,
      amount: remaining[i]!,
      net: lineTax.net,
      taxes: lineTax.taxes,
      total: lineTax.gross,
    };
  });
  const subtotal = sum(priced.map((line) => line.extended));
  const discountTotal = sum(priced.map((line) => line.extended - line.amount));
  return {
    currency: input.currency,
    pricesIncludeTax: input.jurisdiction.pricesIncludeTax,
    lines: priced,
    promotions: promotions.applied,
    taxes: tax.breakdown,
    subtotal,
    discountTotal,
    taxTotal: tax.totalTax,
    total: tax.totalGross,
    approvals,
    jurisdiction: input.jurisdiction.id,
    versions: input.versions,
  };
}

export class ApprovalRequiredError extends Error {
  override readonly name = 'ApprovalRequiredError';
  readonly code = 'approval_required';
  constructor(readonly missing: ApprovalNeed[]) {
    super(
      `a manager must approve: ${missing.map((need) => `${need.kind}${need.lineId ? ` on ${need.lineId}` : ''}`).join(', ')}`,
    );
  }
}

/** Refuses a sale that still needs a manager's approval. */
export function assertApproved(sale: PricedSale): void {
  const missing = sale.approvals.filter((need) => need.approvedBy === null);
  if (missing.length > 0) throw new ApprovalRequiredError(missing);
}

function needApproval(
  approvals: ApprovalNeed[],
  kind: ApprovalNeed['kind'],
  lineId: string | null,
  rate: number,
  limit: number,
  approval: Approval | undefined,
): void {
  if (rate <= limit) return;
  const linked = approval?.approvalId === undefined ? {} : { approvalId: approval.approvalId };
  approvals.push({ kind, lineId, rate, limit, approvedBy: approval?.approvedBy ?? null, ...linked });
}

/**
 * How far a manual discount goes, to compare with the manager limit: the rate keyed for a percent discount (10 % of
 * 19.99 rounds to 2.00, which is still the 10 % the cashier asked for), the amount's share of the base otherwise.
 */
function requestedRate(discount: ManualDiscount, amount: number, base: number): number {
  if (discount.kind === 'percent') return discount.rate;
  return scaleRounded(amount, RATE_SCALE, Math.max(base, 1), 'up');
}

function discountAmount(discount: ManualDiscount, base: number, where: string): number {
  if (discount.kind === 'percent') {
    if (!Number.isSafeInteger(discount.rate) || discount.rate < 0 || discount.rate > RATE_SCALE) {
      throw new PricingError('invalid_discount', `${where}: a percent discount must be between 0 and 100 %`);
    }
    return scaleRounded(base, discount.rate, RATE_SCALE, 'half-up');
  }
  if (!Number.isSafeInteger(discount.amount) || discount.amount < 0) {
    throw new PricingError('invalid_discount', `${where}: a discount amount must be a non-negative integer`);
  }
  if (discount.amount > base) {
    throw new PricingError(
      'invalid_discount',
      `${where}: a discount of ${discount.amount} exceeds what is left (${base})`,
    );
  }
  return discount.amount;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
