import {
  canonicalJson,
  DEFAULT_TERMINAL_CONFIG,
  GENESIS_HASH,
  type JournalEvent,
  type LatestJournalEvent,
  upcastJournalEvent,
} from '@tillwright/protocol';
import type { Kysely } from 'kysely';
import { ApiError } from '../errors.js';
import type { ApprovalRecord } from './approval-checks.js';
import { type Dialect, insertRows, isUniqueViolation, takeNumbers } from './dialect.js';
import { hqReadQueries } from './hq-reads.js';
import type { IngestTx } from './ingest.js';
import { EVENT_ID_CONSTRAINT } from './migrations.js';
import { PreparedQueries } from './prepared.js';
import { toIngestState } from './rows.js';
import { saleLineQuantities } from './sale-quantities.js';
import type { Database } from './schema.js';
import { projectShifts, shiftIdOf } from './shift-projection.js';
import type { BusinessException, TerminalPrincipal } from './types.js';

/** Columns ingest writes (`insertRows`), in the order of their parameters. */
const EVENT_COLUMNS = [
  'stream_offset',
  'event_id',
  'org_id',
  'store_id',
  'terminal_id',
  'epoch',
  'seq',
  'type',
  'hash',
  'body',
  'original_sale_id',
  'approval_id',
  'occurred_at',
  'received_at',
  'shift_id',
] as const;
const EXCEPTION_COLUMNS = [
  'id',
  'org_id',
  'terminal_id',
  'event_id',
  'kind',
  'detail',
  'created_at',
  'data',
] as const;

interface PendingEvent {
  principal: TerminalPrincipal;
  event: JournalEvent;
  receivedAt: string;
  /** The event read at its latest version: given, it is projected (the shifts); the unchecked control gives none. */
  latest?: LatestJournalEvent;
}

interface PendingException {
  principal: TerminalPrincipal;
  eventId: string;
  exception: BusinessException;
  createdAt: string;
}

/**
 * The ingest transaction, on either dialect. Events and exceptions are held back and written together when the batch
 * ends (or earlier, before a read that must see them), because that is when their offsets and ids are taken from the
 * counters, whose row locks are then held only until COMMIT (PostgreSQL); on SQLite it turns a batch's inserts into
 * one statement. Reads inside the transaction see what they would row by row: ingest tracks the seqs and ids it
 * stored itself, and `saleLineQuantities` writes the held-back events before reading.
 */
export class KyselyIngestTx implements IngestTx {
  private events: PendingEvent[] = [];
  private exceptions: PendingException[] = [];

  /**
   * `queries` is the store's cache of compiled queries (prepared.ts): the statements a push makes are compiled once
   * per shape. Each IN list is keyed by its length.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly queries: PreparedQueries = new PreparedQueries(),
  ) {}

  async lockTerminal(terminalId: string) {
    const { rows } = await this.queries.execute(this.db, 'lockTerminal', [terminalId], (p) =>
      this.db
        .selectFrom('terminals')
        .select(['epoch', 'acked_seq', 'acked_hash', 'store_id', 'org_id'])
        .where('terminal_id', '=', p(0))
        // One writer on SQLite; on PostgreSQL batches of one terminal queue on its row.
        .$if(this.dialect === 'postgres', (q) => q.forUpdate()),
    );
    const row = rows[0];
    if (!row) throw new Error(`terminal ${terminalId} is not registered`);
    return toIngestState(row);
  }

  async hashesAtSeqs(terminalId: string, epoch: number, seqs: readonly number[]) {
    if (seqs.length === 0) return new Map<number, string>();
    const n = seqs.length;
    const { rows } = await this.queries.execute(
      this.db,
      `hashesAtSeqs:${n}`,
      [terminalId, epoch, ...seqs],
      (p) => {
        const inSeqs = seqs.map((_, i) => p(2 + i));
        return this.db
          .selectFrom('events')
          .select(['seq', 'hash'])
          .where('terminal_id', '=', p(0))
          .where('epoch', '=', p(1))
          .where('seq', 'in', inSeqs)
          .unionAll((eb) =>
            eb
              .selectFrom('quarantine')
              .select(['seq', 'hash'])
              .where('terminal_id', '=', p(0))
              .where('epoch', '=', p(1))
              .where('seq', 'in', inSeqs),
          );
      },
    );
    return new Map(rows.map((row) => [row.seq, row.hash]));
  }

  async storedEventIds(orgId: string, eventIds: string[]) {
    if (eventIds.length === 0) return new Map<string, string>();
    const { rows } = await this.queries.execute(
      this.db,
      `storedEventIds:${eventIds.length}`,
      [orgId, ...eventIds],
      (p) =>
        this.db
          .selectFrom('events')
          .select(['event_id', 'terminal_id'])
          .where('org_id', '=', p(0))
          .where(
            'event_id',
            'in',
            eventIds.map((_, i) => p(1 + i)),
          ),
    );
    return new Map(rows.map((row) => [row.event_id, row.terminal_id]));
  }

  async insertEvent(row: PendingEvent) {
    this.events.push(row);
  }

  async insertQuarantine(row: Parameters<IngestTx['insertQuarantine']>[0]) {
    const { principal, envelope, issues, receivedAt } = row;
    await this.db
      .insertInto('quarantine')
      .values({
        terminal_id: principal.terminalId,
        epoch: envelope.epoch,
        seq: envelope.seq,
        event_id: envelope.eventId,
        org_id: principal.orgId,
        // Quarantine must never refuse: a NUL PostgreSQL cannot store is shown as U+FFFD (the body keeps it).
        type: this.dialect === 'postgres' ? envelope.type.replaceAll('\u0000', '\uFFFD') : envelope.type,
        hash: envelope.hash,
        body: JSON.stringify(envelope),
        issues: JSON.stringify(issues),
        received_at: receivedAt,
      })
      .execute();
  }

  async insertException(row: PendingException) {
    this.exceptions.push(row);
  }

  async insertAlert(row: { principal: TerminalPrincipal; kind: string; detail: string; createdAt: string }) {
    await this.db
      .insertInto('alerts')
      .values({
        org_id: row.principal.orgId,
        terminal_id: row.principal.terminalId,
        kind: row.kind,
        detail: row.detail,
        created_at: row.createdAt,
      })
      .execute();
  }

  async setAcked(terminalId: string, seq: number, hash: string, lastSeenAt: string) {
    await this.flush();
    await this.queries.execute(this.db, 'setAcked', [seq, hash, lastSeenAt, terminalId], (p) =>
      this.db
        .updateTable('terminals')
        .set({ acked_seq: p(0), acked_hash: p(1), last_seen_at: p(2) })
        .where('terminal_id', '=', p(3)),
    );
  }

  async setEpoch(terminalId: string, epoch: number, lastSeenAt: string) {
    await this.flush();
    await this.db
      .updateTable('terminals')
      .set({ epoch, acked_seq: 0, acked_hash: GENESIS_HASH, last_seen_at: lastSeenAt })
      .where('terminal_id', '=', terminalId)
      .execute();
  }

  async catalogListings(orgId: string, productIds: readonly string[]) {
    if (productIds.length === 0) return [];
    const { rows } = await this.queries.execute(
      this.db,
      `catalogListings:${productIds.length}`,
      [orgId, ...productIds],
      (p) =>
        this.db
          .selectFrom('catalog_product_versions')
          .select(['product_id', 'version', 'body'])
          .where('org_id', '=', p(0))
          .where(
            'product_id',
            'in',
            productIds.map((_, i) => p(1 + i)),
          )
          .orderBy('version'),
    );
    return rows.map((row) => ({
      productId: row.product_id,
      version: row.version,
      price: (JSON.parse(row.body) as { price: number }).price,
    }));
  }

  async approvals(orgId: string, terminalId: string, approvalIds: readonly string[]) {
    const rows = await this.db
      .selectFrom('events')
      .select(['approval_id', 'body'])
      .where('org_id', '=', orgId)
      .where('terminal_id', '=', terminalId)
      .where('type', '=', 'manager-approval')
      .where('approval_id', 'in', approvalIds)
      .orderBy('stream_offset')
      .execute();
    const found = new Map<string, ApprovalRecord>();
    for (const row of rows) {
      const approval = upcastJournalEvent(JSON.parse(row.body) as JournalEvent);
      if (approval.type !== 'manager-approval' || found.has(approval.payload.approvalId)) continue;
      const { approverId, employeeId } = approval.payload;
      found.set(approval.payload.approvalId, { approverId, employeeId });
    }
    return found;
  }

  async overShortAlert(orgId: string, storeId: string) {
    const config = await hqReadQueries(this.db, this.dialect).configInForce(orgId, storeId);
    return (config ?? DEFAULT_TERMINAL_CONFIG).overShortAlert;
  }

  async saleLineQuantities(orgId: string, saleId: string, terminalId?: string) {
    await this.flush();
    return saleLineQuantities(this.db, orgId, saleId, terminalId);
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
      const last = await takeNumbers(this.db, 'stream_offset', events.length, this.queries);
      const first = last - events.length + 1;
      const rows = events.map(({ principal, event, receivedAt }, index) => ({
        stream_offset: first + index,
        event_id: event.eventId,
        org_id: principal.orgId,
        store_id: principal.storeId,
        terminal_id: principal.terminalId,
        epoch: event.epoch,
        seq: event.seq,
        type: event.type,
        hash: event.hash,
        body: canonicalJson(event),
        original_sale_id: event.type === 'return' ? event.payload.originalSaleId : null,
        approval_id: event.type === 'manager-approval' ? event.payload.approvalId : null,
        occurred_at: new Date(event.occurredAt).toISOString(),
        received_at: receivedAt,
        shift_id: shiftIdOf(event),
      }));
      try {
        await insertRows(this.db, this.queries, 'events', EVENT_COLUMNS, rows);
      } catch (error) {
        // Another terminal of the org stored the same event id between our check and now (PostgreSQL): refuse for
        // now; the retry finds the id taken and quarantines the event, as SQLite (one writer) does at once.
        if (isUniqueViolation(error, EVENT_ID_CONSTRAINT)) {
          throw new ApiError(
            409,
            'event_id_in_use',
            'an event id of this batch was just stored by another batch of the org',
            true,
          );
        }
        throw error;
      }
      await projectShifts(
        this.db,
        events.flatMap(({ principal, latest }, index) =>
          latest === undefined ? [] : [{ principal, event: latest, offset: first + index }],
        ),
      );
    }
    const exceptions = this.exceptions;
    this.exceptions = [];
    if (exceptions.length > 0) {
      const last = await takeNumbers(this.db, 'exception_id', exceptions.length, this.queries);
      const first = last - exceptions.length + 1;
      const rows = exceptions.map((row, index) => ({
        id: first + index,
        org_id: row.principal.orgId,
        terminal_id: row.principal.terminalId,
        event_id: row.eventId,
        kind: row.exception.kind,
        detail: row.exception.detail,
        created_at: row.createdAt,
        data: row.exception.data === undefined ? null : JSON.stringify(row.exception.data),
      }));
      await insertRows(this.db, this.queries, 'business_exceptions', EXCEPTION_COLUMNS, rows);
    }
  }
}
