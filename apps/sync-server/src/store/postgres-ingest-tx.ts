import { canonicalJson, GENESIS_HASH, type JournalEvent } from '@tillwright/protocol';
import { DatabaseError, type PoolClient } from 'pg';
import { ApiError } from '../errors.js';
import { type IngestTx, lineQuantities } from './ingest.js';
import { type Queryable, query, rows, takeNumbers } from './postgres-query.js';
import { EVENT_ID_CONSTRAINT } from './postgres-schema.js';
import { type TerminalRow, toIngestState } from './rows.js';
import type { BusinessException, TerminalPrincipal } from './store.js';

export async function saleLineQuantities(db: Queryable, orgId: string, saleId: string, terminalId?: string) {
  const [sale] = await rows<{ body: string }>(
    db,
    `SELECT body FROM events
      WHERE org_id = $1 AND event_id = $2 AND terminal_id = coalesce($3, terminal_id) AND type = 'sale'`,
    [orgId, saleId, terminalId ?? null],
  );
  if (!sale) return null;
  const returns = await rows<{ body: string }>(
    db,
    "SELECT body FROM events WHERE org_id = $1 AND type = 'return' AND original_sale_id = $2",
    [orgId, saleId],
  );
  return lineQuantities(
    sale.body,
    returns.map((row) => row.body),
  );
}

interface PendingEvent {
  principal: TerminalPrincipal;
  event: JournalEvent;
  receivedAt: string;
}

interface PendingException {
  principal: TerminalPrincipal;
  eventId: string;
  exception: BusinessException;
  createdAt: string;
}

/**
 * The ingest transaction on PostgreSQL. Events and exceptions are held back and written together when the batch
 * ends (or earlier, before a read that must see them), because that is when their offsets and ids are taken from
 * the counters, and the counters' row locks are then held only until COMMIT. Reads inside the transaction see
 * exactly what SQLite's would: ingest tracks the seqs it stored itself, and `saleLineQuantities` writes the held-back
 * events before reading.
 */
export class PostgresIngestTx implements IngestTx {
  private events: PendingEvent[] = [];
  private exceptions: PendingException[] = [];

  constructor(private readonly client: PoolClient) {}

  async lockTerminal(terminalId: string) {
    const [row] = await rows<Pick<TerminalRow, 'epoch' | 'acked_seq' | 'acked_hash' | 'store_id' | 'org_id'>>(
      this.client,
      'SELECT epoch, acked_seq, acked_hash, store_id, org_id FROM terminals WHERE terminal_id = $1 FOR UPDATE',
      [terminalId],
    );
    if (!row) throw new Error(`terminal ${terminalId} is not registered`);
    return toIngestState(row);
  }

  async hashesAtSeqs(terminalId: string, epoch: number, seqs: readonly number[]) {
    const found = await rows<{ seq: number; hash: string }>(
      this.client,
      `SELECT seq, hash FROM events WHERE terminal_id = $1 AND epoch = $2 AND seq = ANY($3::bigint[])
       UNION ALL SELECT seq, hash FROM quarantine WHERE terminal_id = $1 AND epoch = $2 AND seq = ANY($3::bigint[])`,
      [terminalId, epoch, seqs],
    );
    return new Map(found.map((row) => [Number(row.seq), row.hash]));
  }

  async storedEventIds(orgId: string, eventIds: string[]) {
    const found = await rows<{ event_id: string; terminal_id: string }>(
      this.client,
      'SELECT event_id, terminal_id FROM events WHERE org_id = $1 AND event_id = ANY($2::text[])',
      [orgId, eventIds],
    );
    return new Map(found.map((row) => [row.event_id, row.terminal_id]));
  }

  async insertEvent(row: PendingEvent) {
    this.events.push(row);
  }

  async insertQuarantine(row: {
    principal: TerminalPrincipal;
    envelope: Parameters<IngestTx['insertQuarantine']>[0]['envelope'];
    issues: string[];
    receivedAt: string;
  }) {
    const { principal, envelope, issues, receivedAt } = row;
    await query(
      this.client,
      `INSERT INTO quarantine (terminal_id, epoch, seq, event_id, org_id, type, hash, body, issues, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        principal.terminalId,
        envelope.epoch,
        envelope.seq,
        envelope.eventId,
        principal.orgId,
        // Quarantine must never refuse: a NUL PostgreSQL cannot store is shown as U+FFFD (the body keeps it).
        envelope.type.replaceAll('\u0000', '\uFFFD'),
        envelope.hash,
        JSON.stringify(envelope),
        JSON.stringify(issues),
        receivedAt,
      ],
    );
  }

  async insertException(row: PendingException) {
    this.exceptions.push(row);
  }

  async insertAlert(row: { principal: TerminalPrincipal; kind: string; detail: string; createdAt: string }) {
    await query(
      this.client,
      'INSERT INTO alerts (org_id, terminal_id, kind, detail, created_at) VALUES ($1, $2, $3, $4, $5)',
      [row.principal.orgId, row.principal.terminalId, row.kind, row.detail, row.createdAt],
    );
  }

  async setAcked(terminalId: string, seq: number, hash: string, lastSeenAt: string) {
    await this.flush();
    await query(
      this.client,
      'UPDATE terminals SET acked_seq = $1, acked_hash = $2, last_seen_at = $3 WHERE terminal_id = $4',
      [seq, hash, lastSeenAt, terminalId],
    );
  }

  async setEpoch(terminalId: string, epoch: number, lastSeenAt: string) {
    await this.flush();
    await query(
      this.client,
      'UPDATE terminals SET epoch = $1, acked_seq = 0, acked_hash = $2, last_seen_at = $3 WHERE terminal_id = $4',
      [epoch, GENESIS_HASH, lastSeenAt, terminalId],
    );
  }

  async catalogPrices(orgId: string, productIds: readonly string[]) {
    const found = await rows<{ product_id: string; body: string }>(
      this.client,
      'SELECT product_id, body FROM catalog_products WHERE org_id = $1 AND product_id = ANY($2::text[])',
      [orgId, productIds],
    );
    return new Map(found.map((row) => [row.product_id, (JSON.parse(row.body) as { price: number }).price]));
  }

  async saleLineQuantities(orgId: string, saleId: string, terminalId?: string) {
    await this.flush();
    return saleLineQuantities(this.client, orgId, saleId, terminalId);
  }

  /**
   * Writes the held-back events, then exceptions, numbering each from its counter (see `takeNumbers`). Always the
   * stream counter before the exception counter, in every transaction, so two ingests never wait on each other in
   * a cycle.
   */
  private async flush() {
    const events = this.events;
    this.events = [];
    if (events.length > 0) {
      const last = await takeNumbers(this.client, 'stream_offset', events.length);
      const first = last - events.length + 1;
      try {
        await query(
          this.client,
          `INSERT INTO events (stream_offset, event_id, org_id, store_id, terminal_id, epoch, seq, type, hash, body,
                               original_sale_id, received_at)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                                $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])`,
          [
            events.map((_, index) => first + index),
            events.map((row) => row.event.eventId),
            events.map((row) => row.principal.orgId),
            events.map((row) => row.principal.storeId),
            events.map((row) => row.principal.terminalId),
            events.map((row) => row.event.epoch),
            events.map((row) => row.event.seq),
            events.map((row) => row.event.type),
            events.map((row) => row.event.hash),
            events.map((row) => canonicalJson(row.event)),
            events.map((row) => (row.event.type === 'return' ? row.event.payload.originalSaleId : null)),
            events.map((row) => row.receivedAt),
          ],
        );
      } catch (error) {
        // Another terminal of the org stored the same event id between our check and now: refuse for now; the
        // retry finds the id taken and quarantines the event, as SQLite (one writer) would have at once.
        if (
          error instanceof DatabaseError &&
          error.code === '23505' &&
          error.constraint === EVENT_ID_CONSTRAINT
        ) {
          throw new ApiError(
            409,
            'event_id_in_use',
            'an event id of this batch was just stored by another batch of the org',
            true,
          );
        }
        throw error;
      }
    }
    const exceptions = this.exceptions;
    this.exceptions = [];
    if (exceptions.length > 0) {
      const last = await takeNumbers(this.client, 'exception_id', exceptions.length);
      const first = last - exceptions.length + 1;
      await query(
        this.client,
        `INSERT INTO business_exceptions (id, org_id, terminal_id, event_id, kind, detail, created_at)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                              $7::timestamptz[])`,
        [
          exceptions.map((_, index) => first + index),
          exceptions.map((row) => row.principal.orgId),
          exceptions.map((row) => row.principal.terminalId),
          exceptions.map((row) => row.eventId),
          exceptions.map((row) => row.exception.kind),
          exceptions.map((row) => row.exception.detail),
          exceptions.map((row) => row.createdAt),
        ],
      );
    }
  }
}
