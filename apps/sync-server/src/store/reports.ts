import {
  DEFAULT_TERMINAL_CONFIG,
  type JournalEvent,
  readTerminalConfig,
  type TerminalConfig,
} from '@tillwright/protocol';
import type { Kysely } from 'kysely';
import type { Dialect } from './dialect.js';
import { kyselyFeedTx } from './feed-tx.js';
import type { Database } from './schema.js';

/** The event types that move money in a store's day: what business-day totals are made of. */
const MONEY_EVENT_TYPES = ['sale', 'void', 'return'] as const;

/** Reads for HQ's reports by store, on either dialect. */
export function reportQueries(db: Kysely<Database>, dialect: Dialect) {
  // The feed's own reads (plain SELECTs, so usable outside a transaction): one definition of "latest config".
  const feed = kyselyFeedTx(db, dialect);
  return {
    /**
     * The configuration in force at a store, by the rule its tills apply (the store's document, else the org's,
     * else the defaults; ledger feed.ts), or null when the org has no such store.
     */
    async configInForce(orgId: string, storeId: string): Promise<TerminalConfig | null> {
      if (!(await feed.storeExists(orgId, storeId))) return null;
      const document =
        (await feed.latestConfig(orgId, storeId))?.config ??
        (await feed.latestConfig(orgId, null))?.config ??
        null;
      const read = document === null ? null : readTerminalConfig(document);
      return read?.ok ? read.config : { ...DEFAULT_TERMINAL_CONFIG };
    },

    /** A store's sales, voids and returns that happened within [from, until) (ISO UTC), as stored, in time order. */
    async storeMoneyEvents(
      orgId: string,
      storeId: string,
      from: string,
      until: string,
    ): Promise<JournalEvent[]> {
      const rows = await db
        .selectFrom('events')
        .select('body')
        .where('org_id', '=', orgId)
        .where('store_id', '=', storeId)
        .where('occurred_at', '>=', new Date(from).toISOString())
        .where('occurred_at', '<', new Date(until).toISOString())
        .where('type', 'in', MONEY_EVENT_TYPES)
        .orderBy('occurred_at')
        .orderBy('stream_offset')
        .execute();
      return rows.map((row) => JSON.parse(row.body) as JournalEvent);
    },
  };
}
