import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sha256Hex } from '../auth/auth.js';
import { ApiError, unauthorized } from '../errors.js';
import type { RouteContext } from './context.js';

const CONTENT_TYPE = 'text/plain; version=0.0.4';

/**
 * Prometheus metrics. They name every org's terminals and stores, so they are never public: on the API's port they
 * need `Authorization: Bearer <metrics token>`, and without a token they are not served there at all; a separate
 * listener (startMetricsListener) serves them on a bind address only the monitoring network reaches.
 */
export function metricsRoute(app: FastifyInstance, context: RouteContext, token: string | undefined): void {
  app.get('/metrics', async (request, reply) => {
    if (token === undefined) {
      throw new ApiError(
        404,
        'not_found',
        'metrics are not served on this port; start the server with a metrics token or a metrics port',
        false,
      );
    }
    if (!bearerMatches(request.headers.authorization, token))
      throw unauthorized('metrics need Authorization: Bearer <metrics token>');
    void reply.type(CONTENT_TYPE).send(await renderServerMetrics(context));
  });
}

/** Serves only GET /metrics on its own address; with a token, that is asked for here too. */
export async function startMetricsListener(
  context: RouteContext,
  options: { host: string; port: number; token?: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (options.token !== undefined && !bearerMatches(request.headers.authorization, options.token)) {
      response.writeHead(401, { 'content-type': 'text/plain' }).end('metrics token required');
      return;
    }
    renderServerMetrics(context).then(
      (text) => response.writeHead(200, { 'content-type': CONTENT_TYPE }).end(text),
      () => response.writeHead(503, { 'content-type': 'text/plain' }).end('metrics unavailable'),
    );
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Compares digests, so neither the token's length nor its content leaks through timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  return timingSafeEqual(Buffer.from(sha256Hex(given), 'hex'), Buffer.from(sha256Hex(token), 'hex'));
}

export async function renderServerMetrics(context: RouteContext): Promise<string> {
  const { store, now, stream, metrics } = context;
  const counts = await store.counts();
  const at = now().getTime();
  const terminals = (await Promise.all((await store.orgIds()).map((org) => store.terminals(org)))).flat();
  return metrics.render([
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
      name: 'tillwright_stream_clients_blocked',
      help: 'HQ stream clients waiting for their reader (slow or gone).',
      samples: [{ labels: {}, value: stream.blocked }],
    },
    {
      name: 'tillwright_stream_buffered_bytes',
      help: 'Bytes written to HQ stream sockets and not yet taken by the kernel.',
      samples: [{ labels: {}, value: stream.bufferedBytes }],
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
}
