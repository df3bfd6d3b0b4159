import {
  canonicalJson,
  DEFAULT_TERMINAL_CONFIG,
  type FeedItem,
  type ReturnAuthorisation,
  TerminalConfig,
} from '@tillwright/protocol';
import type Database from 'better-sqlite3';

/** `feed_config.scope` of the org-wide document; a store's document has the store id. */
const ORG_SCOPE = '';

/**
 * Reads of the terminal's copy of the feed (configuration and return authorisations from HQ), so they hold while the
 * server cannot be reached. Works on a read-only handle.
 */
export class FeedReader {
  private readonly version: Database.Statement<[], { version: number }>;
  private readonly configOf: Database.Statement<[string], { body: string | null }>;
  private readonly storeScope: Database.Statement<[], { store_id: string }>;
  private readonly byId: Database.Statement<[string], { body: string }>;
  private readonly activeBySale: Database.Statement<[string], { body: string }>;

  constructor(protected readonly db: Database.Database) {
    this.version = db.prepare('SELECT version FROM feed_cursor WHERE singleton = 1');
    this.configOf = db.prepare('SELECT body FROM feed_config WHERE scope = ?');
    this.storeScope = db.prepare('SELECT store_id FROM terminal_identity WHERE singleton = 1');
    this.byId = db.prepare('SELECT body FROM return_authorisations WHERE authorisation_id = ?');
    // An authorisation this terminal already used (a journaled return names it as its server token) is spent.
    this.activeBySale = db.prepare(
      `SELECT a.body FROM return_authorisations a
        WHERE a.original_sale_id = ? AND a.status = 'active'
          AND NOT EXISTS (
            SELECT 1 FROM journal j
             WHERE j.type = 'return'
               AND json_extract(j.body, '$.payload.originalSaleId') = a.original_sale_id
               AND json_extract(j.body, '$.payload.authorization.kind') = 'server-token'
               AND json_extract(j.body, '$.payload.authorization.token') = a.authorisation_id)
        ORDER BY a.version`,
    );
  }

  /** The feed version pulled up to; pass it as `after` on the next pull. */
  cursor(): number {
    return this.version.get()?.version ?? 0;
  }

  /**
   * The configuration in force: this terminal's store's document if HQ set one, else the org-wide document, else
   * the defaults. Each scope holds only its latest version.
   */
  config(): TerminalConfig {
    const store = this.storeScope.get()?.store_id;
    const body =
      (store === undefined ? undefined : this.configOf.get(store)?.body) ??
      this.configOf.get(ORG_SCOPE)?.body;
    // Parsed, so a document from an older schema gets today's defaults for anything it lacks.
    return body ? TerminalConfig.parse(JSON.parse(body)) : { ...DEFAULT_TERMINAL_CONFIG };
  }

  /** An authorisation as HQ last sent it (active or cancelled, expired or not), or null. */
  returnAuthorisation(authorisationId: string): ReturnAuthorisation | null {
    const row = this.byId.get(authorisationId);
    return row ? (JSON.parse(row.body) as ReturnAuthorisation) : null;
  }

  /**
   * Authorisations that let this store return lines of a sale now: active, not expired at `at`, and not yet used
   * by a return in this terminal's journal. Oldest first.
   */
  activeReturnAuthorisations(originalSaleId: string, at: Date = new Date()): ReturnAuthorisation[] {
    const now = at.getTime();
    return this.activeBySale
      .all(originalSaleId)
      .map((row) => JSON.parse(row.body) as ReturnAuthorisation)
      .filter((authorisation) => Date.parse(authorisation.expiresAt) > now);
  }
}

/** The writable feed cache: a pulled page is applied whole, with its cursor, or not at all. */
export class FeedCache extends FeedReader {
  /**
   * Applies a page of feed items and moves the cursor to `nextAfter`, in one transaction. Each configuration scope
   * and each authorisation keeps its highest version, and the cursor never moves back, so applying a page again (a
   * retried pull) changes nothing.
   */
  apply(items: readonly FeedItem[], nextAfter: number): void {
    const putConfig = this.db.prepare(
      `INSERT INTO feed_config (scope, version, body) VALUES (?, ?, ?)
       ON CONFLICT (scope) DO UPDATE SET version = excluded.version, body = excluded.body
       WHERE excluded.version > feed_config.version`,
    );
    const putAuthorisation = this.db.prepare(
      `INSERT INTO return_authorisations (authorisation_id, original_sale_id, status, expires_at, version, body)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (authorisation_id) DO UPDATE SET original_sale_id = excluded.original_sale_id,
         status = excluded.status, expires_at = excluded.expires_at, version = excluded.version, body = excluded.body
       WHERE excluded.version > return_authorisations.version`,
    );
    const moveCursor = this.db.prepare(
      'UPDATE feed_cursor SET version = ? WHERE singleton = 1 AND version < ?',
    );
    this.db.transaction(() => {
      for (const item of items) {
        switch (item.kind) {
          case 'config':
            putConfig.run(
              item.storeId ?? ORG_SCOPE,
              item.version,
              item.config === null ? null : canonicalJson(item.config),
            );
            break;
          case 'return-authorisation': {
            const { authorisation } = item;
            putAuthorisation.run(
              authorisation.authorisationId,
              authorisation.originalSaleId,
              authorisation.status,
              authorisation.expiresAt,
              item.version,
              canonicalJson(authorisation),
            );
            break;
          }
          default: {
            const unknown: never = item;
            throw new Error(`unknown feed item kind ${(unknown as { kind: string }).kind}`);
          }
        }
      }
      moveCursor.run(nextAfter, nextAfter);
    })();
  }

  /**
   * Forgets every feed item and sets the cursor to 0, for a pull from the start after the server answered
   * `must_refetch` (it was restored from a backup, so what it sent before may no longer hold). Until the pull
   * lands, `config()` gives the defaults, which refuse offline cross-store returns.
   */
  reset(): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM feed_config').run();
      this.db.prepare('DELETE FROM return_authorisations').run();
      this.db.prepare('UPDATE feed_cursor SET version = 0 WHERE singleton = 1').run();
    })();
  }
}
