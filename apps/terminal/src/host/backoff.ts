/** Exponential backoff with full jitter: a random wait in [0, min(cap, base·2^attempt)]. */
export function fullJitterDelay(
  attempt: number,
  random: () => number,
  baseMs = 500,
  capMs = 5 * 60_000,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
