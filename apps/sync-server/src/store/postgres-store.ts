import { canonicalJson, GENESIS_HASH, type NewEpochRequest } from '@tillwright/protocol';
import { DatabaseError, type Pool, type PoolClient } from 'pg';
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
import { ingestBatch } from './ingest.js';
import { postgresFeedTx } from './postgres-feed-tx.js';
import { PostgresIngestTx, saleLineQuantities } from './postgres-ingest-tx.js';
import { migratePostgres } from './postgres-migrate.js';
import { createPool, inTransaction, query, rows, takeNumbers } from './postgres-query.js';
import { postgresStaff } from './postgres-staff.js';
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
import type {
  Counts,
  ExceptionRecord,
  NewStaff,
  QuarantineRecord,
  ServerStore,
  TerminalPrincipal,
} from './store.js';

export interface PostgresStoreOptions {
  /** Most connections the pool opens (default 10). Each ingest holds one for its whole transaction. */
  poolSize?: number;
  /** An idle pooled connection failed (the server restarted, the network dropped): the pool replaces it. */
  onIdleError?: (error: Error) => void;
}

const TERMINAL_COLUMNS =
  'terminal_id, org_id, store_id, name, public_key, epoch, acked_seq, acked_hash, last_seen_at, revoked_at';
const STREAM_COLUMNS = 'stream_offset, org_id, store_id, terminal_id, body';

/**
 * PostgreSQL for production: a pool of connections, every writing method one transaction (READ COMMITTED), ingest
 * through the same `ingestBatch` as SQLite. Batches of one terminal are serialised by a row lock on the terminal;
 * batches of different terminals run in parallel and meet only at the stream counter, at the end.
 */
export class PostgresStore implements ServerStore {
  private closing: Promise<void> | undefined;

  private constructor(private readonly pool: Pool) {}

  /** Connects, applies pending migrations in one transaction, and returns the store. */
  static async open(connectionString: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = createPool(connectionString, options);
    try {
      await migratePostgres(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresStore(pool);
  }

  /** Connections of the pool: opened, idle, and requests waiting for one. */
  stats(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  /** BEGIN … COMMIT on one pooled connection (see `inTransaction`). */
  private transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  async createOrg(orgId: string, name: string) {
    await query(this.pool, 'INSERT INTO orgs (org_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      orgId,
      name,
    ]);
  }

  async orgIds() {
    // COLLATE "C": byte order, as SQLite's BINARY, whatever the database's locale.
    return (
      await rows<{ org_id: string }>(this.pool, 'SELECT org_id FROM orgs ORDER BY org_id COLLATE "C"')
    ).map((row) => row.org_id);
  }

  async createStore(orgId: string, storeId: string, name: string) {
    const written = await rows(
      this.pool,
      `INSERT INTO stores (store_id, org_id, name) VALUES ($1, $2, $3)
       ON CONFLICT (store_id) DO UPDATE SET name = EXCLUDED.name WHERE stores.org_id = EXCLUDED.org_id
       RETURNING 1`,
      [storeId, orgId, name],
    );
    if (written.length === 0) throw storeIdTaken(storeId);
  }

  issueEnrolmentCode(orgId: string, storeId: string, codeHash: string, expiresAt: string) {
    return this.transaction(async (client) => {
      const store = await rows(client, 'SELECT 1 FROM stores WHERE store_id = $1 AND org_id = $2', [
        storeId,
        orgId,
      ]);
      if (store.length === 0) throw storeNotFound(storeId);
      await query(
        client,
        `INSERT INTO enrolment_codes (code_hash, org_id, store_id, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code_hash) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
        [codeHash, orgId, storeId, expiresAt],
      );
    });
  }

  enrolTerminal(input: { codeHash: string; terminalName: string; publicKey: string; now: string }) {
    return this.transaction(async (client): Promise<TerminalPrincipal> => {
      // FOR UPDATE: two enrolments with one code queue here, and the second then sees it used.
      const [code] = await rows<{ org_id: string; store_id: string; usable: boolean }>(
        client,
        `SELECT org_id, store_id, (used_at IS NULL AND expires_at > $2) AS usable
           FROM enrolment_codes WHERE code_hash = $1 FOR UPDATE`,
        [input.codeHash, input.now],
      );
      if (!code?.usable) {
        throw enrolmentCodeInvalid();
      }
      // Enrolments of one store queue on the store row, so two never count the same number of terminals. NO KEY
      // UPDATE does not conflict with the KEY SHARE locks that foreign key checks take on the row.
      await query(client, 'SELECT 1 FROM stores WHERE store_id = $1 FOR NO KEY UPDATE', [code.store_id]);
      const [{ n } = { n: 0 }] = await rows<{ n: number }>(
        client,
        'SELECT count(*) AS n FROM terminals WHERE store_id = $1',
        [code.store_id],
      );
      const terminalId = nextTerminalId(code.store_id, n);
      await query(client, 'UPDATE enrolment_codes SET used_at = $1 WHERE code_hash = $2', [
        input.now,
        input.codeHash,
      ]);
      await query(
        client,
        `INSERT INTO terminals (terminal_id, org_id, store_id, name, public_key, epoch, acked_hash)
         VALUES ($1, $2, $3, $4, $5, 1, $6)`,
        [terminalId, code.org_id, code.store_id, input.terminalName, input.publicKey, GENESIS_HASH],
      );
      return { orgId: code.org_id, storeId: code.store_id, terminalId, epoch: 1 };
    });
  }

  async terminal(terminalId: string) {
    const [row] = await rows<TerminalRow>(
      this.pool,
      `SELECT ${TERMINAL_COLUMNS} FROM terminals WHERE terminal_id = $1`,
      [terminalId],
    );
    return row ? toTerminal(row) : null;
  }

  async terminals(orgId: string) {
    return (
      await rows<TerminalRow>(
        this.pool,
        `SELECT ${TERMINAL_COLUMNS} FROM terminals WHERE org_id = $1 ORDER BY terminal_id COLLATE "C"`,
        [orgId],
      )
    ).map(toTerminal);
  }

  async revokeTerminal(orgId: string, terminalId: string, now: string) {
    const result = await query(
      this.pool,
      'UPDATE terminals SET revoked_at = $1 WHERE org_id = $2 AND terminal_id = $3 AND revoked_at IS NULL',
      [now, orgId, terminalId],
    );
    return result.rowCount === 1;
  }

  useNonce(terminalId: string, nonce: string, expiresAt: string, now: string) {
    return this.transaction(async (client) => {
      // SKIP LOCKED: concurrent requests never wait on (or deadlock over) each other's clean-up; what one skips,
      // the other deletes.
      await query(
        client,
        `DELETE FROM request_nonces WHERE (terminal_id, nonce) IN (
           SELECT terminal_id, nonce FROM request_nonces WHERE expires_at < $1 FOR UPDATE SKIP LOCKED)`,
        [now],
      );
      // A concurrent insert of the same nonce makes this one wait for it to commit, then do nothing: one wins.
      const inserted = await query(
        client,
        'INSERT INTO request_nonces (terminal_id, nonce, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [terminalId, nonce, expiresAt],
      );
      return inserted.rowCount === 1;
    });
  }

  createStaff(input: NewStaff) {
    return postgresStaff.createStaff(this.pool, input);
  }

  staffByUsername(username: string) {
    return postgresStaff.staffByUsername(this.pool, username);
  }

  staffById(orgId: string, staffId: string) {
    return postgresStaff.staffById(this.pool, orgId, staffId);
  }

  createSession(tokenHash: string, staffId: string, expiresAt: string, passwordHash?: string) {
    return postgresStaff.createSession(this.pool, tokenHash, staffId, expiresAt, passwordHash);
  }

  sessionByTokenHash(tokenHash: string, now: string) {
    return postgresStaff.sessionByTokenHash(this.pool, tokenHash, now);
  }

  deleteSession(tokenHash: string) {
    return postgresStaff.deleteSession(this.pool, tokenHash);
  }

  deleteSessionsOfStaff(staffId: string) {
    return postgresStaff.deleteSessionsOfStaff(this.pool, staffId);
  }

  setPassword(staffId: string, passwordHash: string) {
    return postgresStaff.setPassword(this.pool, staffId, passwordHash);
  }

  async ingest(principal: TerminalPrincipal, batch: Parameters<ServerStore['ingest']>[1], now: string) {
    try {
      return await this.transaction((client) =>
        ingestBatch(new PostgresIngestTx(client), principal, batch, now),
      );
    } catch (error) {
      if (error instanceof ApiError && error.code === 'fork') {
        // The batch rolled back; the alert is written on its own, so it stays whatever the terminal does next.
        await query(
          this.pool,
          'INSERT INTO alerts (org_id, terminal_id, kind, detail, created_at) VALUES ($1, $2, $3, $4, $5)',
          [principal.orgId, principal.terminalId, 'fork', error.message, now],
        );
      }
      throw error;
    }
  }

  syncState(principal: TerminalPrincipal) {
    return this.transaction((client) => readSyncState(new PostgresIngestTx(client), principal));
  }

  startEpoch(principal: TerminalPrincipal, request: NewEpochRequest, now: string) {
    return this.transaction((client) => startEpoch(new PostgresIngestTx(client), principal, request, now));
  }

  async readStream(orgId: string | null, afterOffset: number, limit: number) {
    const found =
      orgId === null
        ? await rows<StreamRow>(
            this.pool,
            `SELECT ${STREAM_COLUMNS} FROM events WHERE stream_offset > $1 ORDER BY stream_offset LIMIT $2`,
            [afterOffset, limit],
          )
        : await rows<StreamRow>(
            this.pool,
            `SELECT ${STREAM_COLUMNS} FROM events WHERE org_id = $1 AND stream_offset > $2
              ORDER BY stream_offset LIMIT $3`,
            [orgId, afterOffset, limit],
          );
    return found.map(toStreamItem);
  }

  async findEvent(orgId: string, eventId: string, terminalId?: string) {
    const [row] = await rows<StreamRow>(
      this.pool,
      `SELECT ${STREAM_COLUMNS} FROM events
        WHERE org_id = $1 AND event_id = $2 AND terminal_id = coalesce($3, terminal_id)`,
      [orgId, eventId, terminalId ?? null],
    );
    return row ? toStreamItem(row) : null;
  }

  async returnedQuantities(orgId: string, saleId: string, terminalId?: string) {
    return returnedByLine(await saleLineQuantities(this.pool, orgId, saleId, terminalId));
  }

  async exceptions(orgId: string, afterId: number, limit: number): Promise<ExceptionRecord[]> {
    const found = await rows<ExceptionRow>(
      this.pool,
      `SELECT id, org_id, terminal_id, event_id, kind, detail, created_at FROM business_exceptions
        WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [orgId, afterId, limit],
    );
    return found.map(toExceptionRecord);
  }

  async quarantine(orgId: string, limit: number): Promise<QuarantineRecord[]> {
    const found = await rows<QuarantineRow>(
      this.pool,
      `SELECT org_id, terminal_id, event_id, seq, type, issues, received_at FROM quarantine
        WHERE org_id = $1 ORDER BY received_at, seq LIMIT $2`,
      [orgId, limit],
    );
    return found.map(toQuarantineRecord);
  }

  async counts(): Promise<Counts> {
    const [row] = await rows<Counts>(
      this.pool,
      `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM quarantine) AS quarantined,
              (SELECT count(*) FROM business_exceptions) AS exceptions, (SELECT count(*) FROM alerts) AS alerts`,
    );
    return row!;
  }

  putCatalogProducts(orgId: string, products: Parameters<ServerStore['putCatalogProducts']>[1]) {
    return this.transaction(async (client) => {
      if (products.length === 0) return 0;
      // One number per product, in import order, from the catalog counter (commit order, as stream offsets).
      const last = await takeNumbers(client, 'catalog_version', products.length);
      const first = last - products.length + 1;
      // A product listed twice ends as its last listing with that listing's version, as one upsert per listing
      // would leave it (one statement may not update a row twice).
      const latest = new Map<string, { body: string; version: number }>();
      products.forEach((product, index) => {
        const version = first + index;
        latest.set(product.productId, { body: canonicalJson({ ...product, version }), version });
      });
      const ids = [...latest.keys()];
      await query(
        client,
        `INSERT INTO catalog_products (org_id, product_id, version, body)
         SELECT $1, product_id, version, body FROM unnest($2::text[], $3::bigint[], $4::text[])
           AS p (product_id, version, body)
         ON CONFLICT (org_id, product_id) DO UPDATE SET version = EXCLUDED.version, body = EXCLUDED.body`,
        [orgId, ids, ids.map((id) => latest.get(id)!.version), ids.map((id) => latest.get(id)!.body)],
      );
      return last;
    });
  }

  async catalogProduct(orgId: string, productId: string) {
    const [row] = await rows<{ body: string }>(
      this.pool,
      'SELECT body FROM catalog_products WHERE org_id = $1 AND product_id = $2',
      [orgId, productId],
    );
    return row ? JSON.parse(row.body) : null;
  }

  async catalogAfter(orgId: string, afterVersion: number, limit: number) {
    const found = await rows<{ version: number; body: string }>(
      this.pool,
      'SELECT version, body FROM catalog_products WHERE org_id = $1 AND version > $2 ORDER BY version LIMIT $3',
      [orgId, afterVersion, limit + 1],
    );
    return toCatalogPage(found, afterVersion, limit);
  }

  async catalogVersion(orgId: string) {
    const [row] = await rows<{ v: number }>(
      this.pool,
      'SELECT coalesce(max(version), 0) AS v FROM catalog_products WHERE org_id = $1',
      [orgId],
    );
    return row?.v ?? 0;
  }

  putTerminalConfig(
    orgId: string,
    storeId: string | null,
    config: Parameters<ServerStore['putTerminalConfig']>[2],
    now: string,
  ) {
    return this.transaction((client) => putConfig(postgresFeedTx(client), orgId, storeId, config, now));
  }

  async authoriseReturn(orgId: string, request: Parameters<ServerStore['authoriseReturn']>[1], now: string) {
    const attempt = () =>
      this.transaction((client) => authoriseReturn(postgresFeedTx(client), orgId, request, now));
    try {
      return await attempt();
    } catch (error) {
      // Two requests under one id but about different sales lock different rows, so both can miss each other; the
      // loser's insert fails on the key. Once more, it finds the winner's row and answers as a repeat would.
      if (
        error instanceof DatabaseError &&
        error.code === '23505' &&
        error.constraint === 'return_authorisations_pkey'
      ) {
        return attempt();
      }
      throw error;
    }
  }

  cancelReturnAuthorisation(orgId: string, authorisationId: string, now: string) {
    return this.transaction((client) =>
      cancelAuthorisation(postgresFeedTx(client), orgId, authorisationId, now),
    );
  }

  async returnAuthorisation(orgId: string, authorisationId: string) {
    const [row] = await rows<AuthorisationRow>(
      this.pool,
      `SELECT org_id, request_digest, version, body FROM return_authorisations
        WHERE authorisation_id = $1 AND org_id = $2`,
      [authorisationId, orgId],
    );
    return row ? toFeedItem(toAuthorisationRecord(row)) : null;
  }

  async feedAfter(terminal: { orgId: string; storeId: string }, afterVersion: number, limit: number) {
    // One statement, one snapshot: the head and the page agree. Feed versions are taken in commit order, so every
    // version up to the head is committed (or rolled back) in that snapshot, and a cursor moved to the head skips
    // nothing that commits later.
    const found = await rows<{ head: number; body: string | null }>(
      this.pool,
      `SELECT c.value AS head, f.body FROM counters c
         LEFT JOIN LATERAL (
           SELECT version, body FROM feed_items
            WHERE org_id = $1 AND version > $2 AND (store_id IS NULL OR store_id = $3)
            ORDER BY version LIMIT $4) f ON true
        WHERE c.name = 'feed_version'
        ORDER BY f.version`,
      [terminal.orgId, afterVersion, terminal.storeId, limit + 1],
    );
    const head = found[0]?.head ?? 0;
    return toFeedPage(
      found.filter((row): row is { head: number; body: string } => row.body !== null),
      head,
      limit,
    );
  }

  async ping() {
    await query(this.pool, 'SELECT 1');
  }

  /** Waits for connections in use to come back, then closes them all. Calling it twice is fine. */
  close() {
    this.closing ??= this.pool.end();
    return this.closing;
  }
}
