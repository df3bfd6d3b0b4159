/**
 * GTIN check digits and a length-based symbology guess for retail barcodes. GS1 standard check digit: weights
 * 3,1,3,… from the rightmost data digit, check = (10 − sum mod 10) mod 10 (GS1 General Specifications §7.9.1).
 */
export type Symbology = 'EAN-13' | 'EAN-8' | 'UPC-A' | 'unknown';

const GTIN_LENGTHS = new Set([8, 12, 13, 14]);

/** The check digit for `digits` (the code without its check digit), or undefined if it is not all digits. */
export function gtinCheckDigit(digits: string): number | undefined {
  if (!/^\d+$/.test(digits)) return undefined;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 0x30;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for an 8, 12, 13 or 14 digit GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) whose last digit checks. */
export function gtinCheckDigitValid(code: string): boolean {
  if (!GTIN_LENGTHS.has(code.length) || !/^\d+$/.test(code)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === Number(code.slice(-1));
}

/**
 * EAN-13, EAN-8 or UPC-A by length, only when the check digit is valid; everything else is 'unknown'.
 * (Without an AIM identifier an 8-digit code could also be a UPC-E or a plain number; we call it EAN-8 only
 * when it checks.)
 */
export function classifySymbology(code: string): Symbology {
  if (!gtinCheckDigitValid(code)) return 'unknown';
  switch (code.length) {
    case 13:
      return 'EAN-13';
    case 12:
      return 'UPC-A';
    case 8:
      return 'EAN-8';
    default:
      return 'unknown';
  }
}
