/**
 * GTIN check digits and a length-based symbology guess for retail barcodes. GS1 standard check digit: weights
 * 3,1,3,… from the rightmost data digit, check = (10 − sum mod 10) mod 10 (GS1 General Specifications §7.9.1).
 */
export type Symbology =
  | 'EAN-13'
  | 'EAN-8'
  | 'UPC-A'
  | 'UPC-E'
  | 'EAN/UPC'
  | 'GS1-128'
  | 'Code 128'
  | 'Code 39'
  | 'Code 93'
  | 'Codabar'
  | 'ITF'
  | 'ITF-14'
  | 'GS1 DataBar'
  | 'DataMatrix'
  | 'GS1 DataMatrix'
  | 'QR Code'
  | 'GS1 QR Code'
  | 'PDF417'
  | 'Aztec'
  | 'DotCode'
  | 'GS1 DotCode'
  | 'unknown';

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

/**
 * Expand a UPC-E (8 digits: number system 0 or 1, six data digits, check digit) to its UPC-A (12 digits).
 * The last data digit selects the zero-suppression pattern (GS1 General Specifications §2.1.x, UPC-E).
 * Returns undefined for anything that is not an 8-digit UPC-E with number system 0 or 1 (a 6-digit body is
 * accepted too, with number system 0 and no check digit given).
 */
export function expandUpcE(code: string): string | undefined {
  const full = code.length === 6 ? `0${code}` : code.length === 7 || code.length === 8 ? code : '';
  if (!/^[01]\d{6,7}$/.test(full)) return undefined;
  const ns = full[0] ?? '0';
  const d = full.slice(1, 7);
  const last = d[5] ?? '0';
  let body: string;
  switch (last) {
    case '0':
    case '1':
    case '2':
      body = `${d.slice(0, 2)}${last}0000${d.slice(2, 5)}`;
      break;
    case '3':
      body = `${d.slice(0, 3)}00000${d.slice(3, 5)}`;
      break;
    case '4':
      body = `${d.slice(0, 4)}00000${d[4]}`;
      break;
    default:
      body = `${d.slice(0, 5)}0000${last}`;
  }
  const upcA = `${ns}${body}`;
  return `${upcA}${gtinCheckDigit(upcA)}`;
}

/** True for an 8-digit UPC-E whose check digit (computed on the expanded UPC-A) is right. */
export function upcEValid(code: string): boolean {
  if (!/^[01]\d{7}$/.test(code)) return false;
  return expandUpcE(code)?.at(-1) === code.at(-1);
}

/** Check-digit validation for the retail symbologies, by symbology and exact length. */
export function checkDigitValid(symbology: 'EAN-13' | 'EAN-8' | 'UPC-A' | 'UPC-E', code: string): boolean {
  switch (symbology) {
    case 'EAN-13':
      return code.length === 13 && gtinCheckDigitValid(code);
    case 'EAN-8':
      return code.length === 8 && gtinCheckDigitValid(code);
    case 'UPC-A':
      return code.length === 12 && gtinCheckDigitValid(code);
    case 'UPC-E':
      return upcEValid(code);
  }
}

/** Left-pad an EAN-8, UPC-A, EAN-13 or GTIN-14 to GTIN-14 (UPC-E is expanded first); undefined if invalid. */
export function toGtin14(code: string, symbology?: Symbology): string | undefined {
  const plain = symbology === 'UPC-E' ? (upcEValid(code) ? expandUpcE(code) : undefined) : code;
  if (plain === undefined || !gtinCheckDigitValid(plain)) return undefined;
  return plain.padStart(14, '0');
}
