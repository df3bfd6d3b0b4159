import { API_PREFIX, EnrolRequest, PushBatchRequest } from '@tillwright/protocol';
import { isEd25519PublicKey } from '@tillwright/protocol/signing';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireTerminal, sha256Hex } from '../auth.js';
import { ApiError } from '../errors.js';
import { parseOrRefuse } from '../validate.js';
import type { RouteContext } from './context.js';

const CatalogQuery = z.strictObject({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/** Routes a terminal calls: enrolment (with a one-time code), journal batches and catalog pulls (signed). */
export function terminalRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, now, stream, metrics, limits } = context;

  app.post(`${API_PREFIX}/enrol`, async (request) => {
    limits.anonymous.take(`enrol:${request.ip}`, now().getTime());
    const body = parseOrRefuse(EnrolRequest, request.body, 'enrolment request');
    if (!isEd25519PublicKey(body.publicKey)) {
      throw new ApiError(
        400,
        'invalid_request',
        'publicKey must be an Ed25519 public key (SPKI DER, base64)',
        false,
      );
    }
    return store.enrolTerminal({
      codeHash: sha256Hex(body.code),
      terminalName: body.terminalName,
      publicKey: body.publicKey,
      now: now().toISOString(),
    });
  });

  app.post(`${API_PREFIX}/journal/batches`, async (request) => {
    const terminal = await requireTerminal(store, request, now());
    limits.terminal.take(terminal.terminalId, now().getTime());
    const batch = parseOrRefuse(PushBatchRequest, request.body, 'journal batch');
    const started = performance.now();
    const outcome = await store.ingest(terminal, batch, now().toISOString());
    metrics.observeBatchSeconds((performance.now() - started) / 1000);
    metrics.increment('tillwright_ingest_batches_total');
    metrics.increment('tillwright_ingest_events_total', outcome.stored);
    metrics.increment('tillwright_ingest_duplicates_total', outcome.duplicates);
    metrics.increment('tillwright_quarantined_events_total', outcome.quarantined);
    metrics.increment('tillwright_business_exceptions_total', outcome.exceptions);
    if (outcome.stored > 0) stream.announce();
    return { ackedSeq: outcome.ackedSeq, ackedHash: outcome.ackedHash };
  });

  app.get(`${API_PREFIX}/catalog`, async (request) => {
    const terminal = await requireTerminal(store, request, now());
    limits.terminal.take(terminal.terminalId, now().getTime());
    const query = parseOrRefuse(CatalogQuery, request.query, 'catalog query');
    const current = await store.catalogVersion(terminal.orgId);
    if (query.after > current) {
      // A cursor from the future means the server's database was restored: the terminal must start over.
      throw new ApiError(
        409,
        'must_refetch',
        'the catalog cursor is ahead of the server; pull again from 0',
        true,
        {
          currentVersion: current,
        },
      );
    }
    return store.catalogAfter(terminal.orgId, query.after, query.limit);
  });
}
