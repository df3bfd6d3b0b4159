import { formatMinorUnits, type TaxJurisdiction } from '@tillwright/commerce';
import type { CustomLines } from '@tillwright/protocol';
import { CUSTOM_LINE_PRODUCT, type SaleLineRequest } from '../contract/methods.js';
import { HostError } from './rpc-dispatcher.js';
import type { ResolvedLine } from './sale-lines.js';

/** What a custom-amount line is checked against: the store's rules (HQ's config) and its tax rules. */
export interface CustomLineContext {
  currency: string;
  customLines: CustomLines;
  jurisdiction: TaxJurisdiction;
}

/**
 * A custom-amount line (productId `custom`): an item with no product, where the store allows it — the description the
 * cashier typed, once, at the amount keyed (at most the store's limit), taxed in the store's category for such lines.
 * It records `kind: 'custom'` and `priceEntered`. Anything else is refused with a typed error and nothing priced.
 */
export function resolveCustomLine(line: SaleLineRequest, context: CustomLineContext): ResolvedLine {
  const { customLines, currency, jurisdiction } = context;
  if (!customLines.allowed) {
    throw new HostError(
      'custom_lines_not_allowed',
      'This store does not allow custom-amount lines: find the item by name (F2) or ask HQ to allow them',
      false,
    );
  }
  const { custom } = line;
  if (!custom) {
    throw new HostError(
      'custom_line_incomplete',
      'A custom-amount line needs a description and an amount: enter both',
      false,
    );
  }
  if (line.quantity !== 1) {
    throw new HostError(
      'custom_line_quantity',
      'A custom-amount line is sold once: enter the whole amount as its amount',
      false,
    );
  }
  if (line.measure || line.enteredPrice !== undefined || line.priceOverride || line.ageCheck) {
    throw new HostError(
      'custom_line_invalid',
      'A custom-amount line carries only its description and amount: add it again without weight, price or age check',
      false,
    );
  }
  if (custom.amount > customLines.maxAmount) {
    throw new HostError(
      'custom_amount_too_large',
      `A custom-amount line may be at most ${currency} ${formatMinorUnits(customLines.maxAmount, currency)} ` +
        `at this store (${formatMinorUnits(custom.amount, currency)} was entered): enter a smaller amount`,
      false,
    );
  }
  if (!Object.hasOwn(jurisdiction.categories, customLines.taxCategory)) {
    throw new HostError(
      'custom_line_tax_category',
      `Custom-amount lines are set to tax category "${customLines.taxCategory}", which this till's tax rules ` +
        `(${jurisdiction.id}) do not have: ask HQ to correct the store's configuration`,
      false,
    );
  }
  return {
    input: {
      lineId: line.lineId,
      productId: CUSTOM_LINE_PRODUCT,
      sku: CUSTOM_LINE_PRODUCT,
      barcode: null,
      name: custom.description,
      quantity: 1,
      unitPrice: custom.amount,
      taxCategory: customLines.taxCategory,
      tags: [],
    },
    details: { kind: 'custom', measure: null, priceEntered: true, overrideReason: null, ageCheck: null },
  };
}
