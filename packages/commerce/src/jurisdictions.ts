import type { TaxJurisdiction } from './tax.js';

/**
 * Worked configurations of real regimes, used by the golden tests and the demo. Rates are data; a deployment
 * loads its own from HQ.
 */
export const NEW_YORK_CITY: TaxJurisdiction = {
  id: 'US-NY-NYC',
  version: 1,
  pricesIncludeTax: false,
  rounding: 'invoice',
  roundingMode: 'half-up',
  rates: [{ code: 'NYC', name: 'NY State + City sales tax', rate: 88_750 }],
  categories: { standard: ['NYC'], clothing_under_110: [], food: [] },
};

export const GERMANY: TaxJurisdiction = {
  id: 'DE',
  version: 1,
  pricesIncludeTax: true,
  rounding: 'line',
  roundingMode: 'half-up',
  rates: [
    { code: 'VAT19', name: 'MwSt 19 %', rate: 190_000 },
    { code: 'VAT7', name: 'MwSt 7 %', rate: 70_000 },
  ],
  categories: { standard: ['VAT19'], reduced: ['VAT7'], exempt: [] },
};

export const BRITISH_COLUMBIA: TaxJurisdiction = {
  id: 'CA-BC',
  version: 1,
  pricesIncludeTax: false,
  rounding: 'line',
  roundingMode: 'half-up',
  rates: [
    { code: 'GST', name: 'GST 5 %', rate: 50_000 },
    { code: 'PST', name: 'PST 7 %', rate: 70_000 },
  ],
  categories: { standard: ['GST', 'PST'], childrens_clothing: ['GST'], basic_groceries: [] },
};

export const SWITZERLAND: TaxJurisdiction = {
  id: 'CH',
  version: 1,
  pricesIncludeTax: true,
  rounding: 'invoice',
  roundingMode: 'half-up',
  rates: [
    { code: 'MWST81', name: 'MWST 8.1 %', rate: 81_000 },
    { code: 'MWST26', name: 'MWST 2.6 %', rate: 26_000 },
  ],
  categories: { standard: ['MWST81'], reduced: ['MWST26'] },
};
