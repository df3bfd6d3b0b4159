import { MAX_BATCH_BYTES } from '@tillwright/protocol';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';
import { HqStream } from './hq-stream.js';
import { Metrics } from './metrics.js';
import { RateLimiter } from './rate-limit.js';
import type { RouteContext } from './routes/context.js';
import { hqRoutes } from './routes/hq-routes.js';
import { opsRoutes } from './routes/ops-routes.js';
import { terminalRoutes } from './routes/terminal-routes.js';
import type { ServerStore } from './store/store.js';

export interface AppOptions {
  store: ServerStore;
  now?: () => Date;
  logger?: boolean;
  /** Requests per second and burst, per terminal; other limits scale from it. */
  terminalRate?: { perSecond: number; burst: number };
}

export function buildApp(options: AppOptions): { app: FastifyInstance; stream: HqStream; metrics: Metrics } {
  const now = options.now ?? (() => new Date());
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: MAX_BATCH_BYTES * 2,
    // Closing drops open connections instead of waiting for clients. Safe: a batch commits whole in one
    // transaction before its answer is written, so a dropped connection loses at most an answer, and the
    // terminal's retry of the same batch gets the same answer.
    forceCloseConnections: true,
  });
  const metrics = new Metrics();
  const stream = new HqStream(options.store, (error) =>
    app.log.error({ err: error }, 'hq stream read failed'),
  );
  const rate = options.terminalRate ?? { perSecond: 20, burst: 40 };
  const context: RouteContext = {
    store: options.store,
    now,
    stream,
    metrics,
    limits: {
      terminal: new RateLimiter(rate.perSecond, rate.burst),
      hq: new RateLimiter(rate.perSecond, rate.burst),
      login: new RateLimiter(0.1, 5),
      anonymous: new RateLimiter(1, 10),
    },
  };

  // Keep the exact body text: terminal signatures cover it byte for byte.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    try {
      done(null, (body as string).length === 0 ? undefined : JSON.parse(body as string));
    } catch {
      done(new ApiError(400, 'invalid_json', 'the body is not valid JSON', false), undefined);
    }
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
  terminalRoutes(app, context);
  hqRoutes(app, context);
  // Streams never end by themselves: end them before the listener closes so shutdown does not wait on them.
  app.addHook('preClose', async () => stream.closeAll());
  return { app, stream, metrics };
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
