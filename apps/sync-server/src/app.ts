import type { ProtocolVersions } from '@tillwright/protocol';
import { MAX_BATCH_BYTES } from '@tillwright/protocol';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import {
  type ConnectionLimits,
  capConnectionsPerAddress,
  DEFAULT_CONNECTION_LIMITS,
} from './admission/connection-limits.js';
import { IngestAdmission, type IngestAdmissionOptions } from './admission/ingest-admission.js';
import { RateLimiter } from './admission/rate-limit.js';
import { PasswordChecks, SignInGuard, type SignInGuardOptions } from './auth/sign-in-guard.js';
import { ApiError } from './errors.js';
import { Metrics } from './ops/metrics.js';
import type { RouteContext } from './routes/context.js';
import { epochRoutes } from './routes/epoch-routes.js';
import { feedRoutes } from './routes/feed-routes.js';
import { hqEmployeeRoutes } from './routes/hq-employee-routes.js';
import { hqReportRoutes } from './routes/hq-report-routes.js';
import { hqRoutes } from './routes/hq-routes.js';
import { hqSessionRoutes } from './routes/hq-session-routes.js';
import { hqShiftRoutes } from './routes/hq-shift-routes.js';
import { metricsRoute } from './routes/metrics-route.js';
import { opsRoutes } from './routes/ops-routes.js';
import { pushRoute } from './routes/push-route.js';
import { terminalRoutes } from './routes/terminal-routes.js';
import type { ServerStore } from './store/store.js';
import { HqStream, type HqStreamLimits } from './stream/hq-stream.js';

export interface AppOptions {
  store: ServerStore;
  now?: () => Date;
  /** Structured JSON logs (pino) at this level, or none. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Where the logs go (default standard output); tests read them here. */
  logStream?: { write(line: string): void };
  /**
   * Requests per second and burst per terminal (default 100 and 200), and per HQ session unless `hqRate` is given.
   * The default sits above what one terminal with one batch in flight sends while it catches up (about 60 batches a
   * second here): at 100 batches of 100 events a second, 100,000 queued events still drain in 10 s, inside the 30 s
   * target, so only a misbehaving terminal meets it. The herd as a whole is bounded by `ingest`, not by this.
   */
  terminalRate?: { perSecond: number; burst: number };
  /** Requests per second and burst per HQ session (default: `terminalRate` when given, else 20 and 40). */
  hqRate?: { perSecond: number; burst: number };
  /** Failed HQ sign-ins allowed per address and per user name (see SignInGuard). */
  signIn?: SignInGuardOptions;
  /** Streams allowed per HQ session and in total (see HqStreamLimits). */
  hqStreams?: Partial<Pick<HqStreamLimits, 'perSession' | 'total'>>;
  /** Enrolments per second and burst per client address (a code is single-use; this stops guessing). */
  enrolRate?: { perSecond: number; burst: number };
  /** Requests per second and burst per client address, on every route, before any work is done. */
  addressRate?: { perSecond: number; burst: number };
  /**
   * Who may hold a place in ingest work: the global bound on journal batches inside the server (default: 16 worked on
   * at once, 64 more waiting, none waiting longer than about 5 s), places per client address (8) and per terminal
   * (2), and the pace of an admitted body. Over a bound a push is answered 429 with a Retry-After before any other
   * work. See IngestAdmission.
   */
  ingest?: IngestAdmissionOptions;
  /** Header, request, idle and keep-alive timeouts and the per-address connection cap (see ConnectionLimits). */
  connections?: Partial<ConnectionLimits>;
  /** With a token, `/metrics` on this port answers only `Authorization: Bearer <token>`; without one, not at all. */
  metricsToken?: string;
  /**
   * Behind a reverse proxy: which proxies to believe about the client address (X-Forwarded-For), as Fastify's
   * `trustProxy` takes it (true, or addresses and CIDR ranges such as 'loopback' or '10.0.0.0/8'). Off by default, so a client cannot
   * choose the address its limits are counted on.
   */
  trustProxy?: boolean | string | string[];
  /**
   * What `GET /v1/terminal/versions` announces (default: every version this server knows). Only tests narrow it, to
   * play a server from before a version: tills then never write that version, and this server still accepts it.
   */
  announcedVersions?: ProtocolVersions;
}

/** Requests per second and burst per HQ session, unless the app is given other limits. */
export const DEFAULT_HQ_RATE = { perSecond: 20, burst: 40 } as const;

export interface BuiltApp {
  app: FastifyInstance;
  stream: HqStream;
  metrics: Metrics;
  /** The ingest bounds, for metrics and tests. */
  admission: IngestAdmission;
  /** What every route gets; a separate metrics listener renders from it. */
  context: RouteContext;
  /** Open connections from one address, as the connection cap counts them. */
  connectionsFrom: (address: string) => number;
}

export function buildApp(options: AppOptions): BuiltApp {
  const now = options.now ?? (() => new Date());
  const metrics = new Metrics();
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.connections };
  const app = Fastify({
    // Nobody may hold a connection as long as they like: headers, the whole request and idle sockets have deadlines.
    http: {
      headersTimeout: Math.min(limits.headersMs, limits.requestMs),
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    requestTimeout: limits.requestMs,
    connectionTimeout: limits.idleMs,
    keepAliveTimeout: limits.keepAliveMs,
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
    logger:
      options.logLevel && options.logLevel !== 'silent'
        ? { level: options.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) }
        : false,
    bodyLimit: MAX_BATCH_BYTES * 2,
    // Closing drops open connections instead of waiting for clients. Safe: a batch commits whole in one
    // transaction before its answer is written, so a dropped connection loses at most an answer, and the
    // terminal's retry of the same batch gets the same answer.
    forceCloseConnections: true,
    // Errors Fastify raises before routing (a URL that does not decode) get the same envelope as every other.
    frameworkErrors: (error, request, reply) => {
      const envelope = toEnvelope(error);
      metrics.increment('tillwright_http_errors_total', 1, { code: envelope.body.error.code });
      if (envelope.status >= 500) request.log.error({ err: error }, 'request failed');
      void (reply as FastifyReply).status(envelope.status).send(envelope.body);
    },
  });
  const connectionsFrom = capConnectionsPerAddress(app.server, limits.perAddress, () =>
    metrics.increment('tillwright_connections_refused_total'),
  );
  const stream = new HqStream(
    options.store,
    (error) => app.log.error({ err: error }, 'hq stream read failed'),
    options.hqStreams,
    now,
  );
  const rate = options.terminalRate ?? { perSecond: 100, burst: 200 };
  const hqRate = options.hqRate ?? options.terminalRate ?? DEFAULT_HQ_RATE;
  const context: RouteContext = {
    store: options.store,
    now,
    ...(options.announcedVersions ? { versions: options.announcedVersions } : {}),
    stream,
    metrics,
    limits: {
      terminal: new RateLimiter(rate.perSecond, rate.burst),
      hq: new RateLimiter(hqRate.perSecond, hqRate.burst),
      signIn: new SignInGuard(options.signIn),
      passwordChecks: new PasswordChecks(),
      anonymous: new RateLimiter(options.enrolRate?.perSecond ?? 1, options.enrolRate?.burst ?? 10),
    },
  };

  // Every route, before authentication or parsing: a flood from one address costs nothing but this check.
  const perAddress = options.addressRate ?? { perSecond: 500, burst: 1000 };
  const addressLimiter = new RateLimiter(perAddress.perSecond, perAddress.burst);
  app.addHook('onRequest', async (request) => {
    addressLimiter.take(request.ip, now().getTime());
  });

  // Keep the exact body text: terminal signatures cover it byte for byte.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    let value: unknown;
    try {
      value = (body as string).length === 0 ? undefined : JSON.parse(body as string);
    } catch {
      done(new ApiError(400, 'invalid_json', 'the body is not valid JSON', false), undefined);
      return;
    }
    const problem = unusableJson(value);
    if (problem) done(new ApiError(400, 'invalid_request', `the body ${problem}`, false), undefined);
    else done(null, value);
  });
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    done(null, body);
  });

  app.setErrorHandler((error, request, reply) => {
    const envelope = toEnvelope(error);
    if (envelope.status >= 500) request.log.error({ err: error }, 'request failed');
    if (envelope.status === 429)
      void reply.header('retry-after', String(envelope.body.error.details?.retryAfter ?? 1));
    metrics.increment('tillwright_http_errors_total', 1, { code: envelope.body.error.code });
    void reply.status(envelope.status).send(envelope.body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(envelopeOf('not_found', `no route ${request.method} ${request.url}`, false));
  });

  opsRoutes(app, context);
  const admission = new IngestAdmission(options.ingest, () =>
    metrics.increment('tillwright_ingest_shed_total'),
  );
  terminalRoutes(app, context);
  pushRoute(app, context, admission);
  metricsRoute(app, context, options.metricsToken);
  epochRoutes(app, context);
  hqSessionRoutes(app, context);
  hqRoutes(app, context);
  hqReportRoutes(app, context);
  hqShiftRoutes(app, context);
  feedRoutes(app, context);
  hqEmployeeRoutes(app, context);
  // Streams never end by themselves: end them before the listener closes so shutdown does not wait on them.
  app.addHook('preClose', async () => stream.closeAll());
  return { app, stream, metrics, admission, context, connectionsFrom };
}

/** No request of the protocol nests deeper than a few levels; hashing and validation recurse over what they get. */
const MAX_JSON_DEPTH = 64;

/**
 * What valid JSON can carry that the server cannot work with: a number too large for a double (`1e400` parses as
 * Infinity, which has no canonical form to hash) or nesting deep enough to exhaust the stack of a recursive walk.
 * Its own recursion stops at MAX_JSON_DEPTH, so the check itself cannot overflow.
 */
function unusableJson(value: unknown, depth = 0): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'has a number too large to represent';
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_JSON_DEPTH) return `nests deeper than ${MAX_JSON_DEPTH} levels`;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = unusableJson(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const key in value) {
    const problem = unusableJson((value as Record<string, unknown>)[key], depth + 1);
    if (problem) return problem;
  }
  return null;
}

interface Envelope {
  error: { code: string; message: string; retryable: boolean; details?: Record<string, unknown> };
}

function envelopeOf(
  code: string,
  message: string,
  retryable: boolean,
  details?: Record<string, unknown>,
): Envelope {
  return { error: { code, message, retryable, ...(details ? { details } : {}) } };
}

function toEnvelope(error: unknown): { status: number; body: Envelope } {
  if (error instanceof ApiError) {
    return {
      status: error.status,
      body: envelopeOf(error.code, error.message, error.retryable, error.details),
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = (fastifyError.code ?? 'bad_request').toLowerCase();
    return { status, body: envelopeOf(code, fastifyError.message ?? 'bad request', false) };
  }
  return { status: 500, body: envelopeOf('internal', 'the server failed; the request can be retried', true) };
}
