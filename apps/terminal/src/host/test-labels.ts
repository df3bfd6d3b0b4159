import { gtinCheckDigit, priceWeightCheckDigit } from '@tillwright/devices';

/**
 * A German variable-measure EAN-13 (tests only): prefix (28/29 weight in grams, 22/23 price in cents), a 4-digit
 * item code, the value's verifier digit, a 5-digit value and the check digit. `value` 0 gives the product's own
 * barcode, the item code HQ lists (what `parseVariableMeasure` looks up).
 */
export function germanLabel(prefix: '28' | '29' | '22' | '23', item: string, value: number): string {
  const digits = String(value).padStart(5, '0');
  const body = `${prefix}${item}${priceWeightCheckDigit(digits)}${digits}`;
  return `${body}${gtinCheckDigit(body)}`;
}
