import type { SaleLineInput } from '@tillwright/commerce';
import type { CatalogEntry } from '@tillwright/ledger';
import type { SaleLineV2 } from '@tillwright/protocol';
import { CUSTOM_LINE_PRODUCT, type SaleLineRequest } from '../contract/methods.js';
import { type CustomLineContext, resolveCustomLine } from './custom-line.js';
import { lineAdjustments } from './line-adjustments.js';
import { HostError } from './rpc-dispatcher.js';
import type { LinkApproval } from './sale-approvals.js';

/** What a v6 sale line records beyond what commerce prices: how it was sold and what was checked. */
export type LineDetails = Pick<
  SaleLineV2,
  'kind' | 'measure' | 'priceEntered' | 'overrideReason' | 'ageCheck'
>;

/** A cart line resolved against the till's catalog: what commerce prices, and what the journal records with it. */
export interface ResolvedLine {
  input: SaleLineInput;
  details: LineDetails;
}

export interface LineContext extends CustomLineContext {
  currency: string;
  findProduct: (productId: string) => CatalogEntry | null;
  /** Links a price override's or discount's `approvalId` to its manager approval (sale-approvals.ts). */
  linkApproval?: LinkApproval;
}

/**
 * Resolves one requested line: the product from the till's own catalog (never the price the screen showed), checked
 * against what the request says of it. Each kind of line (weighed, open-price, custom, overridden, discounted,
 * age-checked) adds its part here; a request that does not fit its product is refused with a typed error.
 */
export function resolveLine(line: SaleLineRequest, context: LineContext): ResolvedLine {
  if (line.productId === CUSTOM_LINE_PRODUCT) return resolveCustomLine(line, context);
  if (line.custom) {
    throw new HostError(
      'custom_line_invalid',
      `A custom amount goes on a line of its own (product "${CUSTOM_LINE_PRODUCT}"), not on ${line.productId}`,
      false,
    );
  }
  const product = context.findProduct(line.productId);
  if (!product) {
    throw new HostError(
      'unknown_product',
      `product ${line.productId} is not in this terminal's catalog`,
      false,
    );
  }
  if (product.currency !== context.currency) {
    throw new HostError('currency_mismatch', `${product.name} is priced in ${product.currency}`, false);
  }
  const adjustments = lineAdjustments(line, context.linkApproval);
  return {
    input: {
      lineId: line.lineId,
      productId: product.productId,
      sku: product.sku,
      barcode: line.barcode,
      name: product.name,
      quantity: line.quantity,
      unitPrice: product.price,
      taxCategory: product.taxCategory,
      tags: product.tags,
      ...adjustments.input,
    },
    details: {
      kind: 'product',
      measure: null,
      priceEntered: false,
      overrideReason: adjustments.overrideReason,
      ageCheck: null,
    },
  };
}
