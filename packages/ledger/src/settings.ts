import type Database from 'better-sqlite3';

/**
 * Small documents the host keeps about its server and its feed (the versions the server accepts, feed items this
 * till skipped). Until a ledger migration gives them a table of their own, they live in `feed_config` under scopes
 * that start with `#`, which no store id can (ids start with a letter or a digit), so `FeedReader.config()` never
 * sees them. `FeedCache.reset()` (a `must_refetch`) keeps `#server-versions` and forgets the rest.
 */
export class LedgerSettings {
  constructor(private readonly db: Database.Database) {}

  get(key: SettingKey): unknown {
    const row = this.db.prepare('SELECT body FROM feed_config WHERE scope = ?').get(`#${key}`) as
      | { body: string | null }
      | undefined;
    return row?.body ? (JSON.parse(row.body) as unknown) : null;
  }

  set(key: SettingKey, value: unknown): void {
    this.db
      .prepare(
        `INSERT INTO feed_config (scope, version, body) VALUES (?, 1, ?)
         ON CONFLICT (scope) DO UPDATE SET body = excluded.body`,
      )
      .run(`#${key}`, value === null ? null : JSON.stringify(value));
  }
}

export type SettingKey = 'server-versions' | 'feed-skipped';
export const SETTING_SCOPE_PREFIX = '#';
