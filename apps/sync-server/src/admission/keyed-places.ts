import { ApiError } from '../errors.js';
import type { Release } from './ingest-gate.js';

/**
 * At most `perKey` places held at once per key (a client address, a terminal). A key over its bound is refused with
 * 429 before anything else is done for it, so one key can never hold every place of a shared bound. Keys with no
 * place held are forgotten, so the map holds only keys with work in the server.
 */
export class KeyedPlaces {
  private readonly held = new Map<string, number>();

  constructor(
    private readonly perKey: number,
    /** Words for the refusal: what was over its bound, e.g. "this address" or "this terminal". */
    private readonly what: string,
    private readonly onRefused: () => void = () => {},
  ) {
    if (!Number.isInteger(perKey) || perKey < 1) throw new RangeError('perKey must be a positive integer');
  }

  /** Takes a place for `key` or throws 429 rate_limited. The Release gives it back; calling it again does nothing. */
  take(key: string): Release {
    const count = this.held.get(key) ?? 0;
    if (count >= this.perKey) {
      this.onRefused();
      throw new ApiError(
        429,
        'rate_limited',
        `${this.what} already has ${this.perKey} journal batches in the server; retry once one is answered`,
        true,
        { retryAfter: 1 },
      );
    }
    this.held.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left === 0) this.held.delete(key);
      else this.held.set(key, left);
    };
  }

  /** Places `key` holds now. */
  count(key: string): number {
    return this.held.get(key) ?? 0;
  }

  /** Places held by every key together. */
  get total(): number {
    let sum = 0;
    for (const count of this.held.values()) sum += count;
    return sum;
  }
}
