/**
 * The one seeded PRNG of the tests and benchmarks. The crash harness (packages/ledger/src/crash) and the chaos run's
 * fault proxy (e2e/src/fault-proxy.ts) replay a failure by its seed, so what a seed draws must never change:
 * random.test.ts pins it. A different generator would be a new function here, never a change to this one.
 */

/** Uniform in [0, 1), like `Math.random`. */
export type Random = () => number;

/**
 * mulberry32: small, fast and good enough to spread test inputs; the same seed gives the same sequence everywhere.
 * The seed is taken as an unsigned 32-bit integer (`-1` is `0xffff_ffff`, `2 ** 32 + 7` is `7`); each draw is a
 * 32-bit word divided by 2^32.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An integer in [min, max], both included, from one draw. */
export function integer(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a non-empty list, from one draw. */
export function pick<T>(random: Random, list: readonly T[]): T {
  if (list.length === 0) throw new RangeError('pick: the list is empty');
  return list[integer(random, 0, list.length - 1)]!;
}
