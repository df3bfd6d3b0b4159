import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import { openApiDocument } from '../openapi.js';
import type { RouteContext } from './context.js';

/** Health, readiness, Prometheus metrics and the OpenAPI description. */
export function opsRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, now, stream, metrics } = context;
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request) => {
    try {
      await store.ping();
    } catch (error) {
      // Said to load balancers as 503, never with the cause: that goes to the log.
      request.log.warn({ err: error }, 'readiness check failed');
      throw new ApiError(503, 'not_ready', 'the database cannot be reached', true);
    }
    return { status: 'ready' };
  });
  app.get('/v1/openapi.json', async () => openApiDocument());
  app.get('/metrics', async (_request, reply) => {
    const counts = await store.counts();
    const at = now().getTime();
    const terminals = (await Promise.all((await orgIds(store)).map((org) => store.terminals(org)))).flat();
    const text = metrics.render([
      {
        name: 'tillwright_events_stored',
        help: 'Events stored.',
        samples: [{ labels: {}, value: counts.events }],
      },
      {
        name: 'tillwright_quarantine_size',
        help: 'Events in quarantine.',
        samples: [{ labels: {}, value: counts.quarantined }],
      },
      {
        name: 'tillwright_exceptions',
        help: 'Business exceptions open for HQ.',
        samples: [{ labels: {}, value: counts.exceptions }],
      },
      {
        name: 'tillwright_alerts',
        help: 'Fork and tamper alerts.',
        samples: [{ labels: {}, value: counts.alerts }],
      },
      {
        name: 'tillwright_stream_clients',
        help: 'Connected HQ stream clients.',
        samples: [{ labels: {}, value: stream.size }],
      },
      {
        name: 'tillwright_terminal_acked_seq',
        help: 'Last seq acknowledged per terminal.',
        samples: terminals.map((t) => ({
          labels: { terminal: t.terminalId, store: t.storeId },
          value: t.ackedSeq,
        })),
      },
      {
        name: 'tillwright_terminal_seconds_since_seen',
        help: 'Seconds since each terminal last pushed (its lag when it has sales to send).',
        samples: terminals
          .filter((t) => t.lastSeenAt !== null)
          .map((t) => ({
            labels: { terminal: t.terminalId, store: t.storeId },
            value: Math.round((at - Date.parse(t.lastSeenAt!)) / 1000),
          })),
      },
    ]);
    void reply.type('text/plain; version=0.0.4').send(text);
  });
}

async function orgIds(store: RouteContext['store']): Promise<string[]> {
  return store.orgIds();
}
