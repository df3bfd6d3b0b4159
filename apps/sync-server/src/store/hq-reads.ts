import {
  DEFAULT_TERMINAL_CONFIG,
  type JournalEvent,
  readTerminalConfig,
  type TerminalConfig,
} from '@tillwright/protocol';
import type { Kysely } from 'kysely';
import type { Dialect } from './dialect.js';
import { kyselyFeedTx } from './feed-tx.js';
import { toExceptionRecord, toQuarantineRecord, toStreamItem } from './rows.js';
import type { Database } from './schema.js';

/** The event types that move money in a store's day: what business-day totals are made of. */
const MONEY_EVENT_TYPES = ['sale', 'void', 'return'] as const;

const STREAM_COLUMNS = ['stream_offset', 'org_id', 'store_id', 'terminal_id', 'body'] as const;

/** What HQ reads, on either dialect: the stream, single events, exceptions, quarantine, and reports by store. */
export function hqReadQueries(db: Kysely<Database>, dialect: Dialect) {
  // The feed's own reads (plain SELECTs, so usable outside a transaction): one definition of "latest config".
  const feed = kyselyFeedTx(db, dialect);
  return {
    /** Stream items after an offset, in commit order; one org's when given. */
    async stream(orgId: string | null, afterOffset: number, limit: number) {
      return (
        await db
          .selectFrom('events')
          .select(STREAM_COLUMNS)
          .$if(orgId !== null, (q) => q.where('org_id', '=', orgId!))
          .where('stream_offset', '>', afterOffset)
          .orderBy('stream_offset')
          .limit(limit)
          .execute()
      ).map(toStreamItem);
    },

    /** An event of the org by id (written by `terminalId`, when given), never another org's. */
    async event(orgId: string, eventId: string, terminalId?: string) {
      const row = await db
        .selectFrom('events')
        .select(STREAM_COLUMNS)
        .where('org_id', '=', orgId)
        .where('event_id', '=', eventId)
        .$if(terminalId !== undefined, (q) => q.where('terminal_id', '=', terminalId!))
        .executeTakeFirst();
      return row ? toStreamItem(row) : null;
    },

    async exceptions(orgId: string, afterId: number, limit: number) {
      return (
        await db
          .selectFrom('business_exceptions')
          .select(['id', 'org_id', 'terminal_id', 'event_id', 'kind', 'detail', 'created_at', 'data'])
          .where('org_id', '=', orgId)
          .where('id', '>', afterId)
          .orderBy('id')
          .limit(limit)
          .execute()
      ).map(toExceptionRecord);
    },

    async quarantine(orgId: string, limit: number) {
      return (
        await db
          .selectFrom('quarantine')
          .select(['org_id', 'terminal_id', 'event_id', 'seq', 'type', 'issues', 'received_at'])
          .where('org_id', '=', orgId)
          .orderBy('received_at')
          .orderBy('seq')
          .limit(limit)
          .execute()
      ).map(toQuarantineRecord);
    },

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
