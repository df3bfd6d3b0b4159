import { describe, expect, it } from 'vitest';
import { BRITISH_COLUMBIA, GERMANY, NEW_YORK_CITY, SWITZERLAND } from './jurisdictions.js';
import { computeTax, type TaxJurisdiction } from './tax.js';

describe('exclusive sales tax (New York City, 8.875 %)', () => {
  const lines = [1, 2, 3].map((n) => ({ lineId: `l${n}`, amount: 99, taxCategory: 'standard' }));

  it('rounds once per invoice when the jurisdiction says so', () => {
    const result = computeTax(lines, NEW_YORK_CITY);
    // 2.97 × 8.875 % = 0.2636 → 0.26
    expect(result.totalTax).toBe(26);
    expect(result.totalGross).toBe(323);
    expect(result.breakdown).toEqual([
      { code: 'NYC', name: 'NY State + City sales tax', rate: 88_750, taxable: 297, tax: 26 },
    ]);
    expect(result.lines.map((line) => line.taxes[0]!.amount)).toEqual([9, 9, 8]);
  });

  it('rounds each line when configured per line, which can differ', () => {
    const result = computeTax(lines, { ...NEW_YORK_CITY, rounding: 'line' });
    // 0.99 × 8.875 % = 0.0879 → 0.09 each
    expect(result.totalTax).toBe(27);
  });

  it('charges nothing on exempt categories and for exempt customers', () => {
    const mixed = [
      { lineId: 'a', amount: 1000, taxCategory: 'standard' },
      { lineId: 'b', amount: 5000, taxCategory: 'clothing_under_110' },
    ];
    expect(computeTax(mixed, NEW_YORK_CITY).totalTax).toBe(89);
    expect(computeTax(mixed, NEW_YORK_CITY, 'all').totalTax).toBe(0);
  });
});

describe('inclusive VAT with several rates (Germany 19 % and 7 %)', () => {
  it('extracts each rate from the shelf price, per line', () => {
    const result = computeTax(
      [
        { lineId: 'coffee', amount: 899, taxCategory: 'reduced' },
        { lineId: 'mug', amount: 750, taxCategory: 'standard' },
      ],
      GERMANY,
    );
    // 8.99 × 7/107 = 0.5881 → 0.59; 7.50 × 19/119 = 1.1975 → 1.20
    expect(result.breakdown).toEqual([
      { code: 'VAT19', name: 'MwSt 19 %', rate: 190_000, taxable: 630, tax: 120 },
      { code: 'VAT7', name: 'MwSt 7 %', rate: 70_000, taxable: 840, tax: 59 },
    ]);
    expect(result.totalGross).toBe(1649);
    expect(result.totalNet).toBe(1470);
  });

  it('charges an exempt customer the price without the tax', () => {
    const result = computeTax([{ lineId: 'mug', amount: 750, taxCategory: 'standard' }], GERMANY, 'all');
    expect(result).toMatchObject({ totalGross: 630, totalNet: 630, totalTax: 0, breakdown: [] });
  });
});

describe('Canada: GST plus PST (British Columbia)', () => {
  it('charges both rates on a standard item and only GST on children’s clothing', () => {
    const result = computeTax(
      [
        { lineId: 'headphones', amount: 2000, taxCategory: 'standard' },
        { lineId: 'kids-jacket', amount: 4599, taxCategory: 'childrens_clothing' },
        { lineId: 'bread', amount: 349, taxCategory: 'basic_groceries' },
      ],
      BRITISH_COLUMBIA,
    );
    expect(result.lines.map((line) => line.taxes)).toEqual([
      [
        { code: 'GST', amount: 100 },
        { code: 'PST', amount: 140 },
      ],
      [{ code: 'GST', amount: 230 }],
      [],
    ]);
    expect(result.breakdown.map(({ code, taxable, tax }) => ({ code, taxable, tax }))).toEqual([
      { code: 'GST', taxable: 6599, tax: 330 },
      { code: 'PST', taxable: 2000, tax: 140 },
    ]);
    expect(result.totalGross).toBe(2000 + 4599 + 349 + 470);
  });

  it('drops only the rate a reseller certificate covers', () => {
    const result = computeTax([{ lineId: 'x', amount: 2000, taxCategory: 'standard' }], BRITISH_COLUMBIA, {
      rateCodes: ['PST'],
    });
    expect(result.totalTax).toBe(100);
  });
});

describe('Switzerland: inclusive, rounded per invoice', () => {
  it('rounds each rate once over the invoice and allocates it back to the lines', () => {
    const lines = [1, 2, 3].map((n) => ({ lineId: `l${n}`, amount: 1, taxCategory: 'standard' }));
    const result = computeTax(
      [...lines, { lineId: 'big', amount: 10_000, taxCategory: 'standard' }],
      SWITZERLAND,
    );
    // 100.03 × 8.1/108.1 = 7.4954… → 7.50
    expect(result.breakdown[0]!.tax).toBe(750);
    expect(result.lines.reduce((sum, line) => sum + line.taxes[0]!.amount, 0)).toBe(750);
  });
});

describe('configuration errors', () => {
  it('names an unknown category or rate instead of guessing', () => {
    expect(() => computeTax([{ lineId: 'x', amount: 1, taxCategory: 'luxury' }], GERMANY)).toThrow(/luxury/);
    const broken: TaxJurisdiction = { ...GERMANY, categories: { standard: ['VAT99'] } };
    expect(() => computeTax([{ lineId: 'x', amount: 1, taxCategory: 'standard' }], broken)).toThrow(/VAT99/);
  });
});
