import {
  canonicalJson,
  DEFAULT_TERMINAL_CONFIG,
  type EmployeeFeedItem,
  FEED_READER,
  type ReturnAuthorisation,
  readFeedItem,
  readTerminalConfig,
  type SkippedFeedItem,
  type TerminalConfig,
} from '@tillwright/protocol';
import type Database from 'better-sqlite3';
import { LedgerSettings } from './settings.js';

/**
 * Feed items this till skipped (a kind, a version or a configuration version it does not know) since it last read
 * the feed with what it knows now. The cursor moves past a skipped item; when the till is upgraded (`reader`
 * differs), `FeedCache.rereadAfterUpgrade` moves it back to the first skipped item, so nothing skipped is lost.
 */
export interface FeedSkips {
  skipped: number;
  lastSkipped: SkippedFeedItem | null;
  /** Feed version of the first item skipped, or null. */
  firstSkippedAt: number | null;
  /** What the till that skipped knew of the feed (`FEED_READER`). */
  reader: string;
}

const NO_SKIPS: FeedSkips = { skipped: 0, lastSkipped: null, firstSkippedAt: null, reader: FEED_READER };

/** `feed_config.scope` of the org-wide document; a store's document has the store id. */
const ORG_SCOPE = '';

/** An employee as the feed last described them for this till's store. */
export type FeedEmployee = EmployeeFeedItem['employee'];

/**
 * Reads of the terminal's copy of the feed (configuration, return authorisations and employees from HQ), so they hold
 * while the server cannot be reached. Works on a read-only handle.
 */
export class FeedReader {
  private readonly version: Database.Statement<[], { version: number }>;
  private readonly configOf: Database.Statement<[string], { body: string | null }>;
  private readonly configVersionOf: Database.Statement<[string], { version: number; body: string | null }>;
  /** The document `config()` last read, and what it read as. */
  private lastConfig: { body: string | null | undefined; config: TerminalConfig } | null = null;
  private readonly storeScope: Database.Statement<[], { store_id: string }>;
  private readonly byId: Database.Statement<[string], { body: string }>;
  private readonly activeBySale: Database.Statement<[string], { body: string }>;
  private readonly employeeById: Database.Statement<[string], { body: string }>;
  private readonly employeeByNumberOf: Database.Statement<[string], { body: string }>;
  private readonly activeEmployeesOf: Database.Statement<[], { body: string }>;
  protected readonly settings: LedgerSettings;

  constructor(protected readonly db: Database.Database) {
    this.settings = new LedgerSettings(db);
    this.version = db.prepare('SELECT version FROM feed_cursor WHERE singleton = 1');
    this.configOf = db.prepare('SELECT body FROM feed_config WHERE scope = ?');
    this.configVersionOf = db.prepare('SELECT version, body FROM feed_config WHERE scope = ?');
    this.storeScope = db.prepare('SELECT store_id FROM terminal_identity WHERE singleton = 1');
    this.byId = db.prepare('SELECT body FROM return_authorisations WHERE authorisation_id = ?');
    this.employeeById = db.prepare('SELECT body FROM employees WHERE employee_id = ?');
    this.employeeByNumberOf = db.prepare(
      'SELECT body FROM employees WHERE number = ? ORDER BY version DESC LIMIT 1',
    );
    this.activeEmployeesOf = db.prepare('SELECT body FROM employees WHERE active = 1');
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
    // The till prices with this on every quote: validate a document once, not on each read of the same one.
    if (this.lastConfig && this.lastConfig.body === body) return this.lastConfig.config;
    // Read and upcast, so a document of an older version gets today's defaults for anything it lacks. Only readable
    // documents are stored (`apply` skips the others), so the fallback is for a ledger a newer till wrote.
    const read = body ? readTerminalConfig(JSON.parse(body)) : null;
    const config = Object.freeze(read?.ok ? read.config : { ...DEFAULT_TERMINAL_CONFIG });
    this.lastConfig = { body, config };
    return config;
  }

  /**
   * The feed version of the configuration document in force (the one `config()` reads), 0 for the defaults: a sale
   * records it as the version of the promotions it was priced with.
   */
  configVersion(): number {
    const store = this.storeScope.get()?.store_id;
    const inStore = store === undefined ? undefined : this.configVersionOf.get(store);
    if (inStore?.body) return inStore.version;
    const org = this.configVersionOf.get(ORG_SCOPE);
    return org?.body ? org.version : 0;
  }

  /** What this till skipped of the feed and has not read again since (see `FeedSkips`). */
  skips(): FeedSkips {
    return (this.settings.get('feed-skipped') as FeedSkips | null) ?? { ...NO_SKIPS };
  }

  /**
   * The employee with this number as the feed last sent them for this store (active or not; `pin` null when not), or
   * null. Numbers are unique within the org; the latest entry wins.
   */
  employeeByNumber(number: string): FeedEmployee | null {
    const row = this.employeeByNumberOf.get(number);
    return row ? (JSON.parse(row.body) as FeedEmployee) : null;
  }

  /**
   * The employees who may sign in at this store as the feed last sent them (active here), by display name and then
   * number: the list a cashier picks their name from.
   */
  activeEmployees(): FeedEmployee[] {
    return this.activeEmployeesOf
      .all()
      .map((row) => JSON.parse(row.body) as FeedEmployee)
      .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.number.localeCompare(b.number));
  }

  /** The employee with this id as the feed last sent them for this store, or null. */
  employee(employeeId: string): FeedEmployee | null {
    const row = this.employeeById.get(employeeId);
    return row ? (JSON.parse(row.body) as FeedEmployee) : null;
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
   * Applies a page of feed items and moves the cursor to `nextAfter`, in one transaction. Each item is read on its
   * own (`readFeedItem`): one this till does not know is skipped and counted (`skips()`), never applied, and the
   * configuration in force stays the last one it could read. Each configuration scope and each authorisation keeps
   * its highest version, and the cursor never moves back, so applying a page again (a retried pull) changes nothing.
   */
  apply(items: readonly unknown[], nextAfter: number): { applied: number; skipped: SkippedFeedItem[] } {
    const skipped: SkippedFeedItem[] = [];
    let applied = 0;
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
    const putEmployee = this.db.prepare(
      `INSERT INTO employees (employee_id, number, active, version, body) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (employee_id) DO UPDATE SET number = excluded.number, active = excluded.active,
         version = excluded.version, body = excluded.body
       WHERE excluded.version > employees.version`,
    );
    const moveCursor = this.db.prepare(
      'UPDATE feed_cursor SET version = ? WHERE singleton = 1 AND version < ?',
    );
    this.db.transaction(() => {
      const cursor = this.cursor();
      for (const raw of items) {
        const read = readFeedItem(raw);
        if (!read.ok) {
          // An item at or below the cursor was counted when it was first skipped (this is a retried page).
          if (read.skipped.version === 0 || read.skipped.version > cursor) skipped.push(read.skipped);
          continue;
        }
        const { item } = read;
        applied += 1;
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
          case 'employee': {
            const { employee } = item;
            putEmployee.run(
              employee.employeeId,
              employee.number,
              employee.active ? 1 : 0,
              item.version,
              canonicalJson(employee),
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
      if (skipped.length > 0) {
        const before = this.skips();
        this.settings.set('feed-skipped', {
          skipped: before.skipped + skipped.length,
          lastSkipped: skipped.at(-1)!,
          firstSkippedAt: before.firstSkippedAt ?? (skipped[0]!.version || cursor + 1),
          reader: FEED_READER,
        } satisfies FeedSkips);
      }
    })();
    return { applied, skipped };
  }

  /**
   * After an upgrade (this till now knows more of the feed than the one that skipped items), moves the cursor back to
   * just before the first skipped item and forgets the skips, so the next pull reads them again with what it knows
   * now. Items it applied before are applied again, which changes nothing. True when it moved the cursor.
   */
  rereadAfterUpgrade(): boolean {
    const skips = this.skips();
    if (skips.skipped === 0 || skips.reader === FEED_READER || skips.firstSkippedAt === null) return false;
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE feed_cursor SET version = min(version, ?) WHERE singleton = 1')
        .run(skips.firstSkippedAt! - 1);
      this.settings.set('feed-skipped', null);
    })();
    return true;
  }

  /**
   * Forgets every feed item and sets the cursor to 0, for a pull from the start after the server answered
   * `must_refetch` (it was restored from a backup, so what it sent before may no longer hold). Until the pull
   * lands, `config()` gives the defaults, which refuse offline cross-store returns, and no employee is known.
   */
  reset(): void {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM feed_config WHERE scope <> '#server-versions'").run();
      this.db.prepare('DELETE FROM return_authorisations').run();
      this.db.prepare('DELETE FROM employees').run();
      this.db.prepare('UPDATE feed_cursor SET version = 0 WHERE singleton = 1').run();
    })();
  }
}
