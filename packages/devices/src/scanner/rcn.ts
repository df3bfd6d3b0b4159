/**
 * Price-, weight- and count-embedded EAN-13 (Restricted Circulation Numbers, prefixes 02 and 20–29). What the
 * digits mean is decided per country by the GS1 Member Organisation, so the rules are DATA: region → prefix →
 * layout. A store configures its region (or supplies its own table, e.g. for prefix 02 from its scale vendor).
 *
 * EAN-13 layout: 2-digit prefix, `itemDigits` item reference, an optional price/weight verifier digit,
 * `valueDigits` value, and the EAN check digit (2 + item + verifier + value + 1 = 13). Source of the tables:
 * GS1 MO publications as tabulated by jodal/biip `rcn.py` (research §1.5).
 */
import { gtinCheckDigit, gtinCheckDigitValid } from './barcode.js';

export type RcnMeasure = 'price' | 'weight' | 'count';

export interface RcnRule {
  measure: RcnMeasure;
  itemDigits: number;
  valueDigits: number;
  /** Implied decimal places of the value (price in major units, weight in kg). */
  decimals: number;
  /** A price/weight verifier digit sits between item and value (GS1 GenSpecs §7.9.3). */
  verifier: boolean;
}

export type RcnRegionTable = Readonly<Record<string, Readonly<Record<string, RcnRule>>>>;

const rule = (
  measure: RcnMeasure,
  itemDigits: number,
  valueDigits: number,
  decimals: number,
  verifier = false,
): RcnRule => ({
  measure,
  itemDigits,
  valueDigits,
  decimals,
  verifier,
});

const NORDIC_BALTIC_WEIGHT = {
  '23': rule('weight', 6, 4, 3),
  '24': rule('weight', 6, 4, 2),
  '25': rule('weight', 6, 4, 1),
};

const SWEDEN = {
  '20': rule('price', 6, 4, 2),
  '21': rule('price', 6, 4, 1),
  '22': rule('price', 6, 4, 0),
  ...NORDIC_BALTIC_WEIGHT,
};

/** Region (ISO 3166-1 alpha-2, lower case) → prefix → rule. */
export const RCN_REGIONS: RcnRegionTable = {
  se: SWEDEN,
  no: SWEDEN,
  fi: NORDIC_BALTIC_WEIGHT,
  ee: NORDIC_BALTIC_WEIGHT,
  lv: NORDIC_BALTIC_WEIGHT,
  lt: NORDIC_BALTIC_WEIGHT,
  dk: {
    '21': rule('price', 4, 6, 2),
    '22': rule('price', 4, 6, 2),
    '23': rule('price', 4, 6, 2),
    '24': rule('price', 4, 6, 2),
    '26': rule('weight', 4, 6, 3),
    '27': rule('weight', 5, 5, 3),
    '28': rule('weight', 4, 6, 3),
  },
  de: {
    '22': rule('price', 4, 5, 2, true),
    '23': rule('price', 4, 5, 2, true),
    '25': rule('count', 4, 5, 0, true),
    '26': rule('count', 4, 5, 0, true),
    '28': rule('weight', 4, 5, 3, true),
    '29': rule('weight', 4, 5, 3, true),
  },
  gb: {
    '20': rule('price', 5, 4, 2, true),
  },
};

export interface VariableMeasure {
  prefix: string;
  measure: RcnMeasure;
  item: string;
  /** The value as an integer in the smallest unit (e.g. öre, pence, grams when decimals = 3). No floats. */
  units: number;
  decimals: number;
  /** The EAN-13 with the value (and verifier) zeroed and the check digit recomputed: the PLU lookup key. */
  lookupGtin: string;
}

export type RcnResult =
  | { ok: true; measure: VariableMeasure }
  | { ok: false; code: 'not_rcn' | 'bad_check_digit' | 'bad_verifier' | 'no_rule' | 'bad_rule' };

/** True for an EAN-13 with a geographic RCN prefix (02, 20–29). */
export function isVariableMeasurePrefix(ean13: string): boolean {
  return /^(02|2\d)\d{11}$/.test(ean13);
}

/** Decode a variable-measure EAN-13 with the rules of `region` (or a custom table entry). */
export function parseVariableMeasure(
  ean13: string,
  region: string,
  table: RcnRegionTable = RCN_REGIONS,
): RcnResult {
  if (!isVariableMeasurePrefix(ean13)) return { ok: false, code: 'not_rcn' };
  if (!gtinCheckDigitValid(ean13)) return { ok: false, code: 'bad_check_digit' };
  const prefix = ean13.slice(0, 2);
  const found = table[region.toLowerCase()]?.[prefix];
  if (!found) return { ok: false, code: 'no_rule' };
  if (2 + found.itemDigits + (found.verifier ? 1 : 0) + found.valueDigits + 1 !== 13)
    return { ok: false, code: 'bad_rule' };
  const itemEnd = 2 + found.itemDigits;
  const valueStart = itemEnd + (found.verifier ? 1 : 0);
  const value = ean13.slice(valueStart, valueStart + found.valueDigits);
  if (found.verifier && priceWeightCheckDigit(value) !== Number(ean13[itemEnd])) {
    return { ok: false, code: 'bad_verifier' };
  }
  const zero = '0'.repeat(found.valueDigits);
  const verifier = found.verifier ? String(priceWeightCheckDigit(zero)) : '';
  const body = `${ean13.slice(0, itemEnd)}${verifier}${zero}`;
  return {
    ok: true,
    measure: {
      prefix,
      measure: found.measure,
      item: ean13.slice(2, itemEnd),
      units: Number(value),
      decimals: found.decimals,
      lookupGtin: `${body}${gtinCheckDigit(body)}`,
    },
  };
}

// GS1 GenSpecs §7.9.3 weighting factors for price/weight verifier digits.
const twoMinus = (d: number) => (2 * d - Math.floor((2 * d) / 10)) % 10;
const three = (d: number) => (3 * d) % 10;
const fivePlus = (d: number) => (5 * d + Math.floor((5 * d) / 10)) % 10;
const fiveMinus = (d: number) => (5 * d - Math.floor((5 * d) / 10)) % 10;

/** The verifier digit for a 4- or 5-digit price/weight field (GS1 GenSpecs §7.9.3–7.9.4). */
export function priceWeightCheckDigit(value: string): number | undefined {
  if (!/^\d{4,5}$/.test(value)) return undefined;
  const d = [...value].map(Number) as number[];
  const at = (i: number) => d[i] ?? 0;
  if (d.length === 4) return ((twoMinus(at(0)) + twoMinus(at(1)) + three(at(2)) + fiveMinus(at(3))) * 3) % 10;
  const sum = fivePlus(at(0)) + twoMinus(at(1)) + fiveMinus(at(2)) + fivePlus(at(3)) + twoMinus(at(4));
  const target = (10 - (sum % 10)) % 10;
  for (let c = 0; c <= 9; c++) if (fiveMinus(c) === target) return c;
  return undefined;
}
