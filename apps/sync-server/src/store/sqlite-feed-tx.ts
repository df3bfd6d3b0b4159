import { type ConfigFeedItem, canonicalJson } from '@tillwright/protocol';
import type Database from 'better-sqlite3';
import { type AuthorisationRow, type FeedTx, toAuthorisationRecord } from './feed.js';

/**
 * Feed writes on SQLite: every operation runs at once on the store's one connection, inside the transaction
 * SqliteStore opens around them. One writer, so `lockSale` needs no lock.
 */
export function sqliteFeedTx(db: Database.Database): FeedTx {
  return {
    async storeExists(orgId, storeId) {
      return (
        db.prepare('SELECT 1 FROM stores WHERE store_id = ? AND org_id = ?').get(storeId, orgId) !== undefined
      );
    },
    async latestConfig(orgId, storeId) {
      const row = db
        .prepare(
          `SELECT body FROM feed_items WHERE org_id = ? AND store_id IS ? AND kind = 'config'
            ORDER BY version DESC LIMIT 1`,
        )
        .get(orgId, storeId) as { body: string } | undefined;
      return row ? (JSON.parse(row.body) as ConfigFeedItem) : null;
    },
    async lockSale(orgId, saleId, terminalId) {
      const row = db
        .prepare(
          `SELECT store_id, body FROM events
            WHERE org_id = ? AND event_id = ? AND terminal_id = coalesce(?, terminal_id) AND type = 'sale'`,
        )
        .get(orgId, saleId, terminalId ?? null) as { store_id: string; body: string } | undefined;
      return row ? { storeId: row.store_id, body: row.body } : null;
    },
    async returnBodies(orgId, saleId) {
      const rows = db
        .prepare(
          "SELECT body FROM events WHERE org_id = ? AND type = 'return' AND json_extract(body, '$.payload.originalSaleId') = ?",
        )
        .all(orgId, saleId) as { body: string }[];
      return rows.map((row) => row.body);
    },
    async authorisation(authorisationId) {
      const row = db
        .prepare(
          'SELECT org_id, request_digest, version, body FROM return_authorisations WHERE authorisation_id = ?',
        )
        .get(authorisationId) as AuthorisationRow | undefined;
      return row ? toAuthorisationRecord(row) : null;
    },
    async authorisationsOfSale(orgId, saleId) {
      const rows = db
        .prepare(
          `SELECT org_id, request_digest, version, body FROM return_authorisations
            WHERE org_id = ? AND original_sale_id = ? ORDER BY version`,
        )
        .all(orgId, saleId) as AuthorisationRow[];
      return rows.map(toAuthorisationRecord);
    },
    async insertAuthorisation({ orgId, requestDigest, version, authorisation }) {
      db.prepare(
        `INSERT INTO return_authorisations (authorisation_id, org_id, original_sale_id, store_id, status, expires_at,
                                            request_digest, version, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        authorisation.authorisationId,
        orgId,
        authorisation.originalSaleId,
        authorisation.storeId,
        authorisation.status,
        authorisation.expiresAt,
        requestDigest,
        version,
        canonicalJson(authorisation),
      );
    },
    async updateAuthorisation({ version, authorisation }) {
      db.prepare(
        'UPDATE return_authorisations SET status = ?, version = ?, body = ? WHERE authorisation_id = ?',
      ).run(authorisation.status, version, canonicalJson(authorisation), authorisation.authorisationId);
    },
    async nextVersion() {
      return (
        db
          .prepare("UPDATE counters SET value = value + 1 WHERE name = 'feed_version' RETURNING value")
          .get() as {
          value: number;
        }
      ).value;
    },
    async insertFeedItem({ orgId, storeId, item, createdAt }) {
      db.prepare(
        'INSERT INTO feed_items (version, org_id, store_id, kind, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(item.version, orgId, storeId, item.kind, canonicalJson(item), createdAt);
    },
  };
}
