import { type ConfigFeedItem, canonicalJson } from '@tillwright/protocol';
import type { PoolClient } from 'pg';
import { type AuthorisationRow, type FeedTx, toAuthorisationRecord } from './feed.js';
import { query, rows, takeNumbers } from './postgres-query.js';

const AUTHORISATION_COLUMNS = 'org_id, request_digest, version, body';

/**
 * Feed writes on PostgreSQL, inside one transaction (READ COMMITTED). Writes about one sale's authorisations queue
 * on the sale's event row (`FOR UPDATE` in `lockSale`), which every such write takes before anything else; the
 * feed counter (`takeNumbers`) is always taken after it, so two feed writes never wait on each other in a cycle.
 * Each statement after the lock sees what the transaction that held it committed.
 */
export function postgresFeedTx(client: PoolClient): FeedTx {
  return {
    async storeExists(orgId, storeId) {
      return (
        (await rows(client, 'SELECT 1 FROM stores WHERE store_id = $1 AND org_id = $2', [storeId, orgId]))
          .length > 0
      );
    },
    async latestConfig(orgId, storeId) {
      const [row] =
        storeId === null
          ? await rows<{ body: string }>(
              client,
              `SELECT body FROM feed_items WHERE org_id = $1 AND store_id IS NULL AND kind = 'config'
                ORDER BY version DESC LIMIT 1`,
              [orgId],
            )
          : await rows<{ body: string }>(
              client,
              `SELECT body FROM feed_items WHERE org_id = $1 AND store_id = $2 AND kind = 'config'
                ORDER BY version DESC LIMIT 1`,
              [orgId, storeId],
            );
      return row ? (JSON.parse(row.body) as ConfigFeedItem) : null;
    },
    async lockSale(orgId, saleId, terminalId) {
      const [row] = await rows<{ store_id: string; body: string }>(
        client,
        `SELECT store_id, body FROM events
          WHERE org_id = $1 AND event_id = $2 AND terminal_id = coalesce($3, terminal_id) AND type = 'sale'
          FOR UPDATE`,
        [orgId, saleId, terminalId ?? null],
      );
      return row ? { storeId: row.store_id, body: row.body } : null;
    },
    async returnBodies(orgId, saleId) {
      const found = await rows<{ body: string }>(
        client,
        "SELECT body FROM events WHERE org_id = $1 AND type = 'return' AND original_sale_id = $2",
        [orgId, saleId],
      );
      return found.map((row) => row.body);
    },
    async authorisation(authorisationId) {
      const [row] = await rows<AuthorisationRow>(
        client,
        `SELECT ${AUTHORISATION_COLUMNS} FROM return_authorisations WHERE authorisation_id = $1`,
        [authorisationId],
      );
      return row ? toAuthorisationRecord(row) : null;
    },
    async authorisationsOfSale(orgId, saleId) {
      const found = await rows<AuthorisationRow>(
        client,
        `SELECT ${AUTHORISATION_COLUMNS} FROM return_authorisations
          WHERE org_id = $1 AND original_sale_id = $2 ORDER BY version`,
        [orgId, saleId],
      );
      return found.map(toAuthorisationRecord);
    },
    async insertAuthorisation({ orgId, requestDigest, version, authorisation }) {
      await query(
        client,
        `INSERT INTO return_authorisations (authorisation_id, org_id, original_sale_id, store_id, status, expires_at,
                                            request_digest, version, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          authorisation.authorisationId,
          orgId,
          authorisation.originalSaleId,
          authorisation.storeId,
          authorisation.status,
          authorisation.expiresAt,
          requestDigest,
          version,
          canonicalJson(authorisation),
        ],
      );
    },
    async updateAuthorisation({ version, authorisation }) {
      await query(
        client,
        'UPDATE return_authorisations SET status = $1, version = $2, body = $3 WHERE authorisation_id = $4',
        [authorisation.status, version, canonicalJson(authorisation), authorisation.authorisationId],
      );
    },
    nextVersion() {
      return takeNumbers(client, 'feed_version', 1);
    },
    async insertFeedItem({ orgId, storeId, item, createdAt }) {
      await query(
        client,
        'INSERT INTO feed_items (version, org_id, store_id, kind, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [item.version, orgId, storeId, item.kind, canonicalJson(item), createdAt],
      );
    },
  };
}
