/**
 * Exponential backoff with "full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"): the delay
 * before attempt n is uniform in [0, min(cap, base × 2^n)). Randomness is injected so tests are deterministic.
 */

export interface BackoffOptions {
  /** First ceiling, in ms. Default 500 (research §6.4). */
  baseMs?: number;
  /** Largest ceiling, in ms. Default 30 000. */
  capMs?: number;
  /** Uniform [0, 1). Default Math.random; pass a seeded generator in tests. */
  random?: () => number;
}

export type BackoffPolicy = (attempt: number) => number;

export function fullJitterBackoff(options: BackoffOptions = {}): BackoffPolicy {
  const base = options.baseMs ?? 500;
  const cap = options.capMs ?? 30_000;
  const random = options.random ?? Math.random;
  if (!(base > 0) || !(cap >= base))
    throw new RangeError(`backoff needs 0 < baseMs <= capMs (got ${base}, ${cap})`);
  return (attempt) => {
    const ceiling = Math.min(cap, base * 2 ** Math.min(Math.max(0, attempt), 30));
    return Math.floor(random() * ceiling);
  };
}
