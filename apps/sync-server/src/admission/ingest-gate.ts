import { ApiError } from '../errors.js';

export interface IngestGateOptions {
  /** Most batches being received and worked on at once: bodies read, authenticated, waiting for or in the database. */
  maxActive: number;
  /** Most more that may wait their turn, headers in and bodies not read (default 64). */
  maxQueued?: number;
  /** A push is refused rather than queued when its estimated wait is longer than this, in ms (default 5,000). */
  maxWaitMs?: number;
  /** Upper end of the Retry-After spread, in seconds (default 30). */
  maxRetryAfterSeconds?: number;
  /** For tests: the clock (default performance.now) and the jitter source (default Math.random). */
  clock?: () => number;
  random?: () => number;
  /** Called for every refusal (the app counts them as `tillwright_ingest_shed_total`). */
  onRefused?: () => void;
}

/** Gives the place back; calling it again does nothing. */
export type Release = () => void;

/** A request let in or queued: `admitted` resolves when it may go on; `cancel()` when its client has left. */
export interface IngestTicket {
  admitted: Promise<Release>;
  cancel(): void;
}

/** Keeps a PostgreSQL pool of 10 busy; at most 16 bodies of up to 512 KB held in memory at once. */
export const DEFAULT_MAX_INGEST_ACTIVE = 16;
export const DEFAULT_MAX_INGEST_QUEUED = 64;
export const DEFAULT_MAX_INGEST_WAIT_MS = 5_000;
const DEFAULT_MAX_RETRY_AFTER_SECONDS = 30;
/** Refusals and completions are counted in windows of this length; the last two windows set the spread. */
const WINDOW_MS = 1_000;
/** Weight of the newest sample in the moving average of the time a batch holds its place. */
const SMOOTHING = 0.2;

interface Waiting {
  resolve: (release: Release) => void;
  reject: (error: Error) => void;
}

/**
 * A global bound on concurrent ingest work, so a thundering herd (every terminal of every store reconnecting in the
 * same second, each with a backlog) costs the server a bounded amount of memory and database work. The per-address
 * and per-terminal token buckets cannot do this: a herd is many addresses and many terminals, each sending one batch
 * at a time, well inside its own budget.
 *
 * Two levels. At most `maxActive` batches are received and worked on at once; that bounds the bodies in memory. The
 * next ones wait, first come first served, before their bodies are read: a waiting push costs a socket and the
 * kernel's buffers, not the server's memory, and waiting a second is better than a refusal and a retry. A push is
 * refused with 429 `rate_limited`, before anything else is done for it, when `maxQueued` are waiting or when its
 * estimated wait (its place in the queue times the moving average of how long a batch holds its place, over
 * `maxActive`) is longer than `maxWaitMs`, so it never waits near the client's own timeout. Its Retry-After is
 * jittered over a spread that follows the load: the time the queue needs to drain, plus refusals over completions in
 * the last one to two seconds (completions counted as at least `maxActive`), so retries come back spread out at about
 * the rate the server completes work, instead of all together again a second later.
 */
export class IngestGate {
  private activeCount = 0;
  private readonly waiting: Waiting[] = [];
  private holdMs = 0;
  private windowStart = 0;
  private current = { refused: 0, completed: 0 };
  private previous = { refused: 0, completed: 0 };
  private readonly maxActive: number;
  private readonly maxQueued: number;
  private readonly maxWaitMs: number;
  private readonly maxRetryAfter: number;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly onRefused: () => void;

  constructor(options: IngestGateOptions) {
    const maxQueued = options.maxQueued ?? DEFAULT_MAX_INGEST_QUEUED;
    if (!Number.isInteger(options.maxActive) || options.maxActive < 1)
      throw new RangeError('maxActive must be a positive integer');
    if (!Number.isInteger(maxQueued) || maxQueued < 0)
      throw new RangeError('maxQueued must be a whole number');
    this.maxActive = options.maxActive;
    this.maxQueued = maxQueued;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_INGEST_WAIT_MS;
    this.maxRetryAfter = Math.max(
      1,
      Math.floor(options.maxRetryAfterSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS),
    );
    this.clock = options.clock ?? (() => performance.now());
    this.random = options.random ?? Math.random;
    this.onRefused = options.onRefused ?? (() => {});
  }

  /** Batches let in and not yet released. */
  get active(): number {
    return this.activeCount;
  }

  /** Pushes waiting for a place. */
  get queued(): number {
    return this.waiting.length;
  }

  /** The estimated wait, in ms, of a push that would be `position` in the queue. */
  estimatedWaitMs(position: number): number {
    return (position * this.holdMs) / this.maxActive;
  }

  /**
   * Lets a push in, queues it, or refuses it (throws the 429 ApiError). Once `admitted` resolves the push holds a
   * place until it calls the Release. If its client leaves while it waits, `cancel()` takes it out of the queue and
   * rejects `admitted`; after admission `cancel()` does nothing (release the place instead).
   */
  enter(): IngestTicket {
    if (this.activeCount < this.maxActive && this.waiting.length === 0) {
      return { admitted: Promise.resolve(this.activate()), cancel: () => {} };
    }
    const position = this.waiting.length + 1;
    if (position > this.maxQueued || this.estimatedWaitMs(position) > this.maxWaitMs) throw this.refuse();
    let entry: Waiting | undefined;
    const admitted = new Promise<Release>((resolve, reject) => {
      entry = { resolve, reject };
    });
    this.waiting.push(entry!);
    return {
      admitted,
      cancel: () => {
        const index = this.waiting.indexOf(entry!);
        if (index === -1) return;
        this.waiting.splice(index, 1);
        entry!.reject(new ApiError(400, 'client_gone', 'the client left while its push waited', true));
      },
    };
  }

  /** Seconds a refused client should wait: 1 plus a random whole number below the spread the load calls for. */
  retryAfterSeconds(): number {
    this.roll();
    const refused = this.previous.refused + this.current.refused;
    const completed = this.previous.completed + this.current.completed;
    // Until completions have been counted (the first second of a herd), assume the server serves at least its
    // active bound's worth of batches a second: a batch takes milliseconds, not seconds.
    const served = Math.max(completed, this.maxActive);
    const drain = this.estimatedWaitMs(this.waiting.length) / 1000;
    const spread = Math.min(this.maxRetryAfter, Math.max(1, Math.ceil(drain + refused / served)));
    return Math.min(this.maxRetryAfter, 1 + Math.floor(this.random() * spread));
  }

  private activate(): Release {
    this.activeCount += 1;
    const started = this.clock();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.activeCount -= 1;
      const held = this.clock() - started;
      this.holdMs = this.holdMs === 0 ? held : this.holdMs + SMOOTHING * (held - this.holdMs);
      this.roll();
      this.current.completed += 1;
      while (this.activeCount < this.maxActive && this.waiting.length > 0) {
        this.waiting.shift()!.resolve(this.activate());
      }
    };
  }

  private refuse(): ApiError {
    this.roll();
    this.current.refused += 1;
    this.onRefused();
    const retryAfter = this.retryAfterSeconds();
    return new ApiError(
      429,
      'rate_limited',
      `the server is busy with other terminals' batches; retry in ${retryAfter} s`,
      true,
      { retryAfter },
    );
  }

  private roll(): void {
    const now = this.clock();
    if (now - this.windowStart < WINDOW_MS) return;
    // A gap of more than one window means nothing happened in between: both windows start empty.
    this.previous = now - this.windowStart < 2 * WINDOW_MS ? this.current : { refused: 0, completed: 0 };
    this.current = { refused: 0, completed: 0 };
    this.windowStart = now;
  }
}
