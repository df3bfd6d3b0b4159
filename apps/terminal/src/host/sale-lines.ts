import type { SaleLineInput } from '@tillwright/commerce';
import type { CatalogEntry } from '@tillwright/ledger';
import type { SaleLineV2 } from '@tillwright/protocol';
import { CUSTOM_LINE_PRODUCT, type SaleLineRequest } from '../contract/methods.js';
import { type CustomLineContext, resolveCustomLine } from './custom-line.js';
import { lineAdjustments } from './line-adjustments.js';
import { type AgeContext, checkedAge } from './line-age.js';
import { enteredPrice } from './line-price.js';
import { type WeightContext, weighedPrice } from './line-weight.js';
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

export interface LineContext extends CustomLineContext, WeightContext, AgeContext {
  currency: string;
  findProduct: (productId: string) => CatalogEntry | null;
  /** Links a price override's or discount's `approvalId` to its manager approval (sale-approvals.ts). */
  linkApproval?: LinkApproval;
  /**
   * False when the sale would be written below version 6 (its server takes no newer): a line with a weight, a keyed
   * price or an age check cannot be recorded, and is refused.
   */
  recordsLineDetails: boolean;
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
  const weighed = weighedPrice(line, product, context);
  const keyed = weighed ? null : enteredPrice(line, product, context);
  if (weighed && line.enteredPrice !== undefined) {
    throw new HostError(
      'price_not_open',
      `${product.name} is priced by weight: add it without a price`,
      false,
    );
  }
  const ageCheck = checkedAge(line, product, context);
  if ((weighed || keyed !== null || ageCheck) && !context.recordsLineDetails) {
    throw new HostError(
      'server_too_old',
      `This till's sync server cannot yet record ${product.name} (weighed, keyed price or age check): sell it when the server is updated`,
      false,
    );
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
      unitPrice: weighed?.unitPrice ?? keyed ?? product.price,
      taxCategory: product.taxCategory,
      tags: product.tags,
      ...adjustments.input,
    },
    details: {
      kind: 'product',
      measure: weighed?.measure ?? null,
      priceEntered: keyed !== null,
      overrideReason: adjustments.overrideReason,
      ageCheck,
    },
  };
}
