/**
 * Finds payment card numbers (PANs) in free text, so they can be refused or masked before anything keeps them.
 *
 * A **digit run** is digits (any script's decimal digits) where each two neighbours are separated by nothing or by
 * one or two separator characters: whitespace, dashes, dots, underscores, slashes, backslashes, or invisible format
 * marks (zero-width space, soft hyphen, …). A run **holds a card number** when any window of 12 to 19 consecutive
 * digits in it starts with 2, 3, 4, 5 or 6 and passes the Luhn check. Every window is tried, so a card number is
 * found inside a longer run too (a leading zero, an expiry typed straight after it); the price is false positives:
 * about half of random 12–19 digit runs hold such a window, nearly every run longer than 25 digits does.
 * See docs/security.md ("Card data").
 */

export interface CardNumberFinding {
  /** Where the digit run starts and ends in the text (UTF-16 indexes, end exclusive), separators inside it included. */
  start: number;
  end: number;
  /** The run's last four digits (0–9): all a person may be shown. */
  lastFour: string;
}

const MIN_LENGTH = 12;
const MAX_LENGTH = 19;
/** Most separator characters between two digits of one run. */
const MAX_SEPARATORS = 2;
/** First digits of the card networks: Mastercard and Mir (2), Amex, Diners and JCB (3), Visa (4), Mastercard and
 * Maestro (5), Discover, UnionPay, Maestro and RuPay (6). */
const ISSUER_FIRST_DIGITS = new Set([2, 3, 4, 5, 6]);
const MASK = '*';

const DECIMAL_DIGIT = /^\p{Nd}$/u;
const SEPARATOR = /^[\s\p{Pd}\p{Cf}\u2212._/\\\uff0e\uff0f\uff3f]$/u;

/** Every digit run of the text that holds a card number, in order. */
export function findCardNumbers(text: string): CardNumberFinding[] {
  const found: CardNumberFinding[] = [];
  let digits: number[] = [];
  let start = 0;
  let end = 0;
  let separators = 0;
  const close = () => {
    if (holdsCardNumber(digits)) found.push({ start, end, lastFour: digits.slice(-4).join('') });
    digits = [];
  };
  let index = 0;
  for (const char of text) {
    const value = digitValue(char);
    if (value !== null) {
      if (digits.length === 0) start = index;
      digits.push(value);
      end = index + char.length;
      separators = 0;
    } else if (digits.length > 0) {
      if (SEPARATOR.test(char) && separators < MAX_SEPARATORS) separators += 1;
      else {
        close();
        separators = 0;
      }
    }
    index += char.length;
  }
  if (digits.length > 0) close();
  return found;
}

export function containsCardNumber(text: string): boolean {
  return findCardNumbers(text).length > 0;
}

/**
 * The text with every digit of each card-holding run replaced by `*` except the run's last four; separators stay,
 * so "4111 1111 1111 1111" reads "**** **** **** 1111". Each UTF-16 unit of a masked digit becomes one `*`, so the
 * text keeps its length and everything else its place.
 */
export function maskCardNumbers(text: string): string {
  const found = findCardNumbers(text);
  if (found.length === 0) return text;
  let masked = '';
  let at = 0;
  for (const { start, end } of found) {
    masked += text.slice(at, start);
    const run = [...text.slice(start, end)];
    let keep = 4;
    const kept: string[] = [];
    for (let i = run.length - 1; i >= 0; i--) {
      const char = run[i]!;
      if (digitValue(char) === null) kept.push(char);
      else if (keep > 0) {
        kept.push(char);
        keep -= 1;
      } else kept.push(MASK.repeat(char.length));
    }
    masked += kept.reverse().join('');
    at = end;
  }
  return masked + text.slice(at);
}

/**
 * A JSON value with `maskCardNumbers` applied to every string and every object key, at any depth. Numbers are left
 * alone: they are amounts and counts, not text.
 */
export function maskCardNumbersInJson(value: unknown): unknown {
  if (typeof value === 'string') return maskCardNumbers(value);
  if (Array.isArray(value)) return value.map(maskCardNumbersInJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [maskCardNumbers(key), maskCardNumbersInJson(item)]),
    );
  }
  return value;
}

export function luhnValid(digits: string): boolean {
  return luhnSum([...digits].map(Number), 0, digits.length) % 10 === 0;
}

function holdsCardNumber(digits: readonly number[]): boolean {
  for (let first = 0; first + MIN_LENGTH <= digits.length; first++) {
    if (!ISSUER_FIRST_DIGITS.has(digits[first]!)) continue;
    for (let length = MIN_LENGTH; length <= MAX_LENGTH && first + length <= digits.length; length++) {
      if (luhnSum(digits, first, length) % 10 === 0) return true;
    }
  }
  return false;
}

function luhnSum(digits: readonly number[], first: number, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) {
    let digit = digits[first + length - 1 - i]!;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum;
}

/**
 * The value of a decimal digit of any script, or null. Unicode encodes each script's digits as ten consecutive code
 * points from 0 to 9 (some scripts' sets sit back to back), so a digit's value is its distance, modulo 10, from the
 * start of the unbroken stretch of digits it belongs to.
 */
function digitValue(char: string): number | null {
  const code = char.codePointAt(0)!;
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code < 0x80 || !DECIMAL_DIGIT.test(char)) return null;
  let zero = code;
  while (zero > 0x80 && DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) zero -= 1;
  return (code - zero) % 10;
}
