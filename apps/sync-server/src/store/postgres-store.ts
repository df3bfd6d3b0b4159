import { canonicalJson, GENESIS_HASH, type HqStreamItem, type JournalEvent } from '@tillwright/protocol';
import { DatabaseError, Pool, type PoolClient, type QueryResultRow, types } from 'pg';
import { ApiError } from '../errors.js';
import { storeIdTaken, usernameTaken } from './conflicts.js';
import { type IngestTx, ingestBatch, lineQuantities } from './ingest.js';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';
import type {
  BusinessException,
  Counts,
  ExceptionRecord,
  QuarantineRecord,
  ServerStore,
  StaffPrincipal,
  StaffRole,
  TerminalPrincipal,
  TerminalRecord,
} from './store.js';

export interface PostgresStoreOptions {
  /** Most connections the pool opens (default 10). Each ingest holds one for its whole transaction. */
  poolSize?: number;
  /** An idle pooled connection failed (the server restarted, the network dropped): the pool replaces it. */
  onIdleError?: (error: Error) => void;
}

/** The server ends a transaction left idle this long, so a stuck one cannot hold the stream counter's lock. */
const IDLE_IN_TRANSACTION_MS = 60_000;
/** Key of the advisory lock that lets one server at a time migrate (replicas may start together). */
const MIGRATION_LOCK_KEY = 7_411_005_001;

const parseTimestamptz = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (text: string) => Date;

/**
 * BIGINT comes back as a number (every BIGINT here is a count, seq, epoch, offset or version, far below 2^53, and
 * the protocol only accepts safe integers), TIMESTAMPTZ as ISO-8601 text: the same values SqliteStore gives.
 */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === types.builtins.INT8) return (text: string) => Number(text);
    if (oid === types.builtins.TIMESTAMPTZ) return (text: string) => parseTimestamptz(text).toISOString();
    return types.getTypeParser(oid, format);
  }) as typeof types.getTypeParser,
};

type Queryable = Pick<PoolClient, 'query'>;

interface TerminalRow {
  terminal_id: string;
  org_id: string;
  store_id: string;
  name: string;
  public_key: string;
  epoch: number;
  acked_seq: number;
  acked_hash: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

interface StreamRow {
  stream_offset: number;
  org_id: string;
  store_id: string;
  terminal_id: string;
  body: string;
}

const TERMINAL_COLUMNS =
  'terminal_id, org_id, store_id, name, public_key, epoch, acked_seq, acked_hash, last_seen_at, revoked_at';
const STREAM_COLUMNS = 'stream_offset, org_id, store_id, terminal_id, body';

/** PostgreSQL refuses NUL in text; SQLite keeps it. Such input is the client's fault, never a server failure. */
function mapError(error: unknown): unknown {
  if (error instanceof DatabaseError && (error.code === '22021' || error.code === '22P05')) {
    return new ApiError(400, 'invalid_request', 'text must not contain NUL characters', false);
  }
  return error;
}

async function query<R extends QueryResultRow>(db: Queryable, sql: string, values: unknown[] = []) {
  try {
    return await db.query<R>(sql, values);
  } catch (error) {
    throw mapError(error);
  }
}

async function rows<R extends QueryResultRow>(db: Queryable, sql: string, values: unknown[] = []) {
  return (await query<R>(db, sql, values)).rows;
}

/**
 * Takes `count` numbers from a counter row and returns the last; the caller uses last - count + 1 … last.
 *
 * This is how stream offsets (and exception ids, and catalog versions) are assigned in commit order. The UPDATE
 * locks the counter row until the transaction ends, so the next transaction that wants numbers waits until this one
 * has committed (or rolled back) and only then gets higher ones. In PostgreSQL a transaction is visible to new
 * snapshots before its row locks are released, so whenever a reader can see offset N, every transaction that took
 * a lower offset has already committed and is visible too: a consumer reading `stream_offset > cursor` never skips a
 * row that commits later. A BIGSERIAL would not do that: two transactions take 7 and 8, 8 commits first, a reader
 * moves its cursor to 8, and 7 becomes visible afterwards, behind the cursor, and is never delivered. Rolled-back
 * transactions leave gaps, which consumers never wait for. The price is that the ends of ingest transactions are
 * serialised on one row, so the counter is taken as late as possible: only when the batch's events are written.
 */
async function takeNumbers(db: Queryable, name: string, count: number): Promise<number> {
  const [row] = await rows<{ value: number }>(
    db,
    'UPDATE counters SET value = value + $1 WHERE name = $2 RETURNING value',
    [count, name],
  );
  if (!row) throw new Error(`counter ${name} is missing from the database`);
  return row.value;
}

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
    const pool = new Pool({
      connectionString,
      max: options.poolSize ?? 10,
      types: TYPES,
      application_name: 'tillwright-sync-server',
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    });
    // Without a listener an idle connection's error would end the process; the pool already drops that connection.
    pool.on('error', (error) => options.onIdleError?.(error));
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

  /** BEGIN … COMMIT on one pooled connection; ROLLBACK on any error. Returns only after COMMIT. */
  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is unusable: the pool must not hand it out again.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw mapError(error);
    } finally {
      client.release(broken);
    }
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
      if (store.length === 0) throw new ApiError(404, 'not_found', `no store ${storeId} in this org`, false);
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
        throw new ApiError(
          403,
          'enrolment_code_invalid',
          'this enrolment code is unknown, used or expired; ask a manager for a new one',
          false,
        );
      }
      // Enrolments of one store queue on the store row, so two never count the same number of terminals. NO KEY
      // UPDATE does not conflict with the KEY SHARE locks that foreign key checks take on the row.
      await query(client, 'SELECT 1 FROM stores WHERE store_id = $1 FOR NO KEY UPDATE', [code.store_id]);
      const [{ n } = { n: 0 }] = await rows<{ n: number }>(
        client,
        'SELECT count(*) AS n FROM terminals WHERE store_id = $1',
        [code.store_id],
      );
      const terminalId = `${code.store_id}-T${String(n + 1).padStart(2, '0')}`;
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

  async createStaff(input: {
    staffId: string;
    orgId: string;
    username: string;
    passwordHash: string;
    role: StaffRole;
  }) {
    const written = await rows(
      this.pool,
      `INSERT INTO staff (staff_id, org_id, username, password_hash, role) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role
       WHERE staff.org_id = EXCLUDED.org_id
       RETURNING 1`,
      [input.staffId, input.orgId, input.username, input.passwordHash, input.role],
    );
    if (written.length === 0) throw usernameTaken(input.username);
  }

  async staffByUsername(username: string) {
    // No stored name holds a NUL (PostgreSQL refuses it), so such a name is simply unknown.
    if (username.includes('\u0000')) return null;
    const [row] = await rows<{ staff_id: string; org_id: string; role: StaffRole; password_hash: string }>(
      this.pool,
      'SELECT staff_id, org_id, role, password_hash FROM staff WHERE username = $1',
      [username],
    );
    return row
      ? { staffId: row.staff_id, orgId: row.org_id, role: row.role, passwordHash: row.password_hash }
      : null;
  }

  async createSession(tokenHash: string, staffId: string, expiresAt: string) {
    await query(
      this.pool,
      'INSERT INTO staff_sessions (token_hash, staff_id, expires_at) VALUES ($1, $2, $3)',
      [tokenHash, staffId, expiresAt],
    );
  }

  async sessionByTokenHash(tokenHash: string, now: string): Promise<StaffPrincipal | null> {
    const [row] = await rows<{ staff_id: string; org_id: string; role: StaffRole }>(
      this.pool,
      `SELECT s.staff_id, s.org_id, s.role FROM staff_sessions x JOIN staff s ON s.staff_id = x.staff_id
        WHERE x.token_hash = $1 AND x.expires_at > $2`,
      [tokenHash, now],
    );
    return row ? { staffId: row.staff_id, orgId: row.org_id, role: row.role } : null;
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

  async findEvent(orgId: string, eventId: string) {
    const [row] = await rows<StreamRow>(
      this.pool,
      `SELECT ${STREAM_COLUMNS} FROM events WHERE org_id = $1 AND event_id = $2`,
      [orgId, eventId],
    );
    return row ? toStreamItem(row) : null;
  }

  async returnedQuantities(orgId: string, saleId: string) {
    const lines = await saleLineQuantities(this.pool, orgId, saleId);
    return Object.fromEntries([...(lines ?? new Map())].map(([lineId, q]) => [lineId, q.returned]));
  }

  async exceptions(orgId: string, afterId: number, limit: number): Promise<ExceptionRecord[]> {
    const found = await rows<{
      id: number;
      org_id: string;
      terminal_id: string;
      event_id: string;
      kind: ExceptionRecord['kind'];
      detail: string;
      created_at: string;
    }>(
      this.pool,
      `SELECT id, org_id, terminal_id, event_id, kind, detail, created_at FROM business_exceptions
        WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [orgId, afterId, limit],
    );
    return found.map((row) => ({
      id: row.id,
      orgId: row.org_id,
      terminalId: row.terminal_id,
      eventId: row.event_id,
      kind: row.kind,
      detail: row.detail,
      createdAt: row.created_at,
    }));
  }

  async quarantine(orgId: string, limit: number): Promise<QuarantineRecord[]> {
    const found = await rows<{
      org_id: string;
      terminal_id: string;
      event_id: string;
      seq: number;
      type: string;
      issues: string;
      received_at: string;
    }>(
      this.pool,
      `SELECT org_id, terminal_id, event_id, seq, type, issues, received_at FROM quarantine
        WHERE org_id = $1 ORDER BY received_at, seq LIMIT $2`,
      [orgId, limit],
    );
    return found.map((row) => ({
      orgId: row.org_id,
      terminalId: row.terminal_id,
      eventId: row.event_id,
      seq: row.seq,
      type: row.type,
      issues: JSON.parse(row.issues) as string[],
      receivedAt: row.received_at,
    }));
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
    const page = found.slice(0, limit);
    return {
      version: page.at(-1)?.version ?? afterVersion,
      products: page.map((row) => JSON.parse(row.body)),
      hasMore: found.length > limit,
    };
  }

  async catalogVersion(orgId: string) {
    const [row] = await rows<{ v: number }>(
      this.pool,
      'SELECT coalesce(max(version), 0) AS v FROM catalog_products WHERE org_id = $1',
      [orgId],
    );
    return row?.v ?? 0;
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

/**
 * Applies the migrations this server knows and the database lacks, in one transaction, under an advisory lock so
 * that replicas starting together migrate once. A database migrated by a newer server is refused, not guessed at.
 */
export async function migratePostgres(pool: Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const applied = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (row) => row.version,
      ),
    );
    const known = Math.max(0, ...POSTGRES_MIGRATIONS.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      throw new Error(
        `the database is at schema version ${newest}, newer than this server knows (${known}): run a newer server`,
      );
    }
    for (const migration of POSTGRES_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
    }
    await client.query('COMMIT');
    return known;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function saleLineQuantities(db: Queryable, orgId: string, saleId: string) {
  const [sale] = await rows<{ body: string }>(
    db,
    "SELECT body FROM events WHERE org_id = $1 AND event_id = $2 AND type = 'sale'",
    [orgId, saleId],
  );
  if (!sale) return null;
  const returns = await rows<{ body: string }>(
    db,
    "SELECT body FROM events WHERE org_id = $1 AND type = 'return' AND original_sale_id = $2",
    [orgId, saleId],
  );
  return lineQuantities(
    sale.body,
    returns.map((row) => row.body),
  );
}

interface PendingEvent {
  principal: TerminalPrincipal;
  event: JournalEvent;
  receivedAt: string;
}

interface PendingException {
  principal: TerminalPrincipal;
  eventId: string;
  exception: BusinessException;
  createdAt: string;
}

/**
 * The ingest transaction on PostgreSQL. Events and exceptions are held back and written together when the batch
 * ends (or earlier, before a read that must see them), because that is when their offsets and ids are taken from
 * the counters, and the counters' row locks are then held only until COMMIT. Reads inside the transaction see
 * exactly what SQLite's would: `hashAtSeq` looks at the held-back events first, and `saleLineQuantities` writes
 * them before reading.
 */
class PostgresIngestTx implements IngestTx {
  private events: PendingEvent[] = [];
  private exceptions: PendingException[] = [];
  private readonly pendingHashes = new Map<string, string>();

  constructor(private readonly client: PoolClient) {}

  async lockTerminal(terminalId: string) {
    const [row] = await rows<{
      epoch: number;
      acked_seq: number;
      acked_hash: string;
      store_id: string;
      org_id: string;
    }>(
      this.client,
      'SELECT epoch, acked_seq, acked_hash, store_id, org_id FROM terminals WHERE terminal_id = $1 FOR UPDATE',
      [terminalId],
    );
    if (!row) throw new Error(`terminal ${terminalId} is not registered`);
    return {
      epoch: row.epoch,
      ackedSeq: row.acked_seq,
      ackedHash: row.acked_hash,
      storeId: row.store_id,
      orgId: row.org_id,
    };
  }

  async hashAtSeq(terminalId: string, epoch: number, seq: number) {
    const pending = this.pendingHashes.get(`${terminalId}\u0000${epoch}\u0000${seq}`);
    if (pending !== undefined) return pending;
    const [row] = await rows<{ hash: string }>(
      this.client,
      `SELECT hash FROM events WHERE terminal_id = $1 AND epoch = $2 AND seq = $3
       UNION ALL SELECT hash FROM quarantine WHERE terminal_id = $1 AND epoch = $2 AND seq = $3 LIMIT 1`,
      [terminalId, epoch, seq],
    );
    return row?.hash ?? null;
  }

  async storedEventIds(eventIds: string[]) {
    const found = await rows<{ event_id: string }>(
      this.client,
      'SELECT event_id FROM events WHERE event_id = ANY($1::text[])',
      [eventIds],
    );
    return new Set(found.map((row) => row.event_id));
  }

  async insertEvent(row: PendingEvent) {
    this.events.push(row);
    this.pendingHashes.set(
      `${row.principal.terminalId}\u0000${row.event.epoch}\u0000${row.event.seq}`,
      row.event.hash,
    );
  }

  async insertQuarantine(row: {
    principal: TerminalPrincipal;
    envelope: Parameters<IngestTx['insertQuarantine']>[0]['envelope'];
    issues: string[];
    receivedAt: string;
  }) {
    const { principal, envelope, issues, receivedAt } = row;
    await query(
      this.client,
      `INSERT INTO quarantine (terminal_id, epoch, seq, event_id, org_id, type, hash, body, issues, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        principal.terminalId,
        envelope.epoch,
        envelope.seq,
        envelope.eventId,
        principal.orgId,
        // Quarantine must never refuse: a NUL PostgreSQL cannot store is shown as U+FFFD (the body keeps it).
        envelope.type.replaceAll('\u0000', '\uFFFD'),
        envelope.hash,
        JSON.stringify(envelope),
        JSON.stringify(issues),
        receivedAt,
      ],
    );
  }

  async insertException(row: PendingException) {
    this.exceptions.push(row);
  }

  async insertAlert(row: { principal: TerminalPrincipal; kind: string; detail: string; createdAt: string }) {
    await query(
      this.client,
      'INSERT INTO alerts (org_id, terminal_id, kind, detail, created_at) VALUES ($1, $2, $3, $4, $5)',
      [row.principal.orgId, row.principal.terminalId, row.kind, row.detail, row.createdAt],
    );
  }

  async setAcked(terminalId: string, seq: number, hash: string, lastSeenAt: string) {
    await this.flush();
    await query(
      this.client,
      'UPDATE terminals SET acked_seq = $1, acked_hash = $2, last_seen_at = $3 WHERE terminal_id = $4',
      [seq, hash, lastSeenAt, terminalId],
    );
  }

  async catalogPrice(orgId: string, productId: string) {
    const [row] = await rows<{ body: string }>(
      this.client,
      'SELECT body FROM catalog_products WHERE org_id = $1 AND product_id = $2',
      [orgId, productId],
    );
    return row ? (JSON.parse(row.body) as { price: number }).price : null;
  }

  async saleLineQuantities(orgId: string, saleId: string) {
    await this.flush();
    return saleLineQuantities(this.client, orgId, saleId);
  }

  /**
   * Writes the held-back events, then exceptions, numbering each from its counter (see `takeNumbers`). Always the
   * stream counter before the exception counter, in every transaction, so two ingests never wait on each other in
   * a cycle.
   */
  private async flush() {
    const events = this.events;
    this.events = [];
    this.pendingHashes.clear();
    if (events.length > 0) {
      const last = await takeNumbers(this.client, 'stream_offset', events.length);
      const first = last - events.length + 1;
      try {
        await query(
          this.client,
          `INSERT INTO events (stream_offset, event_id, org_id, store_id, terminal_id, epoch, seq, type, hash, body,
                               original_sale_id, received_at)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                                $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])`,
          [
            events.map((_, index) => first + index),
            events.map((row) => row.event.eventId),
            events.map((row) => row.principal.orgId),
            events.map((row) => row.principal.storeId),
            events.map((row) => row.principal.terminalId),
            events.map((row) => row.event.epoch),
            events.map((row) => row.event.seq),
            events.map((row) => row.event.type),
            events.map((row) => row.event.hash),
            events.map((row) => canonicalJson(row.event)),
            events.map((row) => (row.event.type === 'return' ? row.event.payload.originalSaleId : null)),
            events.map((row) => row.receivedAt),
          ],
        );
      } catch (error) {
        // Another terminal stored the same event id between our check and now: refuse for now; the retry finds
        // the id taken and quarantines the event, as SQLite (one writer) would have at once.
        if (
          error instanceof DatabaseError &&
          error.code === '23505' &&
          error.constraint === 'events_event_id_key'
        ) {
          throw new ApiError(
            409,
            'event_id_in_use',
            'an event id of this batch was just stored by another batch',
            true,
          );
        }
        throw error;
      }
    }
    const exceptions = this.exceptions;
    this.exceptions = [];
    if (exceptions.length > 0) {
      const last = await takeNumbers(this.client, 'exception_id', exceptions.length);
      const first = last - exceptions.length + 1;
      await query(
        this.client,
        `INSERT INTO business_exceptions (id, org_id, terminal_id, event_id, kind, detail, created_at)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                              $7::timestamptz[])`,
        [
          exceptions.map((_, index) => first + index),
          exceptions.map((row) => row.principal.orgId),
          exceptions.map((row) => row.principal.terminalId),
          exceptions.map((row) => row.eventId),
          exceptions.map((row) => row.exception.kind),
          exceptions.map((row) => row.exception.detail),
          exceptions.map((row) => row.createdAt),
        ],
      );
    }
  }
}

function toTerminal(row: TerminalRow): TerminalRecord {
  return {
    orgId: row.org_id,
    storeId: row.store_id,
    terminalId: row.terminal_id,
    epoch: row.epoch,
    name: row.name,
    publicKey: row.public_key,
    revokedAt: row.revoked_at,
    ackedSeq: row.acked_seq,
    lastSeenAt: row.last_seen_at,
  };
}

function toStreamItem(row: StreamRow): HqStreamItem {
  return {
    offset: row.stream_offset,
    orgId: row.org_id,
    storeId: row.store_id,
    terminalId: row.terminal_id,
    event: JSON.parse(row.body) as JournalEvent,
  };
}
