import { describe, expect, it } from 'vitest';
import { parseAimIdentifier, splitAim } from './aim.js';
import { checkDigitValid, expandUpcE, toGtin14, upcEValid } from './barcode.js';
import { GS, parseGs1 } from './gs1.js';
import { parseVariableMeasure, priceWeightCheckDigit, RCN_REGIONS, type RcnRegionTable } from './rcn.js';

describe('check digits per symbology', () => {
  it.each([
    ['EAN-13', '4006381333931', true],
    ['EAN-13', '4006381333932', false],
    ['EAN-8', '96385074', true],
    ['EAN-8', '4006381333931', false],
    ['UPC-A', '036000291452', true],
    ['UPC-A', '036000291453', false],
    ['UPC-E', '04252614', true],
    ['UPC-E', '04252615', false],
    ['UPC-E', '24252614', false],
  ] as const)('%s %s → %s', (symbology, code, valid) => {
    expect(checkDigitValid(symbology, code)).toBe(valid);
  });

  it('expands UPC-E by its last data digit (0–2, 3, 4, 5–9)', () => {
    expect(expandUpcE('04252614')).toBe('042100005264'); // …1: mfr 4 2 1 0 0, item 0 0 5 2 6
    expect(expandUpcE('0654321')).toBe('065100004327');
    expect(expandUpcE('01234531')).toBe('012300000451'); // …3: 1 2 3 0 0 0 0 0 4 5
    expect(expandUpcE('01234543')).toBe('012340000053'); // …4: 1 2 3 4 0 0 0 0 0 5
    expect(expandUpcE('01234572')).toBe('012345000072'); // …7: 1 2 3 4 5 0 0 0 0 7
    expect(upcEValid('01234531')).toBe(true);
    expect(expandUpcE('21234576')).toBeUndefined();
    expect(upcEValid('0425261')).toBe(false);
  });

  it('normalises to GTIN-14', () => {
    expect(toGtin14('96385074')).toBe('00000096385074');
    expect(toGtin14('04252614', 'UPC-E')).toBe('00042100005264');
    expect(toGtin14('4006381333932')).toBeUndefined();
  });
});

describe('AIM symbology identifiers', () => {
  it.each([
    [']E0', 'EAN/UPC', false],
    [']E4', 'EAN-8', false],
    [']C0', 'Code 128', false],
    [']C1', 'GS1-128', true],
    [']d1', 'DataMatrix', false],
    [']d2', 'GS1 DataMatrix', true],
    [']Q1', 'QR Code', false],
    [']Q3', 'GS1 QR Code', true],
    [']e0', 'GS1 DataBar', true],
    [']I1', 'ITF-14', false],
    [']A0', 'Code 39', false],
  ])('%s is %s (gs1: %s)', (id, symbology, gs1) => {
    expect(parseAimIdentifier(`${id}123`)).toEqual({ id, symbology, gs1 });
  });

  it('resolves ]E0 by length and leaves non-AIM text alone', () => {
    expect(splitAim(']E04006381333931')).toEqual({
      aim: { id: ']E0', symbology: 'EAN-13', gs1: false },
      data: '4006381333931',
    });
    expect(splitAim(']E0036000291452').aim?.symbology).toBe('UPC-A');
    expect(splitAim(']X9abc')).toEqual({ aim: undefined, data: ']X9abc' });
    expect(splitAim(']E')).toEqual({ aim: undefined, data: ']E' });
  });
});

describe('GS1 element strings', () => {
  it('parses fixed-length AIs back to back and variable ones at the end (biip example)', () => {
    const result = parseGs1(']C1010703206980498815210526100329');
    expect(result).toEqual({
      ok: true,
      gtin: '07032069804988',
      elements: [
        { ai: '01', title: 'GTIN', value: '07032069804988' },
        { ai: '15', title: 'BEST BEFORE or BEST BY', value: '210526', date: '2021-05-26' },
        { ai: '10', title: 'BATCH/LOT', value: '0329' },
      ],
    });
  });

  it('ends variable-length AIs at GS and reads weight, price and dates', () => {
    const text = `${GS}0109501101530003${GS}10LOT-7${GS}21SN123${GS}3103001250${'11'}250101${'13'}250102${'17'}260131${'3922'}1999`;
    const result = parseGs1(text);
    if (!result.ok) throw new Error(result.message);
    expect(result.elements.map((e) => [e.ai, e.value, e.decimals ?? e.date ?? null])).toEqual([
      ['01', '09501101530003', null],
      ['10', 'LOT-7', null],
      ['21', 'SN123', null],
      ['3103', '001250', 3],
      ['11', '250101', '2025-01-01'],
      ['13', '250102', '2025-01-02'],
      ['17', '260131', '2026-01-31'],
      ['3922', '1999', 2],
    ]);
  });

  it('reads SSCC (00), CONTENT (02), count and ISO-currency price', () => {
    const result = parseGs1(`]d200106141412345678908${'02'}09501101530003${'37'}12${GS}3932978${'1250'}`);
    if (!result.ok) throw new Error(result.message);
    expect(result.elements).toEqual([
      { ai: '00', title: 'SSCC', value: '106141412345678908' },
      { ai: '02', title: 'CONTENT', value: '09501101530003' },
      { ai: '37', title: 'COUNT', value: '12' },
      { ai: '3932', title: 'PRICE (ISO currency)', value: '1250', decimals: 2, currency: '978' },
    ]);
  });

  it('uses the GS1 year window when given a reference year', () => {
    const result = parseGs1('1799123', { referenceYear: 2026 });
    expect(result).toMatchObject({ ok: false, code: 'truncated' });
    const dated = parseGs1('17991231', { referenceYear: 2026 });
    expect(dated.ok && dated.elements[0]?.date).toBe('1999-12-31');
  });

  it.each([
    ['0109501101530004', 'bad_check_digit'],
    ['01095011015300', 'truncated'],
    ['9912345', 'unknown_ai'],
    [`10${'A'.repeat(21)}`, 'too_long'],
    ['1525133', 'truncated'],
    ['15251301', 'bad_value'],
    [`10${GS}`, 'truncated'],
  ])('%j fails with %s', (text, code) => {
    expect(parseGs1(text)).toMatchObject({ ok: false, code });
  });
});

describe('price/weight-embedded EAN-13', () => {
  it('computes price/weight verifier digits (GS1 GenSpecs examples 2875 → 9, 14685 → 6)', () => {
    expect(priceWeightCheckDigit('2875')).toBe(9);
    expect(priceWeightCheckDigit('14685')).toBe(6);
    expect(priceWeightCheckDigit('123')).toBeUndefined();
  });

  it('every rule in the region table fills exactly 13 digits', () => {
    for (const [region, prefixes] of Object.entries(RCN_REGIONS)) {
      for (const [prefix, rule] of Object.entries(prefixes)) {
        expect(
          2 + rule.itemDigits + (rule.verifier ? 1 : 0) + rule.valueDigits + 1,
          `${region}/${prefix}`,
        ).toBe(13);
      }
    }
  });

  it('Sweden 23: weight with 3 decimals (1.086 kg)', () => {
    expect(parseVariableMeasure('2302148210869', 'SE')).toEqual({
      ok: true,
      measure: {
        prefix: '23',
        measure: 'weight',
        item: '021482',
        units: 1086,
        decimals: 3,
        lookupGtin: '2302148200006',
      },
    });
  });

  it('Great Britain 20: price in pence with a verifier digit (£12.34)', () => {
    expect(parseVariableMeasure('2011122912346', 'gb')).toEqual({
      ok: true,
      measure: {
        prefix: '20',
        measure: 'price',
        item: '11122',
        units: 1234,
        decimals: 2,
        lookupGtin: '2011122000005',
      },
    });
    expect(parseVariableMeasure('2011122812349', 'gb')).toEqual({ ok: false, code: 'bad_verifier' });
  });

  it('Germany 28: weight with a 5-digit verifier (14.685 kg), and the same code means nothing in Sweden', () => {
    expect(parseVariableMeasure('2812346146858', 'de')).toMatchObject({
      ok: true,
      measure: { measure: 'weight', item: '1234', units: 14685, decimals: 3, lookupGtin: '2812340000002' },
    });
    expect(parseVariableMeasure('2812346146858', 'se')).toEqual({ ok: false, code: 'no_rule' });
  });

  it('prefix 02 with a store-supplied rule; non-RCN and bad check digits are refused', () => {
    const store: RcnRegionTable = {
      xx: { '02': { measure: 'price', itemDigits: 5, valueDigits: 5, decimals: 2, verifier: false } },
    };
    expect(parseVariableMeasure('0212345001257', 'xx', store)).toMatchObject({
      ok: true,
      measure: { prefix: '02', item: '12345', units: 125, lookupGtin: '0212345000007' },
    });
    expect(parseVariableMeasure('4006381333931', 'se')).toEqual({ ok: false, code: 'not_rcn' });
    expect(parseVariableMeasure('2302148210868', 'se')).toEqual({ ok: false, code: 'bad_check_digit' });
  });
});
