import { ApiError } from './errors.js';

export interface IngestGateOptions {
  /**
   * Most ingest requests inside the server at once: their bodies being received, authenticating, waiting for the
   * database or being written.
   */
  maxInFlight: number;
  /** Upper end of the Retry-After spread, in seconds. */
  maxRetryAfterSeconds?: number;
  /** For tests: the jitter source (default Math.random). */
  random?: () => number;
  /** Called for every refusal (the app counts them as `tillwright_ingest_shed_total`). */
  onRefused?: () => void;
}

/** Default bound: keeps a PostgreSQL pool of 10 busy, holds at most a few tens of 256 KB batches in memory. */
export const DEFAULT_MAX_INGEST_IN_FLIGHT = 32;
const DEFAULT_MAX_RETRY_AFTER_SECONDS = 30;
/** Refusals and completions are counted in windows of this length; the last two windows set the spread. */
const WINDOW_MS = 1_000;

/**
 * A global bound on concurrent ingest work, so a thundering herd (every terminal of every store reconnecting in the
 * same second, each with a backlog) costs the server a bounded amount of memory and database work. The per-address
 * and per-terminal token buckets cannot do this: a herd is many addresses and many terminals, each sending one batch
 * at a time, well inside its own budget.
 *
 * A request over the bound is refused with 429 `rate_limited` before anything else is done for it (the route
 * admits as soon as the headers are in: no body read, no authentication, no nonce). Its Retry-After is jittered
 * over a spread that follows the load: refusals over completions in the last one to two seconds (completions
 * counted as at least the bound), i.e. roughly how many seconds the server needs to serve the requests it just
 * turned away, so retries come back spread out at about the rate the server completes work, instead of all
 * together again a second later.
 */
export class IngestGate {
  private inside = 0;
  private windowStart = 0;
  private current = { refused: 0, completed: 0 };
  private previous = { refused: 0, completed: 0 };
  private readonly maxInFlight: number;
  private readonly maxRetryAfter: number;
  private readonly random: () => number;
  private readonly onRefused: () => void;

  constructor(options: IngestGateOptions) {
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1)
      throw new RangeError('maxInFlight must be a positive integer');
    this.maxInFlight = options.maxInFlight;
    this.maxRetryAfter = Math.max(
      1,
      Math.floor(options.maxRetryAfterSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS),
    );
    this.random = options.random ?? Math.random;
    this.onRefused = options.onRefused ?? (() => {});
  }

  /** Requests admitted and not yet released. */
  get inFlight(): number {
    return this.inside;
  }

  /**
   * Admits one request or refuses it with a 429. The returned function releases the place; call it exactly when the
   * request's work is done (in a `finally`). Calling it again does nothing.
   */
  enter(nowMs: number): (doneMs: number) => void {
    if (this.inside >= this.maxInFlight) throw this.refuse(nowMs);
    this.inside += 1;
    let released = false;
    return (doneMs: number) => {
      if (released) return;
      released = true;
      this.inside -= 1;
      this.roll(doneMs);
      this.current.completed += 1;
    };
  }

  /** Seconds a refused client should wait: 1 plus a random whole number below the spread the load calls for. */
  retryAfterSeconds(nowMs: number): number {
    this.roll(nowMs);
    const refused = this.previous.refused + this.current.refused;
    const completed = this.previous.completed + this.current.completed;
    // Until completions have been counted (the first second of a herd), assume the server serves at least a gate's
    // worth of requests a second: a batch takes milliseconds, not seconds.
    const served = Math.max(completed, this.maxInFlight);
    const spread = Math.min(this.maxRetryAfter, Math.max(1, Math.ceil(refused / served)));
    return Math.min(this.maxRetryAfter, 1 + Math.floor(this.random() * spread));
  }

  private refuse(nowMs: number): ApiError {
    this.roll(nowMs);
    this.current.refused += 1;
    this.onRefused();
    const retryAfter = this.retryAfterSeconds(nowMs);
    return new ApiError(
      429,
      'rate_limited',
      `the server is busy with other terminals' batches; retry in ${retryAfter} s`,
      true,
      { retryAfter },
    );
  }

  private roll(nowMs: number): void {
    if (nowMs - this.windowStart < WINDOW_MS) return;
    // A gap of more than one window means nothing happened in between: both windows start empty.
    this.previous = nowMs - this.windowStart < 2 * WINDOW_MS ? this.current : { refused: 0, completed: 0 };
    this.current = { refused: 0, completed: 0 };
    this.windowStart = nowMs;
  }
}
