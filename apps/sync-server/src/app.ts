import {
  API_PREFIX,
  CatalogProduct,
  EnrolRequest,
  type EnrolResponse,
  type ErrorEnvelope,
  type HqEventsPage,
  MAX_BATCH_BYTES,
  PushBatchRequest,
} from '@tillwright/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { newSecret, requireHq, requireTerminal, sha256Hex } from './auth.js';
import { ApiError } from './errors.js';
import { HqStream } from './hq-stream.js';
import type { ServerStore } from './store/store.js';
import { parseOrRefuse } from './validate.js';

export interface AppOptions {
  store: ServerStore;
  now?: () => Date;
  logger?: boolean;
}

const AfterQuery = z.strictObject({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
const LastEventId = z.coerce.number().int().nonnegative();
const CatalogImport = z.strictObject({
  products: z
    .array(CatalogProduct.omit({ version: true }))
    .min(1)
    .max(10_000),
});
const EnrolmentCodeRequest = z.strictObject({
  orgId: z.string().min(1),
  storeId: z.string().min(1),
  validForMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});

export function buildApp(options: AppOptions): { app: FastifyInstance; stream: HqStream } {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: MAX_BATCH_BYTES * 2,
    // Closing drops open connections instead of waiting for clients. Safe: a batch commits whole in one
    // transaction before its answer is written, so a dropped connection loses at most an answer, and the
    // terminal's retry of the same batch gets the same answer.
    forceCloseConnections: true,
  });
  const stream = new HqStream(store, (error) => app.log.error({ err: error }, 'hq stream read failed'));

  app.setErrorHandler((error, request, reply) => {
    const envelope = toEnvelope(error);
    if (envelope.status >= 500) request.log.error({ err: error }, 'request failed');
    void reply.status(envelope.status).send(envelope.body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(envelopeOf('not_found', `no route ${request.method} ${request.url}`, false));
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => {
    await store.ping();
    return { status: 'ready' };
  });

  app.post(`${API_PREFIX}/enrol`, async (request): Promise<EnrolResponse> => {
    const body = parseOrRefuse(EnrolRequest, request.body, 'enrolment request');
    const token = newSecret();
    const grant = await store.enrolTerminal({
      codeHash: sha256Hex(body.code),
      terminalName: body.terminalName,
      tokenHash: sha256Hex(token),
      now: now().toISOString(),
    });
    return { ...grant, token };
  });

  app.post(`${API_PREFIX}/journal/batches`, async (request) => {
    const terminal = await requireTerminal(store, request);
    const batch = parseOrRefuse(PushBatchRequest, request.body, 'journal batch');
    const answer = await store.ingest(terminal, batch, now().toISOString());
    stream.announce();
    return answer;
  });

  app.get(`${API_PREFIX}/catalog`, async (request) => {
    const terminal = await requireTerminal(store, request);
    const query = parseOrRefuse(AfterQuery, request.query, 'catalog query');
    return store.catalogAfter(terminal.orgId, query.after, query.limit);
  });

  app.get(`${API_PREFIX}/hq/events`, async (request): Promise<HqEventsPage> => {
    await requireHq(store, request, 'viewer');
    const query = parseOrRefuse(AfterQuery, request.query, 'events query');
    const items = await store.readStream(query.after, query.limit);
    return { items, nextOffset: items.at(-1)?.offset ?? query.after };
  });

  app.get(`${API_PREFIX}/hq/stream`, async (request, reply) => {
    await requireHq(store, request, 'viewer');
    const query = parseOrRefuse(AfterQuery, request.query, 'stream query');
    const lastEventId = request.headers['last-event-id'];
    const after =
      lastEventId === undefined ? query.after : parseOrRefuse(LastEventId, lastEventId, 'Last-Event-ID');
    reply.hijack();
    stream.attach(reply.raw, after);
  });

  app.post(`${API_PREFIX}/hq/enrolment-codes`, async (request) => {
    await requireHq(store, request, 'admin');
    const body = parseOrRefuse(EnrolmentCodeRequest, request.body, 'enrolment code request');
    const code = newSecret().slice(0, 12);
    const expiresAt = new Date(now().getTime() + body.validForMinutes * 60_000).toISOString();
    await store.issueEnrolmentCode(body.orgId, body.storeId, sha256Hex(code), expiresAt);
    return { code, expiresAt };
  });

  app.put(`${API_PREFIX}/hq/orgs/:orgId/catalog`, async (request) => {
    await requireHq(store, request, 'admin');
    const { orgId } = parseOrRefuse(z.strictObject({ orgId: z.string().min(1) }), request.params, 'path');
    const body = parseOrRefuse(CatalogImport, request.body, 'catalog import');
    const version = await store.putCatalogProducts(orgId, body.products);
    return { version, imported: body.products.length };
  });

  // Streams never end by themselves: end them before the listener closes so shutdown does not wait on them.
  app.addHook('preClose', async () => stream.closeAll());
  return { app, stream };
}

function envelopeOf(
  code: string,
  message: string,
  retryable: boolean,
  details?: Record<string, unknown>,
): ErrorEnvelope {
  return { error: { code, message, retryable, ...(details ? { details } : {}) } };
}

function toEnvelope(error: unknown): { status: number; body: ErrorEnvelope } {
  if (error instanceof ApiError) {
    return {
      status: error.status,
      body: envelopeOf(error.code, error.message, error.retryable, error.details),
    };
  }
  const status = typeof error === 'object' && error && 'statusCode' in error ? Number(error.statusCode) : 500;
  if (status >= 400 && status < 500) {
    const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : 'bad_request';
    const message = error instanceof Error ? error.message : 'bad request';
    return { status, body: envelopeOf(code.toLowerCase(), message, false) };
  }
  return { status: 500, body: envelopeOf('internal', 'the server failed; the request can be retried', true) };
}
