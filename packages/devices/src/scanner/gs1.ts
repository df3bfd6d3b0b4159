/**
 * GS1 element strings (GS1-128, GS1 DataMatrix, GS1 QR, GS1 DataBar): a run of application identifiers (AIs)
 * and values. Fixed-length AIs run into the next AI; variable-length AIs end at FNC1, transmitted as GS (0x1D).
 * The AI definitions are data (a subset of the GS1 General Specifications §3.2 table, enough for retail and
 * fresh food). Parse errors are returned as values with a code and offset, never thrown.
 */
import { splitAim } from './aim.js';
import { gtinCheckDigitValid } from './barcode.js';

export const GS = '\x1d';

export interface AiDefinition {
  /** The AI; a trailing 'n' means "any decimal-position digit" (310n, 392n). */
  ai: string;
  title: string;
  /** 'N' digits only, 'X' GS1 character set 82 (printable ASCII here). */
  charset: 'N' | 'X';
  /** Exact length for fixed AIs; otherwise the maximum. */
  length: number;
  fixed: boolean;
  kind?: 'gtin' | 'sscc' | 'date' | 'measure' | 'price';
}

export const GS1_AIS: readonly AiDefinition[] = [
  { ai: '00', title: 'SSCC', charset: 'N', length: 18, fixed: true, kind: 'sscc' },
  { ai: '01', title: 'GTIN', charset: 'N', length: 14, fixed: true, kind: 'gtin' },
  { ai: '02', title: 'CONTENT', charset: 'N', length: 14, fixed: true, kind: 'gtin' },
  { ai: '10', title: 'BATCH/LOT', charset: 'X', length: 20, fixed: false },
  { ai: '11', title: 'PROD DATE', charset: 'N', length: 6, fixed: true, kind: 'date' },
  { ai: '12', title: 'DUE DATE', charset: 'N', length: 6, fixed: true, kind: 'date' },
  { ai: '13', title: 'PACK DATE', charset: 'N', length: 6, fixed: true, kind: 'date' },
  { ai: '15', title: 'BEST BEFORE or BEST BY', charset: 'N', length: 6, fixed: true, kind: 'date' },
  { ai: '16', title: 'SELL BY', charset: 'N', length: 6, fixed: true, kind: 'date' },
  { ai: '17', title: 'USE BY or EXPIRY', charset: 'N', length: 6, fixed: true, kind: 'date' },
  { ai: '20', title: 'VARIANT', charset: 'N', length: 2, fixed: true },
  { ai: '21', title: 'SERIAL', charset: 'X', length: 20, fixed: false },
  { ai: '30', title: 'VAR. COUNT', charset: 'N', length: 8, fixed: false },
  { ai: '310n', title: 'NET WEIGHT (kg)', charset: 'N', length: 6, fixed: true, kind: 'measure' },
  { ai: '320n', title: 'NET WEIGHT (lb)', charset: 'N', length: 6, fixed: true, kind: 'measure' },
  { ai: '37', title: 'COUNT', charset: 'N', length: 8, fixed: false },
  { ai: '392n', title: 'PRICE', charset: 'N', length: 15, fixed: false, kind: 'price' },
  { ai: '393n', title: 'PRICE (ISO currency)', charset: 'N', length: 18, fixed: false, kind: 'price' },
  { ai: '400', title: 'ORDER NUMBER', charset: 'X', length: 30, fixed: false },
];

export interface Gs1Element {
  ai: string;
  title: string;
  value: string;
  /** 310n/320n/392n/393n: the implied decimal places (the AI's last digit). */
  decimals?: number;
  /** Dates as YYYY-MM-DD (day 00 means the last day of the month and is kept as 00). */
  date?: string;
  /** 393n: the ISO 4217 numeric currency code. */
  currency?: string;
}

export type Gs1ErrorCode = 'unknown_ai' | 'truncated' | 'bad_value' | 'bad_check_digit' | 'too_long';

export type Gs1ParseResult =
  | { ok: true; elements: Gs1Element[]; gtin?: string }
  | { ok: false; code: Gs1ErrorCode; offset: number; message: string };

export interface Gs1ParseOptions {
  /** Two-digit years resolve to 20YY unless a reference year is given (GS1 ±50 year window). */
  referenceYear?: number;
}

/** Parse an element string. A leading AIM id (]C1, ]d2, ]Q3, ]e0, ]J1) and a leading FNC1 are skipped. */
export function parseGs1(input: string, options: Gs1ParseOptions = {}): Gs1ParseResult {
  const { aim, data } = splitAim(input);
  const start = (aim ? 3 : 0) + (data.startsWith(GS) ? 1 : 0);
  const text = input;
  const elements: Gs1Element[] = [];
  let pos = start;
  while (pos < text.length) {
    if (text[pos] === GS) {
      pos++;
      continue;
    }
    const definition = findAi(text, pos);
    if (!definition)
      return fail('unknown_ai', pos, `no known AI at offset ${pos}: ${text.slice(pos, pos + 4)}`);
    const aiLength = definition.ai.length;
    const ai = text.slice(pos, pos + aiLength);
    const valueStart = pos + aiLength;
    let value: string;
    if (definition.fixed) {
      value = text.slice(valueStart, valueStart + definition.length);
      if (value.length < definition.length || value.includes(GS)) {
        return fail('truncated', valueStart, `AI ${ai} needs ${definition.length} characters`);
      }
      pos = valueStart + definition.length;
    } else {
      const end = text.indexOf(GS, valueStart);
      value = text.slice(valueStart, end === -1 ? text.length : end);
      if (value.length === 0) return fail('truncated', valueStart, `AI ${ai} has no value`);
      if (value.length > definition.length) {
        return fail('too_long', valueStart, `AI ${ai} allows at most ${definition.length} characters`);
      }
      pos = end === -1 ? text.length : end + 1;
    }
    const problem = checkValue(definition, value);
    if (problem) return fail(problem.code, valueStart, `AI ${ai}: ${problem.message}`);
    elements.push(element(definition, ai, value, options));
  }
  const gtin = elements.find((e) => e.ai === '01')?.value;
  return gtin === undefined ? { ok: true, elements } : { ok: true, elements, gtin };
}

function findAi(text: string, pos: number): AiDefinition | undefined {
  for (const definition of GS1_AIS) {
    const pattern = definition.ai;
    const candidate = text.slice(pos, pos + pattern.length);
    if (candidate.length !== pattern.length) continue;
    const matches = [...pattern].every((ch, i) =>
      ch === 'n' ? /\d/.test(candidate[i] ?? '') : ch === candidate[i],
    );
    if (matches) return definition;
  }
  return undefined;
}

function checkValue(
  definition: AiDefinition,
  value: string,
): { code: Gs1ErrorCode; message: string } | undefined {
  if (definition.charset === 'N' && !/^\d+$/.test(value))
    return { code: 'bad_value', message: 'digits only' };
  if (definition.charset === 'X' && !/^[\x21-\x7e]+$/.test(value)) {
    return { code: 'bad_value', message: 'characters outside the GS1 set' };
  }
  if ((definition.kind === 'gtin' || definition.kind === 'sscc') && !gtinCheckDigitValid18(value)) {
    return { code: 'bad_check_digit', message: `check digit of ${value} is wrong` };
  }
  if (definition.kind === 'date') {
    const month = Number(value.slice(2, 4));
    const day = Number(value.slice(4, 6));
    if (month < 1 || month > 12 || day > 31)
      return { code: 'bad_value', message: `not a YYMMDD date: ${value}` };
  }
  if (definition.ai === '393n' && value.length < 4)
    return { code: 'bad_value', message: 'currency and amount needed' };
  return undefined;
}

/** GTIN-14 (AI 01/02) or SSCC-18 (AI 00): the same GS1 mod-10 check digit. */
function gtinCheckDigitValid18(value: string): boolean {
  if (value.length === 14) return gtinCheckDigitValid(value);
  return value.length === 18 && /^\d+$/.test(value) && mod10(value) === Number(value.at(-1));
}

function mod10(value: string): number {
  let sum = 0;
  const body = value.slice(0, -1);
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 0x30;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

function element(definition: AiDefinition, ai: string, value: string, options: Gs1ParseOptions): Gs1Element {
  const result: Gs1Element = { ai, title: definition.title, value };
  if (definition.kind === 'measure' || definition.kind === 'price') result.decimals = Number(ai.at(-1));
  if (definition.ai === '393n') {
    result.currency = value.slice(0, 3);
    result.value = value.slice(3);
  }
  if (definition.kind === 'date') {
    const yy = Number(value.slice(0, 2));
    const year = options.referenceYear === undefined ? 2000 + yy : windowYear(yy, options.referenceYear);
    result.date = `${year}-${value.slice(2, 4)}-${value.slice(4, 6)}`;
  }
  return result;
}

/** GS1 GenSpecs §7.12: a two-digit year within −49…+50 years of the reference year. */
function windowYear(yy: number, reference: number): number {
  const century = Math.floor(reference / 100) * 100;
  let year = century + yy;
  if (year - reference > 50) year -= 100;
  else if (reference - year > 49) year += 100;
  return year;
}

function fail(code: Gs1ErrorCode, offset: number, message: string): Gs1ParseResult {
  return { ok: false, code, offset, message };
}
