import type { SalePayloadV1 } from './events.js';

/**
 * A valid priced sale for tests across the repo: one line of `unitPrice`, tax-inclusive at 19 %, paid in cash.
 * Not used by production code.
 */
export function sampleSalePayload(unitPrice = 250, cashTendered = unitPrice): SalePayloadV1 {
  const tax = Math.round((unitPrice * 19) / 119);
  return {
    currency: 'EUR',
    pricesIncludeTax: true,
    jurisdiction: 'DE',
    lines: [
      {
        lineId: 'l1',
        productId: 'pen',
        sku: 'PEN-BLUE',
        barcode: '4006381333931',
        name: 'Ballpoint pen, blue',
        quantity: 1,
        taxCategory: 'standard',
        catalogUnitPrice: unitPrice,
        unitPrice,
        extended: unitPrice,
        adjustments: [],
        amount: unitPrice,
        net: unitPrice - tax,
        taxes: [{ code: 'VAT19', amount: tax }],
        total: unitPrice,
      },
    ],
    promotions: [],
    taxes: [{ code: 'VAT19', name: 'MwSt 19 %', rate: 190_000, taxable: unitPrice - tax, tax }],
    subtotal: unitPrice,
    discountTotal: 0,
    taxTotal: tax,
    total: unitPrice,
    approvals: [],
    tenders: [
      {
        kind: 'cash',
        ref: null,
        amount: unitPrice,
        tendered: cashTendered,
        change: cashTendered - unitPrice,
      },
    ],
    cashRounding: 0,
    paid: unitPrice,
    change: cashTendered - unitPrice,
    pricedWith: { catalog: 1, priceList: 1, promotions: 0, taxRules: 1 },
  };
}
