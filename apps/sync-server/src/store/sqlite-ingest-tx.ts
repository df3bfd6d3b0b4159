import { canonicalJson, GENESIS_HASH } from '@tillwright/protocol';
import type Database from 'better-sqlite3';
import { type IngestTx, lineQuantities } from './ingest.js';
import { type TerminalRow, toIngestState } from './rows.js';

/**
 * The ingest transaction on SQLite: every operation runs at once on the store's one connection, inside the
 * BEGIN IMMEDIATE … COMMIT that SqliteStore opens around `ingestBatch`. Its business lookups also answer
 * SqliteStore's own reads (`returnedQuantities`).
 */
export function sqliteIngestTx(db: Database.Database): IngestTx {
  return {
    async lockTerminal(terminalId) {
      const row = db.prepare('SELECT * FROM terminals WHERE terminal_id = ?').get(terminalId) as TerminalRow;
      return toIngestState(row);
    },
    async hashesAtSeqs(terminalId, epoch, seqs) {
      const rows = db
        .prepare(
          `SELECT seq, hash FROM events WHERE terminal_id = ? AND epoch = ? AND seq IN (SELECT value FROM json_each(?))
           UNION ALL SELECT seq, hash FROM quarantine
             WHERE terminal_id = ? AND epoch = ? AND seq IN (SELECT value FROM json_each(?))`,
        )
        .all(terminalId, epoch, JSON.stringify(seqs), terminalId, epoch, JSON.stringify(seqs)) as {
        seq: number;
        hash: string;
      }[];
      return new Map(rows.map((row) => [row.seq, row.hash]));
    },
    async storedEventIds(orgId, eventIds) {
      const rows = db
        .prepare(
          'SELECT event_id, terminal_id FROM events WHERE org_id = ? AND event_id IN (SELECT value FROM json_each(?))',
        )
        .all(orgId, JSON.stringify(eventIds)) as { event_id: string; terminal_id: string }[];
      return new Map(rows.map((row) => [row.event_id, row.terminal_id]));
    },
    async insertEvent({ principal, event, receivedAt }) {
      db.prepare(
        `INSERT INTO events (event_id, org_id, store_id, terminal_id, epoch, seq, type, hash, body, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        event.eventId,
        principal.orgId,
        principal.storeId,
        principal.terminalId,
        event.epoch,
        event.seq,
        event.type,
        event.hash,
        canonicalJson(event),
        receivedAt,
      );
    },
    async insertQuarantine({ principal, envelope, issues, receivedAt }) {
      db.prepare(
        `INSERT INTO quarantine (terminal_id, epoch, seq, event_id, org_id, type, hash, body, issues, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        principal.terminalId,
        envelope.epoch,
        envelope.seq,
        envelope.eventId,
        principal.orgId,
        envelope.type,
        envelope.hash,
        JSON.stringify(envelope),
        JSON.stringify(issues),
        receivedAt,
      );
    },
    async insertException({ principal, eventId, exception, createdAt }) {
      db.prepare(
        'INSERT INTO business_exceptions (org_id, terminal_id, event_id, kind, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(principal.orgId, principal.terminalId, eventId, exception.kind, exception.detail, createdAt);
    },
    async insertAlert({ principal, kind, detail, createdAt }) {
      db.prepare(
        'INSERT INTO alerts (org_id, terminal_id, kind, detail, created_at) VALUES (?, ?, ?, ?, ?)',
      ).run(principal.orgId, principal.terminalId, kind, detail, createdAt);
    },
    async setAcked(terminalId, seq, hash, lastSeenAt) {
      db.prepare(
        'UPDATE terminals SET acked_seq = ?, acked_hash = ?, last_seen_at = ? WHERE terminal_id = ?',
      ).run(seq, hash, lastSeenAt, terminalId);
    },
    async setEpoch(terminalId, epoch, lastSeenAt) {
      db.prepare(
        'UPDATE terminals SET epoch = ?, acked_seq = 0, acked_hash = ?, last_seen_at = ? WHERE terminal_id = ?',
      ).run(epoch, GENESIS_HASH, lastSeenAt, terminalId);
    },
    async catalogPrices(orgId, productIds) {
      const rows = db
        .prepare(
          'SELECT product_id, body FROM catalog_products WHERE org_id = ? AND product_id IN (SELECT value FROM json_each(?))',
        )
        .all(orgId, JSON.stringify(productIds)) as { product_id: string; body: string }[];
      return new Map(rows.map((row) => [row.product_id, (JSON.parse(row.body) as { price: number }).price]));
    },
    async saleLineQuantities(orgId, saleId, terminalId) {
      const sale = db
        .prepare(
          "SELECT body FROM events WHERE org_id = ? AND event_id = ? AND terminal_id = coalesce(?, terminal_id) AND type = 'sale'",
        )
        .get(orgId, saleId, terminalId ?? null) as { body: string } | undefined;
      if (!sale) return null;
      const returns = db
        .prepare(
          "SELECT body FROM events WHERE org_id = ? AND type = 'return' AND json_extract(body, '$.payload.originalSaleId') = ?",
        )
        .all(orgId, saleId) as { body: string }[];
      return lineQuantities(
        sale.body,
        returns.map((row) => row.body),
      );
    },
  };
}
