import { canonicalJson, GENESIS_HASH, type NewEpochRequest } from '@tillwright/protocol';
import Database from 'better-sqlite3';
import { ApiError } from '../errors.js';
import { enrolmentCodeInvalid, nextTerminalId, storeIdTaken, storeNotFound } from './conflicts.js';
import { readSyncState, startEpoch } from './epochs.js';
import {
  type AuthorisationRow,
  authoriseReturn,
  cancelAuthorisation,
  putConfig,
  toAuthorisationRecord,
  toFeedItem,
  toFeedPage,
} from './feed.js';
import { type IngestOptions, ingestBatch } from './ingest.js';
import {
  type ExceptionRow,
  type QuarantineRow,
  returnedByLine,
  type StreamRow,
  type TerminalRow,
  toCatalogPage,
  toExceptionRecord,
  toQuarantineRecord,
  toStreamItem,
  toTerminal,
} from './rows.js';
import { sqliteFeedTx } from './sqlite-feed-tx.js';
import { sqliteIngestTx } from './sqlite-ingest-tx.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';
import { sqliteStaff } from './sqlite-staff.js';
import type { Counts, NewStaff, QuarantineRecord, ServerStore, TerminalPrincipal } from './store.js';

/**
 * The embedded default: one SQLite file, WAL, synchronous=FULL. One connection, and every operation runs one at a
 * time (`exclusive`), so a transaction that awaits never lets another request read its uncommitted rows, and stream
 * offsets are assigned in commit order.
 */
export class SqliteStore implements ServerStore {
  private readonly db: Database.Database;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    path: string,
    private readonly ingestOptions: IngestOptions = {},
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= current) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sql);
        this.db.pragma(`user_version = ${migration.version}`);
      })();
    }
  }

  private exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** BEGIN IMMEDIATE … COMMIT around async work, inside `exclusive`. */
  private transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  createOrg(orgId: string, name: string) {
    return this.exclusive(() => {
      this.db
        .prepare('INSERT INTO orgs (org_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING')
        .run(orgId, name);
    });
  }

  orgIds() {
    return this.exclusive(() =>
      (this.db.prepare('SELECT org_id FROM orgs ORDER BY org_id').all() as { org_id: string }[]).map(
        (row) => row.org_id,
      ),
    );
  }

  createStore(orgId: string, storeId: string, name: string) {
    return this.exclusive(() => {
      const result = this.db
        .prepare(
          `INSERT INTO stores (store_id, org_id, name) VALUES (?, ?, ?)
           ON CONFLICT (store_id) DO UPDATE SET name = excluded.name WHERE stores.org_id = excluded.org_id`,
        )
        .run(storeId, orgId, name);
      if (result.changes === 0) throw storeIdTaken(storeId);
    });
  }

  issueEnrolmentCode(orgId: string, storeId: string, codeHash: string, expiresAt: string) {
    return this.exclusive(() => {
      if (!this.db.prepare('SELECT 1 FROM stores WHERE store_id = ? AND org_id = ?').get(storeId, orgId)) {
        throw storeNotFound(storeId);
      }
      this.db
        .prepare(
          `INSERT INTO enrolment_codes (code_hash, org_id, store_id, expires_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (code_hash) DO UPDATE SET expires_at = excluded.expires_at`,
        )
        .run(codeHash, orgId, storeId, expiresAt);
    });
  }

  enrolTerminal(input: { codeHash: string; terminalName: string; publicKey: string; now: string }) {
    return this.transaction(async (): Promise<TerminalPrincipal> => {
      const code = this.db
        .prepare('SELECT org_id, store_id, expires_at, used_at FROM enrolment_codes WHERE code_hash = ?')
        .get(input.codeHash) as
        | { org_id: string; store_id: string; expires_at: string; used_at: string | null }
        | undefined;
      if (!code || code.used_at !== null || code.expires_at <= input.now) {
        throw enrolmentCodeInvalid();
      }
      const { n } = this.db
        .prepare('SELECT count(*) AS n FROM terminals WHERE store_id = ?')
        .get(code.store_id) as { n: number };
      const terminalId = nextTerminalId(code.store_id, n);
      this.db
        .prepare('UPDATE enrolment_codes SET used_at = ? WHERE code_hash = ?')
        .run(input.now, input.codeHash);
      this.db
        .prepare(
          `INSERT INTO terminals (terminal_id, org_id, store_id, name, public_key, epoch, acked_hash)
           VALUES (?, ?, ?, ?, ?, 1, ?)`,
        )
        .run(terminalId, code.org_id, code.store_id, input.terminalName, input.publicKey, GENESIS_HASH);
      return { orgId: code.org_id, storeId: code.store_id, terminalId, epoch: 1 };
    });
  }

  terminal(terminalId: string) {
    return this.exclusive(() => {
      const row = this.db.prepare('SELECT * FROM terminals WHERE terminal_id = ?').get(terminalId) as
        | TerminalRow
        | undefined;
      return row ? toTerminal(row) : null;
    });
  }

  terminals(orgId: string) {
    return this.exclusive(() =>
      (
        this.db
          .prepare('SELECT * FROM terminals WHERE org_id = ? ORDER BY terminal_id')
          .all(orgId) as TerminalRow[]
      ).map(toTerminal),
    );
  }

  revokeTerminal(orgId: string, terminalId: string, now: string) {
    return this.exclusive(
      () =>
        this.db
          .prepare(
            'UPDATE terminals SET revoked_at = ? WHERE org_id = ? AND terminal_id = ? AND revoked_at IS NULL',
          )
          .run(now, orgId, terminalId).changes === 1,
    );
  }

  useNonce(terminalId: string, nonce: string, expiresAt: string, now: string) {
    return this.exclusive(() => {
      this.db.prepare('DELETE FROM request_nonces WHERE expires_at < ?').run(now);
      return (
        this.db
          .prepare(
            'INSERT INTO request_nonces (terminal_id, nonce, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
          )
          .run(terminalId, nonce, expiresAt).changes === 1
      );
    });
  }

  createStaff(input: NewStaff) {
    return this.exclusive(() => sqliteStaff.createStaff(this.db, input));
  }

  staffByUsername(username: string) {
    return this.exclusive(() => sqliteStaff.staffByUsername(this.db, username));
  }

  staffById(orgId: string, staffId: string) {
    return this.exclusive(() => sqliteStaff.staffById(this.db, orgId, staffId));
  }

  createSession(tokenHash: string, staffId: string, expiresAt: string, passwordHash?: string) {
    return this.exclusive(() =>
      sqliteStaff.createSession(this.db, tokenHash, staffId, expiresAt, passwordHash),
    );
  }

  sessionByTokenHash(tokenHash: string, now: string) {
    return this.exclusive(() => sqliteStaff.sessionByTokenHash(this.db, tokenHash, now));
  }

  deleteSession(tokenHash: string) {
    return this.exclusive(() => sqliteStaff.deleteSession(this.db, tokenHash));
  }

  deleteSessionsOfStaff(staffId: string) {
    return this.exclusive(() => sqliteStaff.deleteSessionsOfStaff(this.db, staffId));
  }

  setPassword(staffId: string, passwordHash: string) {
    return this.exclusive(() => sqliteStaff.setPassword(this.db, staffId, passwordHash));
  }

  async ingest(principal: TerminalPrincipal, batch: Parameters<ServerStore['ingest']>[1], now: string) {
    try {
      return await this.transaction(() =>
        ingestBatch(sqliteIngestTx(this.db), principal, batch, now, this.ingestOptions),
      );
    } catch (error) {
      if (error instanceof ApiError && error.code === 'fork') {
        await this.exclusive(() => {
          this.db
            .prepare(
              'INSERT INTO alerts (org_id, terminal_id, kind, detail, created_at) VALUES (?, ?, ?, ?, ?)',
            )
            .run(principal.orgId, principal.terminalId, 'fork', error.message, now);
        });
      }
      throw error;
    }
  }

  syncState(principal: TerminalPrincipal) {
    return this.transaction(() => readSyncState(sqliteIngestTx(this.db), principal));
  }

  startEpoch(principal: TerminalPrincipal, request: NewEpochRequest, now: string) {
    return this.transaction(() => startEpoch(sqliteIngestTx(this.db), principal, request, now));
  }

  readStream(orgId: string | null, afterOffset: number, limit: number) {
    return this.exclusive(() => {
      const rows = (
        orgId === null
          ? this.db
              .prepare(
                'SELECT stream_offset, org_id, store_id, terminal_id, body FROM events WHERE stream_offset > ? ORDER BY stream_offset LIMIT ?',
              )
              .all(afterOffset, limit)
          : this.db
              .prepare(
                'SELECT stream_offset, org_id, store_id, terminal_id, body FROM events WHERE org_id = ? AND stream_offset > ? ORDER BY stream_offset LIMIT ?',
              )
              .all(orgId, afterOffset, limit)
      ) as StreamRow[];
      return rows.map(toStreamItem);
    });
  }

  findEvent(orgId: string, eventId: string, terminalId?: string) {
    return this.exclusive(() => {
      const row = this.db
        .prepare(
          'SELECT stream_offset, org_id, store_id, terminal_id, body FROM events WHERE org_id = ? AND event_id = ? AND terminal_id = coalesce(?, terminal_id)',
        )
        .get(orgId, eventId, terminalId ?? null) as StreamRow | undefined;
      return row ? toStreamItem(row) : null;
    });
  }

  async returnedQuantities(orgId: string, saleId: string, terminalId?: string) {
    const tx = sqliteIngestTx(this.db);
    return returnedByLine(await this.exclusive(() => tx.saleLineQuantities(orgId, saleId, terminalId)));
  }

  exceptions(orgId: string, afterId: number, limit: number) {
    return this.exclusive(() =>
      (
        this.db
          .prepare(
            'SELECT id, org_id, terminal_id, event_id, kind, detail, created_at FROM business_exceptions WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?',
          )
          .all(orgId, afterId, limit) as ExceptionRow[]
      ).map(toExceptionRecord),
    );
  }

  quarantine(orgId: string, limit: number) {
    return this.exclusive((): QuarantineRecord[] =>
      (
        this.db
          .prepare(
            'SELECT org_id, terminal_id, event_id, seq, type, issues, received_at FROM quarantine WHERE org_id = ? ORDER BY received_at, seq LIMIT ?',
          )
          .all(orgId, limit) as QuarantineRow[]
      ).map(toQuarantineRecord),
    );
  }

  counts() {
    return this.exclusive((): Counts => {
      const count = (table: string) =>
        (this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      return {
        events: count('events'),
        quarantined: count('quarantine'),
        exceptions: count('business_exceptions'),
        alerts: count('alerts'),
      };
    });
  }

  putCatalogProducts(orgId: string, products: Parameters<ServerStore['putCatalogProducts']>[1]) {
    return this.transaction(async () => {
      const bump = this.db.prepare(
        "UPDATE counters SET value = value + 1 WHERE name = 'catalog_version' RETURNING value",
      );
      const upsert = this.db.prepare(
        `INSERT INTO catalog_products (org_id, product_id, version, body) VALUES (?, ?, ?, ?)
         ON CONFLICT (org_id, product_id) DO UPDATE SET version = excluded.version, body = excluded.body`,
      );
      let version = 0;
      for (const product of products) {
        version = (bump.get() as { value: number }).value;
        upsert.run(orgId, product.productId, version, canonicalJson({ ...product, version }));
      }
      return version;
    });
  }

  catalogProduct(orgId: string, productId: string) {
    return this.exclusive(() => {
      const row = this.db
        .prepare('SELECT body FROM catalog_products WHERE org_id = ? AND product_id = ?')
        .get(orgId, productId) as { body: string } | undefined;
      return row ? JSON.parse(row.body) : null;
    });
  }

  catalogAfter(orgId: string, afterVersion: number, limit: number) {
    return this.exclusive(() => {
      const rows = this.db
        .prepare(
          'SELECT version, body FROM catalog_products WHERE org_id = ? AND version > ? ORDER BY version LIMIT ?',
        )
        .all(orgId, afterVersion, limit + 1) as { version: number; body: string }[];
      return toCatalogPage(rows, afterVersion, limit);
    });
  }

  catalogVersion(orgId: string) {
    return this.exclusive(
      () =>
        (
          this.db
            .prepare('SELECT coalesce(max(version), 0) AS v FROM catalog_products WHERE org_id = ?')
            .get(orgId) as { v: number }
        ).v,
    );
  }

  putTerminalConfig(
    orgId: string,
    storeId: string | null,
    config: Parameters<ServerStore['putTerminalConfig']>[2],
    now: string,
  ) {
    return this.transaction(() => putConfig(sqliteFeedTx(this.db), orgId, storeId, config, now));
  }

  authoriseReturn(orgId: string, request: Parameters<ServerStore['authoriseReturn']>[1], now: string) {
    return this.transaction(() => authoriseReturn(sqliteFeedTx(this.db), orgId, request, now));
  }

  cancelReturnAuthorisation(orgId: string, authorisationId: string, now: string) {
    return this.transaction(() => cancelAuthorisation(sqliteFeedTx(this.db), orgId, authorisationId, now));
  }

  returnAuthorisation(orgId: string, authorisationId: string) {
    return this.exclusive(() => {
      const row = this.db
        .prepare(
          'SELECT org_id, request_digest, version, body FROM return_authorisations WHERE authorisation_id = ? AND org_id = ?',
        )
        .get(authorisationId, orgId) as AuthorisationRow | undefined;
      return row ? toFeedItem(toAuthorisationRecord(row)) : null;
    });
  }

  feedAfter(terminal: { orgId: string; storeId: string }, afterVersion: number, limit: number) {
    return this.exclusive(() => {
      const { value: head } = this.db
        .prepare("SELECT value FROM counters WHERE name = 'feed_version'")
        .get() as { value: number };
      const found = this.db
        .prepare(
          `SELECT body FROM feed_items WHERE org_id = ? AND version > ? AND (store_id IS NULL OR store_id = ?)
            ORDER BY version LIMIT ?`,
        )
        .all(terminal.orgId, afterVersion, terminal.storeId, limit + 1) as { body: string }[];
      return toFeedPage(found, head, limit);
    });
  }

  ping() {
    return this.exclusive(() => {
      this.db.prepare('SELECT 1').get();
    });
  }

  async close() {
    await this.exclusive(() => {
      if (this.db.open) this.db.close();
    });
  }
}
