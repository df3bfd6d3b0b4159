import { mulberry32 } from '@tillwright/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  containsCardNumber,
  findCardNumbers,
  luhnValid,
  maskCardNumbers,
  maskCardNumbersInJson,
} from './card-numbers.js';

/** Fixed seed: every run explores the same cases, so a failure reproduces. */
const SEED = 20_261_125;

const VISA = '4111111111111111';
const MASTERCARD = '5555555555554444';
const AMEX = '378282246310005';

describe('what counts as a card number', () => {
  it('is 12 to 19 digits starting with 2 to 6 that pass the Luhn check', () => {
    expect(luhnValid(VISA)).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    for (const pan of [VISA, MASTERCARD, AMEX, '6011000990139424', '3530111333300000', '2223003122003222']) {
      expect(containsCardNumber(pan)).toBe(true);
    }
    expect(containsCardNumber('4111111111111112')).toBe(false);
    // Luhn-valid, but issuers outside 2–6 (airline 1, petroleum 7, telecom/health 8, national 9) are not looked for.
    for (const other of ['1111111111111117', '7111111111111114', '8111111111111112', '9111111111111110']) {
      expect(luhnValid(other)).toBe(true);
      expect(containsCardNumber(other)).toBe(false);
    }
    // 11 digits is too short for any card.
    expect(containsCardNumber('42424242426')).toBe(false);
  });

  it('is found however the digits are separated: spaces, dots, dashes, underscores, slashes, invisible marks', () => {
    for (const written of [
      '4111 1111 1111 1111',
      '4111.1111.1111.1111',
      '4111-1111-1111-1111',
      '4111_1111_1111_1111',
      '4111/1111/1111/1111',
      '4111\\1111\\1111\\1111',
      '4111  1111  1111  1111',
      '4111 -1111- 1111 -1111',
      '4111\u00a01111\u00a01111\u00a01111',
      '4111\u20131111\u20131111\u20131111',
      '4111\u200b1111\u200b1111\u200b1111',
      '4\n1\t1\r1 1111 1111 1111',
    ]) {
      expect(containsCardNumber(written), written).toBe(true);
    }
  });

  it('is found in full-width and other scripts’ digits', () => {
    const fullWidth = [...VISA].map((d) => String.fromCodePoint(0xff10 + Number(d))).join('');
    const arabicIndic = [...VISA].map((d) => String.fromCodePoint(0x0660 + Number(d))).join(' ');
    expect(containsCardNumber(fullWidth)).toBe(true);
    expect(containsCardNumber(arabicIndic)).toBe(true);
  });

  it('is found inside a longer run of digits: a leading zero, an expiry typed straight after it', () => {
    expect(containsCardNumber('04111111111111111111')).toBe(true);
    expect(containsCardNumber(`${MASTERCARD}1228`)).toBe(true);
    expect(containsCardNumber(`ref 99 ${AMEX} 7`)).toBe(true);
  });

  it('is not joined across letters, commas, colons or more than two separators', () => {
    expect(containsCardNumber('4111x1111x1111x1111')).toBe(false);
    expect(containsCardNumber('4111,1111,1111,1111')).toBe(false);
    expect(containsCardNumber('4111:1111:1111:1111')).toBe(false);
    expect(containsCardNumber('4111 - 1111 - 1111 - 1111')).toBe(false);
  });

  it('says where each card-like run is and its last four digits, never the rest', () => {
    expect(findCardNumbers('paid with 4111 1111 1111 1111, thanks')).toEqual([
      { start: 10, end: 29, lastFour: '1111' },
    ]);
    expect(findCardNumbers(`${VISA} and ${MASTERCARD}`).map((found) => found.lastFour)).toEqual([
      '1111',
      '4444',
    ]);
    expect(findCardNumbers('no digits here')).toEqual([]);
  });
});

describe('masking', () => {
  it('keeps only the last four digits of a card-like run, and its separators so it can still be read', () => {
    expect(maskCardNumbers('card 4111 1111 1111 1111 declined')).toBe('card **** **** **** 1111 declined');
    expect(maskCardNumbers('pan 04111111111111111111 exp')).toBe('pan ****************1111 exp');
  });

  it('leaves text without a card number as it is', () => {
    for (const text of ['refund for order 12345', 'tok_4111111111111112', '', 'Preis 12.99 €']) {
      expect(maskCardNumbers(text)).toBe(text);
    }
  });

  it('masks every string and every key of a JSON value, whatever its shape', () => {
    const masked = maskCardNumbersInJson({
      reason: `customer said ${VISA}`,
      lines: [{ name: 'pen', [MASTERCARD]: 1, quantity: 4111111111111111 }],
      note: null,
    });
    expect(masked).toEqual({
      reason: 'customer said ************1111',
      lines: [{ name: 'pen', '************4444': 1, quantity: 4111111111111111 }],
      note: null,
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------------

/** Issuer prefixes and lengths as the networks publish them (IIN ranges). */
const ISSUERS: readonly { prefixes: readonly string[]; lengths: readonly number[] }[] = [
  { prefixes: ['4'], lengths: [13, 16, 19] }, // Visa
  { prefixes: ['51', '52', '53', '54', '55', '2221', '2500', '2720'], lengths: [16] }, // Mastercard
  { prefixes: ['34', '37'], lengths: [15] }, // American Express
  { prefixes: ['6011', '644', '649', '65'], lengths: [16, 17, 18, 19] }, // Discover
  { prefixes: ['300', '305', '36', '38', '39'], lengths: [14, 15, 16, 17, 18, 19] }, // Diners Club
  { prefixes: ['3528', '3589'], lengths: [16, 17, 18, 19] }, // JCB
  { prefixes: ['62'], lengths: [16, 17, 18, 19] }, // UnionPay
  { prefixes: ['5018', '5020', '5038', '5893', '6304', '6759', '6761'], lengths: [12, 13, 16, 19] }, // Maestro
  { prefixes: ['2200', '2204'], lengths: [16, 17, 18, 19] }, // Mir
];

function luhnCheckDigit(body: string): string {
  for (let digit = 0; digit <= 9; digit++) if (luhnValid(`${body}${digit}`)) return String(digit);
  throw new Error('unreachable: one check digit always fits');
}

/** A Luhn-valid card number of a real issuer prefix and length. */
const cardNumberArb: fc.Arbitrary<string> = fc
  .constantFrom(...ISSUERS)
  .chain((issuer) => fc.tuple(fc.constantFrom(...issuer.prefixes), fc.constantFrom(...issuer.lengths)))
  .chain(([prefix, length]) =>
    fc
      .array(fc.integer({ min: 0, max: 9 }), {
        minLength: length - prefix.length - 1,
        maxLength: length - prefix.length - 1,
      })
      .map((digits) => {
        const body = `${prefix}${digits.join('')}`;
        return `${body}${luhnCheckDigit(body)}`;
      }),
  );

const SEPARATORS = [' ', '.', '-', '_', '/', '\\', '\u00a0', '\u2013', '\u200b', '\t'];

/** The card's digits in groups of 1 to 6, each pair of groups joined by none, one or two separators. */
function written(card: string, groupSizes: number[], joins: string[]): string {
  let out = '';
  let at = 0;
  let group = 0;
  while (at < card.length) {
    const size = groupSizes[group % groupSizes.length]!;
    if (at > 0) out += joins[group % joins.length]!;
    out += card.slice(at, at + size);
    at += size;
    group += 1;
  }
  return out;
}

const writtenCardArb = fc.record({
  card: cardNumberArb,
  groupSizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }),
  joins: fc.array(
    fc.array(fc.constantFrom(...SEPARATORS), { maxLength: 2 }).map((chars) => chars.join('')),
    { minLength: 1, maxLength: 6 },
  ),
  before: fc.string({ unit: 'grapheme', maxLength: 30 }),
  after: fc.string({ unit: 'grapheme', maxLength: 30 }),
});

const digitCount = (text: string) => text.match(/\p{Nd}/gu)?.length ?? 0;

describe('properties', () => {
  it('finds and masks every realistic card number, however written and whatever surrounds it', () => {
    fc.assert(
      fc.property(writtenCardArb, ({ card, groupSizes, joins, before, after }) => {
        const number = written(card, groupSizes, joins);
        const text = `${before}${number}${after}`;
        const found = findCardNumbers(text);
        // The card's characters lie inside one finding (which may also take in digits written next to it).
        const start = before.length;
        const end = start + number.length;
        expect(found.some((f) => f.start <= start && f.end >= end)).toBe(true);
        const masked = maskCardNumbers(text);
        expect(findCardNumbers(masked)).toEqual([]);
        // Only the runs found change: what comes before the first and after the last is kept as it was.
        expect(masked.startsWith(text.slice(0, found[0]!.start))).toBe(true);
        expect(masked.endsWith(text.slice(found.at(-1)!.end))).toBe(true);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('masks so that at most four digits of any card-like run are left, and masking twice changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), writtenCardArb, (noise, { card }) => {
        const text = `${noise}${card}${noise}`;
        const masked = maskCardNumbers(text);
        expect(maskCardNumbers(masked)).toBe(masked);
        // Masking keeps the text's length per character, so a run found in the text sits at the same place.
        for (const { start, end } of findCardNumbers(text)) {
          expect(digitCount(masked.slice(start, end))).toBeLessThanOrEqual(4);
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('flags about half of random 12–19 digit strings, because every window of a run is a candidate', () => {
    // A seeded generator with no bias toward small values, for measuring rates.
    const random = mulberry32(SEED);
    const rateAt = (length: number, predicate: (digits: string) => boolean) => {
      let hits = 0;
      for (let n = 0; n < 4000; n++) {
        let digits = '';
        for (let i = 0; i < length; i++) digits += Math.floor(random() * 10);
        if (predicate(digits)) hits += 1;
      }
      return hits / 4000;
    };
    const lengths = [12, 13, 14, 15, 16, 17, 18, 19];
    const flagged = lengths.map((length) => rateAt(length, containsCardNumber));
    const luhn = lengths.map((length) => rateAt(length, luhnValid));
    // As docs/security.md reports them (50,000 runs per length): a window starts with 2–6 and passes Luhn 1 time in
    // 20, and a run of n digits has (n − 10)(n − 11)/2 windows: 1 at 12 digits, 15 at 16, 36 at 19.
    const measured = [4.9, 14.2, 26.4, 39.6, 51.9, 63.9, 73.6, 81.1];
    for (const [i, rate] of flagged.entries()) expect(Math.abs(rate * 100 - measured[i]!)).toBeLessThan(3);
    const mean = flagged.reduce((a, b) => a + b) / lengths.length;
    expect(mean).toBeGreaterThan(0.42);
    expect(mean).toBeLessThan(0.47);
    expect(luhn.every((rate) => rate > 0.08 && rate < 0.12)).toBe(true);
  });
});
