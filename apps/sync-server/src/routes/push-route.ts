import { API_PREFIX, PushBatchRequest } from '@tillwright/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pacedBody } from '../admission/body-pace.js';
import type { IngestAdmission } from '../admission/ingest-admission.js';
import type { IngestTicket, Release } from '../admission/ingest-gate.js';
import { preauthenticateTerminal, requireTerminal } from '../auth/auth.js';
import { ApiError } from '../errors.js';
import type { TerminalRecord } from '../store/store.js';
import type { RouteContext } from './context.js';
import { parseOrRefuse } from './validate.js';

/**
 * `POST /v1/journal/batches`: a terminal pushes a batch of its journal. Admission (see IngestAdmission) happens as
 * soon as the headers are in, before the body is read, so a push over any bound costs the server its 429 and nothing
 * else, and a push that waits for a place waits with its body unread.
 */
export function pushRoute(app: FastifyInstance, context: RouteContext, admission: IngestAdmission): void {
  const { store, now, stream, metrics, limits } = context;

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

  /** The terminal each push's headers named, read once before admission and used again for its signature. */
  const preauthenticated = new WeakMap<FastifyRequest, TerminalRecord>();

  /** Per admitted push: marks the handler as started and hands it the place to release when its work is done. */
  const admitted = new WeakMap<FastifyRequest, () => Release>();

  app.post(
    `${API_PREFIX}/journal/batches`,
    {
      onRequest: async (request, reply) => {
        let releaseAddress: Release | null = null;
        let ticket: IngestTicket | null = null;
        let release: Release | null = null;
        let working = false;
        let closed = false;
        // The response closes on every path: answered, refused while the body was read (413, 400, 408), or the
        // client gone, at any point, the terminal lookup included (so this listens before anything is awaited).
        // While the push waits, that takes it out of the queue; once admitted and until the handler starts, that
        // gives its place back; after that, the handler gives it back. The address's place is held until then.
        reply.raw.once('close', () => {
          closed = true;
          releaseAddress?.();
          if (release === null) ticket?.cancel();
          else if (!working) release();
        });
        const gone = () => new ApiError(400, 'client_gone', 'the client left while its push waited', true);
        try {
          // What needs no body comes first: a push that can never be authenticated never takes a place.
          const { terminal } = await preauthenticateTerminal(store, request, now());
          preauthenticated.set(request, terminal);
          if (closed) throw gone();
          releaseAddress = admission.addresses.take(request.ip);
          ticket = admission.gate.enter();
        } catch (error) {
          // Refused before its body was read. The connection stays open while Node reads and drops the rest of the
          // body, so a genuine client gets its answer (with Retry-After) rather than a reset mid-send; a client that
          // trickles what is left holds a socket, not a place (timeouts and the connection cap bound those).
          releaseAddress?.();
          releaseAddress = null;
          throw error;
        }
        release = await ticket.admitted;
        if (closed) {
          release();
          throw gone();
        }
        const admittedRelease = release;
        admitted.set(request, () => {
          working = true;
          return admittedRelease;
        });
      },
      // The body must then arrive at a minimum pace, or the push loses its place and its connection: slow senders
      // cannot hold the bound.
      preParsing: async (_request, reply, payload) => {
        const paced = pacedBody(payload, admission.pace);
        paced.once('error', (error) => {
          if (error instanceof ApiError && error.code === 'body_too_slow')
            void reply.header('connection', 'close');
        });
        return paced;
      },
    },
    async (request) => {
      const release = admitted.get(request)!();
      try {
        await nextTurn();
        const terminal = await requireTerminal(store, request, now(), preauthenticated.get(request));
        // Only now, with the signature verified, is the terminal's own bound met: nobody without its key can use it
        // up.
        const releaseTerminal = admission.terminals.take(terminal.terminalId);
        try {
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
          releaseTerminal();
        }
      } finally {
        release();
      }
    },
  );
}
