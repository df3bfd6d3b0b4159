import type { ProtocolVersions } from '@tillwright/protocol';
import type { RateLimiter } from '../admission/rate-limit.js';
import type { PasswordChecks, SignInGuard } from '../auth/sign-in-guard.js';
import type { Metrics } from '../ops/metrics.js';
import type { ServerStore } from '../store/store.js';
import type { HqStream } from '../stream/hq-stream.js';

/** What every route module gets: the store, the clock, the stream, metrics and the rate limiters. */
export interface RouteContext {
  store: ServerStore;
  now: () => Date;
  /** What the server announces it accepts and serves, when not every version it knows (tests only). */
  versions?: ProtocolVersions;
  stream: HqStream;
  metrics: Metrics;
  limits: {
    terminal: RateLimiter;
    hq: RateLimiter;
    signIn: SignInGuard;
    passwordChecks: PasswordChecks;
    anonymous: RateLimiter;
  };
}
