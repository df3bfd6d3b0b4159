import { RateLimiter } from '../admission/rate-limit.js';
import { ApiError } from '../errors.js';

export interface SignInGuardOptions {
  /** Failed sign-ins one client address may make in a burst, and how many a minute it earns back (10; 1). */
  addressFailures?: { burst: number; perMinute: number };
  /**
   * Failed sign-ins for one user name from addresses it has never signed in from, all such addresses together (5; 2
   * a minute). Addresses the user signed in from before are not counted against this, so an attacker guessing from
   * many addresses slows the guessing down without locking the real user out.
   */
  usernameFailures?: { burst: number; perMinute: number };
  /** Addresses remembered per user name as familiar (default 20, most recent kept). */
  familiarPerUser?: number;
}

/**
 * Who may try a password now. Counts failures: a right password gives its place back. The per-address budget stops one
 * address from making the server run its slow password hash for many names; the per-name budget stops many addresses
 * guessing one name; neither can refuse a real user at an address they signed in from before, and the per-name
 * one never refuses them for longer than its refill.
 */
export class SignInGuard {
  private readonly byAddress: RateLimiter;
  private readonly byUsername: RateLimiter;
  private readonly familiar = new Map<string, string[]>();
  private readonly familiarPerUser: number;

  constructor(options: SignInGuardOptions = {}) {
    const address = options.addressFailures ?? { burst: 10, perMinute: 1 };
    const username = options.usernameFailures ?? { burst: 5, perMinute: 2 };
    this.byAddress = new RateLimiter(address.perMinute / 60, address.burst);
    this.byUsername = new RateLimiter(username.perMinute / 60, username.burst);
    this.familiarPerUser = options.familiarPerUser ?? 20;
  }

  /**
   * Takes a place for one attempt, counted as a failure until `succeeded` says otherwise, or throws 429 rate_limited
   * with a Retry-After. Counting up front bounds attempts made in parallel too.
   */
  admit(address: string, username: string, nowMs: number): { succeeded(): void; notChecked(): void } {
    const addressKey = `address:${address}`;
    const usernameKey = `user:${username}`;
    this.byAddress.take(addressKey, nowMs, 'too many failed sign-ins from this address');
    const familiar = this.isFamiliar(username, address);
    if (!familiar) {
      try {
        this.byUsername.take(usernameKey, nowMs, 'too many failed sign-ins for this user name');
      } catch (error) {
        this.byAddress.refund(addressKey);
        throw error;
      }
    }
    const refund = () => {
      this.byAddress.refund(addressKey);
      if (!familiar) this.byUsername.refund(usernameKey);
    };
    return {
      succeeded: () => {
        refund();
        this.remember(username, address);
      },
      // The password was never checked (the server was too busy to): not a failure.
      notChecked: refund,
    };
  }

  private remember(username: string, address: string): void {
    const known = (this.familiar.get(username) ?? []).filter((seen) => seen !== address);
    known.push(address);
    this.familiar.delete(username);
    this.familiar.set(username, known.slice(-this.familiarPerUser));
    // Bounded like the limiters' maps: the least recently seen user name goes first.
    if (this.familiar.size > 50_000) this.familiar.delete(this.familiar.keys().next().value!);
  }

  private isFamiliar(username: string, address: string): boolean {
    return this.familiar.get(username)?.includes(address) ?? false;
  }
}

/**
 * Password hashing is slow by design (scrypt), and Node runs it on a pool of four threads. At most `concurrency`
 * checks run at once and `maxQueued` more wait; beyond that the request is answered 429 at once, so a flood of
 * sign-ins cannot queue up minutes of hashing in front of a real user.
 */
export class PasswordChecks {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency = 2,
    private readonly maxQueued = 16,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxQueued) {
        throw new ApiError(429, 'busy', 'the server is checking many passwords; retry in a second', true, {
          retryAfter: 1,
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The place passes straight to the next waiter; only when nobody waits does the count go down.
      if (next) next();
      else this.running -= 1;
    }
  }

  get queued(): number {
    return this.waiting.length;
  }
}
