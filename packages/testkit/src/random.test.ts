import { describe, expect, it } from 'vitest';
import { integer, mulberry32, pick, type Random } from './index.js';

// Recorded from the seven copies this package replaced (ledger crash harness and benches, commerce card-number test
// and bench, devices testing, sync-server concurrent ingest, e2e fault proxy), which all drew these same words.
// The crash harness and the chaos run replay a failure by its seed: if one of these fails, old seeds no longer
// replay. Add a new generator instead of changing this one.
const words = (random: Random, count: number) => Array.from({ length: count }, () => random() * 2 ** 32);

describe('mulberry32', () => {
  it.each([
    [
      0,
      [
        1144304738, 1416247, 958946056, 627933444, 2007157716, 2340967985, 2642484575, 2787370982, 1958536065,
        2496316458,
      ],
    ],
    [
      20_261_125,
      [
        1176269751, 1461114176, 3047578727, 954939906, 300765720, 1880756374, 4227394066, 2061882607,
        3894123975, 1366808907,
      ],
    ],
    [
      0x5eed_0005,
      [
        3531453603, 2347358903, 3610264965, 1604308038, 3669591003, 36050, 2331862804, 2596202829, 820886735,
        1801703603,
      ],
    ],
    [
      0xffff_ffff,
      [
        3850105811, 813802916, 3073704848, 4054706436, 3630262831, 2315588663, 2922715533, 2042566601,
        583504547, 4245337221,
      ],
    ],
  ])('draws the pinned sequence for seed %i', (seed, expected) => {
    expect(words(mulberry32(seed), 10)).toEqual(expected);
  });

  it('draws floats in [0, 1): each a 32-bit word over 2^32', () => {
    const random = mulberry32(0);
    expect(random()).toBe(0.26642920868471265);
    expect(random()).toBe(0.0003297457005828619);
    for (const value of words(mulberry32(7), 1000)) {
      expect(Number.isInteger(value) && value >= 0 && value < 2 ** 32).toBe(true);
    }
  });

  it('takes the seed as an unsigned 32-bit integer', () => {
    expect(words(mulberry32(-1), 10)).toEqual(words(mulberry32(0xffff_ffff), 10));
    expect(words(mulberry32(2 ** 32 + 7), 10)).toEqual(words(mulberry32(7), 10));
    expect(words(mulberry32(1), 10)).not.toEqual(words(mulberry32(0), 10));
  });
});

describe('integer and pick', () => {
  // The commerce pricing bench's int(min, max) and pick(list) as they were written inline, seed 20251125.
  it('integer is min + floor(draw × span), one draw each: the pinned draws of seed 20251125', () => {
    const random = mulberry32(20_251_125);
    expect(Array.from({ length: 5 }, () => integer(random, 49, 4999))).toEqual([2818, 764, 243, 3009, 3676]);
    expect(Array.from({ length: 5 }, () => pick(random, ['a', 'b', 'c', 'd', 'e', 'f', 'g']))).toEqual([
      'f',
      'e',
      'b',
      'b',
      'd',
    ]);
    expect(Array.from({ length: 5 }, () => integer(random, 2, 4))).toEqual([2, 3, 2, 3, 2]);
  });

  // The ledger catalog bench's int0(max) = floor(draw × max) and pick, seed 20251126.
  it('integer(random, 0, max − 1) is floor(draw × max): the pinned draws of seed 20251126', () => {
    const random = mulberry32(20_251_126);
    expect(Array.from({ length: 5 }, () => integer(random, 0, 9))).toEqual([4, 0, 3, 5, 3]);
    expect(Array.from({ length: 3 }, () => integer(random, 0, 9_999_999_999))).toEqual([
      637384967, 5510787032, 1783490760,
    ]);
    expect(Array.from({ length: 5 }, () => pick(random, ['a', 'b', 'c', 'd', 'e', 'f', 'g']))).toEqual([
      'd',
      'f',
      'e',
      'b',
      'b',
    ]);
  });

  it('stays in range and refuses to pick from nothing', () => {
    const random = mulberry32(1);
    for (let n = 0; n < 1000; n++) {
      const value = integer(random, -3, 3);
      expect(Number.isInteger(value) && value >= -3 && value <= 3).toBe(true);
    }
    expect(() => pick(random, [])).toThrow(RangeError);
  });
});
