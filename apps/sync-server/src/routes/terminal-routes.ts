import { API_PREFIX, EnrolRequest, PushBatchRequest } from '@tillwright/protocol';
import { isEd25519PublicKey } from '@tillwright/protocol/signing';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireTerminal, sha256Hex } from '../auth.js';
import { ApiError } from '../errors.js';
import type { IngestGate, Release } from '../ingest-gate.js';
import { parseOrRefuse } from '../validate.js';
import type { RouteContext } from './context.js';

const CatalogQuery = z.strictObject({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/** Longest an admitted push may take to send its body before its connection is closed and its place freed. */
const INGEST_BODY_DEADLINE_MS = 60_000;

/**
 * Routes a terminal calls: enrolment (with a one-time code), journal batches and catalog pulls (signed). Batches
 * pass `ingestGate`, the global bound on concurrent ingest work.
 */
export function terminalRoutes(app: FastifyInstance, context: RouteContext, ingestGate: IngestGate): void {
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

  /**
   * Resolves in a later event-loop turn than every earlier call: admitted batches start one per turn. SQLite ingest is
   * synchronous, so without this every request whose bytes are in runs to completion in the same turn, one after the
   * other: under a herd the loop then stalls for seconds (health checks time out, connections wait to be accepted)
   * and the bound is never met, because nothing else is read meanwhile. With it, each turn runs one batch, then reads
   * what arrived (admitting or refusing it) and answers the other routes. On PostgreSQL a batch awaits the database
   * after it starts, so batches still overlap.
   */
  let turns = Promise.resolve();
  const nextTurn = () => {
    turns = turns.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    return turns;
  };

  /** Per admitted push: marks the handler as started and hands it the place to release when its work is done. */
  const admitted = new WeakMap<FastifyRequest, () => Release>();

  app.post(
    `${API_PREFIX}/journal/batches`,
    {
      // The gate is met as soon as the headers are in, before the body is read: a push over the bound costs nothing
      // but its 429 (no body, no signature check, no nonce), and a queued push waits with its body unread.
      onRequest: async (request, reply) => {
        const ticket = ingestGate.enter();
        let release: Release | null = null;
        let working = false;
        let closed = false;
        let deadline: NodeJS.Timeout | undefined;
        // The response closes on every path: answered, refused while the body was read (413, 400), or the client
        // gone. While the push waits, that takes it out of the queue; once admitted and until the handler starts,
        // that gives its place back; after that, the handler gives it back.
        reply.raw.once('close', () => {
          closed = true;
          clearTimeout(deadline);
          if (release === null) ticket.cancel();
          else if (!working) release();
        });
        release = await ticket.admitted;
        if (closed) {
          release();
          throw new ApiError(400, 'client_gone', 'the client left while its push waited', true);
        }
        // A client that takes longer than this to send its body loses its place (and its connection), so slow
        // senders cannot hold the bound. A 256 KB batch needs about 32 s at 64 kbit/s.
        deadline = setTimeout(() => request.raw.destroy(), INGEST_BODY_DEADLINE_MS);
        deadline.unref();
        const admittedRelease = release;
        admitted.set(request, () => {
          working = true;
          clearTimeout(deadline);
          return admittedRelease;
        });
      },
    },
    async (request) => {
      const release = admitted.get(request)!();
      try {
        await nextTurn();
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
      } finally {
        release();
      }
    },
  );

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
