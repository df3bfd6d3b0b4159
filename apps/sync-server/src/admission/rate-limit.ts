import { ApiError } from '../errors.js';

/**
 * Token buckets per key (a terminal, a client address, a login name), refilled continuously. Over the limit the
 * request is answered 429 with Retry-After and nothing else happens. The map of buckets is bounded: idle full
 * buckets are dropped first.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly maxKeys = 50_000,
  ) {}

  take(key: string, nowMs: number, what = 'too many requests'): void {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: nowMs };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.perSecond);
    bucket.at = nowMs;
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
      throw new ApiError(429, 'rate_limited', `${what}; retry in ${retryAfter} s`, true, {
        retryAfter,
      });
    }
    bucket.tokens -= 1;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }

  /** Gives back a token taken for something that turned out not to count (a sign-in that succeeded). */
  refund(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.burst, bucket.tokens + 1);
  }
}
