import type { Kysely } from 'kysely';
import { toAuthorisationRecord, toFeedItem, toFeedPage } from './feed.js';
import type { Database } from './schema.js';

/** Reads of the feed outside a transaction, on either dialect: a terminal's page, an authorisation as it stands. */
export function feedReadQueries(db: Kysely<Database>) {
  return {
    async authorisation(orgId: string, authorisationId: string) {
      const row = await db
        .selectFrom('return_authorisations')
        .select(['org_id', 'request_digest', 'version', 'body'])
        .where('authorisation_id', '=', authorisationId)
        .where('org_id', '=', orgId)
        .executeTakeFirst();
      return row ? toFeedItem(toAuthorisationRecord(row)) : null;
    },

    /**
     * One statement, one snapshot: the head and the page agree. Feed versions are taken in commit order, so every
     * version up to the head is committed (or rolled back) in that snapshot, and a cursor moved to the head skips
     * nothing that commits later.
     */
    async after(terminal: { orgId: string; storeId: string }, afterVersion: number, limit: number) {
      const page = db
        .selectFrom('feed_items')
        .select(['version', 'body'])
        .where('org_id', '=', terminal.orgId)
        .where('version', '>', afterVersion)
        .where((eb) => eb.or([eb('store_id', 'is', null), eb('store_id', '=', terminal.storeId)]))
        .orderBy('version')
        .limit(limit + 1);
      const found = await db
        .selectFrom('counters as c')
        .leftJoin(page.as('f'), (join) => join.onTrue())
        .select(['c.value as head', 'f.body'])
        .where('c.name', '=', 'feed_version')
        .orderBy('f.version')
        .execute();
      const head = found[0]?.head ?? 0;
      return toFeedPage(
        found.filter((row): row is { head: number; body: string } => row.body !== null),
        head,
        limit,
      );
    },
  };
}
