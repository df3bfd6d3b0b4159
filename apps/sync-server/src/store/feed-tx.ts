import { type ConfigFeedItem, canonicalJson } from '@tillwright/protocol';
import type { Kysely } from 'kysely';
import { writeAudit } from './audit.js';
import { type Dialect, takeNumbers } from './dialect.js';
import { type FeedTx, toAuthorisationRecord } from './feed.js';
import { returnBodies } from './sale-quantities.js';
import type { Database } from './schema.js';

/**
 * Feed writes inside the caller's transaction, on either dialect. On PostgreSQL (READ COMMITTED) writes about one
 * sale's authorisations queue on the sale's event row (`FOR UPDATE` in `lockSale`), which every such write takes
 * before anything else; the feed counter (`takeNumbers`) is always taken after it, so two feed writes never wait on
 * each other in a cycle. SQLite has one writer, so `lockSale` needs no lock there.
 */
export function kyselyFeedTx(db: Kysely<Database>, dialect: Dialect): FeedTx {
  const authorisations = () =>
    db.selectFrom('return_authorisations').select(['org_id', 'request_digest', 'version', 'body']);
  return {
    async lockOrg(orgId) {
      // Employee and configuration writes of one org queue here (feed.ts, employees.ts); SQLite has one writer.
      if (dialect !== 'postgres') return;
      await db.selectFrom('orgs').select('org_id').where('org_id', '=', orgId).forNoKeyUpdate().execute();
    },
    async roleHolders(orgId) {
      const rows = await db
        .selectFrom('employees')
        .select(['number', 'role_id', 'store_ids'])
        .where('org_id', '=', orgId)
        .where('active', '=', 1)
        .execute();
      return rows.map((row) => ({
        number: row.number,
        roleId: row.role_id,
        storeIds: JSON.parse(row.store_ids) as string[],
      }));
    },
    writeAudit: (orgId, at, action) => writeAudit(db, orgId, at, action),
    async storeExists(orgId, storeId) {
      const row = await db
        .selectFrom('stores')
        .select('store_id')
        .where('store_id', '=', storeId)
        .where('org_id', '=', orgId)
        .executeTakeFirst();
      return row !== undefined;
    },
    async latestConfig(orgId, storeId) {
      const row = await db
        .selectFrom('feed_items')
        .select('body')
        .where('org_id', '=', orgId)
        .where('store_id', storeId === null ? 'is' : '=', storeId)
        .where('kind', '=', 'config')
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? (JSON.parse(row.body) as ConfigFeedItem) : null;
    },
    async lockSale(orgId, saleId, terminalId) {
      const row = await db
        .selectFrom('events')
        .select(['store_id', 'body'])
        .where('org_id', '=', orgId)
        .where('event_id', '=', saleId)
        .$if(terminalId !== undefined, (q) => q.where('terminal_id', '=', terminalId!))
        .where('type', '=', 'sale')
        .$if(dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      return row ? { storeId: row.store_id, body: row.body } : null;
    },
    returnBodies: (orgId, saleId) => returnBodies(db, orgId, saleId),
    async authorisation(authorisationId) {
      const row = await authorisations().where('authorisation_id', '=', authorisationId).executeTakeFirst();
      return row ? toAuthorisationRecord(row) : null;
    },
    async authorisationsOfSale(orgId, saleId) {
      const rows = await authorisations()
        .where('org_id', '=', orgId)
        .where('original_sale_id', '=', saleId)
        .orderBy('version')
        .execute();
      return rows.map(toAuthorisationRecord);
    },
    async insertAuthorisation({ orgId, requestDigest, version, authorisation }) {
      await db
        .insertInto('return_authorisations')
        .values({
          authorisation_id: authorisation.authorisationId,
          org_id: orgId,
          original_sale_id: authorisation.originalSaleId,
          store_id: authorisation.storeId,
          status: authorisation.status,
          expires_at: authorisation.expiresAt,
          request_digest: requestDigest,
          version,
          body: canonicalJson(authorisation),
        })
        .execute();
    },
    async updateAuthorisation({ version, authorisation }) {
      await db
        .updateTable('return_authorisations')
        .set({ status: authorisation.status, version, body: canonicalJson(authorisation) })
        .where('authorisation_id', '=', authorisation.authorisationId)
        .execute();
    },
    nextVersion: () => takeNumbers(db, 'feed_version', 1),
    async insertFeedItem({ orgId, storeId, item, createdAt }) {
      await db
        .insertInto('feed_items')
        .values({
          version: item.version,
          org_id: orgId,
          store_id: storeId,
          kind: item.kind,
          body: canonicalJson(item),
          created_at: createdAt,
        })
        .execute();
    },
  };
}
