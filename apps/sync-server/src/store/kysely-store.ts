import type { NewEpochRequest } from '@tillwright/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import { ApiError } from '../errors.js';
import { readAudit, writeAudit } from './audit.js';
import { catalogQueries } from './catalog.js';
import { storeIdTaken, storeNotFound } from './conflicts.js';
import { type Dialect, isUniqueViolation, mapError } from './dialect.js';
import { employeeQueries } from './employees.js';
import { enrolmentQueries } from './enrolment.js';
import { readSyncState, startEpoch } from './epochs.js';
import { authoriseReturn, cancelAuthorisation, putConfig } from './feed.js';
import { feedReadQueries } from './feed-reads.js';
import { kyselyFeedTx } from './feed-tx.js';
import { hqReadQueries } from './hq-reads.js';
import { type IngestOptions, ingestBatch } from './ingest.js';
import { KyselyIngestTx, saleLineQuantities } from './ingest-tx.js';
import { PreparedQueries } from './prepared.js';
import { returnedByLine, toTerminal } from './rows.js';
import type { Database } from './schema.js';
import { type StaffAudit, staffQueries } from './staff.js';
import type { ServerStore } from './store.js';
import type { AuditActor, AuditStamp, Counts, NewStaff, TerminalPrincipal } from './types.js';

const TERMINAL_COLUMNS = [
  'terminal_id',
  'org_id',
  'store_id',
  'name',
  'public_key',
  'epoch',
  'acked_seq',
  'acked_hash',
  'last_seen_at',
  'revoked_at',
] as const;

/**
 * The one ServerStore, written once over Kysely for SQLite and PostgreSQL (decision 0010). Every writing method is
 * one transaction, answered after COMMIT; ingest, epochs and the feed run their shared rules (ingest.ts, epochs.ts,
 * feed.ts) over one transaction object each. What differs by dialect is named where it happens: row locks (SQLite
 * has one writer, so they are PostgreSQL's only), byte-order sorting, and text PostgreSQL cannot hold (NUL).
 * SqliteStore and PostgresStore only open the database, migrate it, and hand it here.
 */
export class KyselyStore implements ServerStore {
  private readonly staff;
  private readonly catalog;
  private readonly hq;
  private readonly enrolment;
  private readonly people;
  private readonly feed;
  /** Compiled once per shape: the statements of the push path (terminal, nonce, ingest; prepared.ts). */
  private readonly queries = new PreparedQueries();

  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly dialect: Dialect,
    private readonly ingestOptions: IngestOptions = {},
  ) {
    this.staff = staffQueries(db, dialect);
    this.catalog = catalogQueries(db);
    this.hq = hqReadQueries(db, dialect);
    this.enrolment = enrolmentQueries(db, dialect, this.queries);
    this.people = employeeQueries(db, dialect);
    this.feed = feedReadQueries(db);
  }

  /** One transaction; PostgreSQL's refusal of NUL text becomes the client's 400. */
  private async transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(work);
    } catch (error) {
      throw mapError(error);
    }
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw mapError(error);
    }
  }

  /** Text in SQLite's byte order (BINARY) on both: PostgreSQL sorts `COLLATE "C"`, whatever the database locale. */
  private byteOrder(column: 'org_id' | 'terminal_id') {
    return this.dialect === 'postgres' ? sql`${sql.ref(column)} COLLATE "C"` : sql.ref(column);
  }

  createOrg(orgId: string, name: string) {
    return this.run(async () => {
      await this.db
        .insertInto('orgs')
        .values({ org_id: orgId, name })
        .onConflict((oc) => oc.doNothing())
        .execute();
    });
  }

  orgIds() {
    return this.run(async () =>
      (await this.db.selectFrom('orgs').select('org_id').orderBy(this.byteOrder('org_id')).execute()).map(
        (row) => row.org_id,
      ),
    );
  }

  createStore(orgId: string, storeId: string, name: string) {
    return this.run(async () => {
      const written = await this.db
        .insertInto('stores')
        .values({ store_id: storeId, org_id: orgId, name })
        .onConflict((oc) =>
          oc
            .column('store_id')
            .doUpdateSet((eb) => ({ name: eb.ref('excluded.name') }))
            .where('stores.org_id', '=', (eb) => eb.ref('excluded.org_id')),
        )
        .returning('store_id')
        .executeTakeFirst();
      if (!written) throw storeIdTaken(storeId);
    });
  }

  issueEnrolmentCode(
    orgId: string,
    storeId: string,
    codeHash: string,
    expiresAt: string,
    audit?: AuditStamp,
  ) {
    return this.transaction(async (trx) => {
      if (!(await kyselyFeedTx(trx, this.dialect).storeExists(orgId, storeId))) throw storeNotFound(storeId);
      await trx
        .insertInto('enrolment_codes')
        .values({ code_hash: codeHash, org_id: orgId, store_id: storeId, expires_at: expiresAt })
        .onConflict((oc) =>
          oc.column('code_hash').doUpdateSet((eb) => ({ expires_at: eb.ref('excluded.expires_at') })),
        )
        .execute();
      // Never the code, nor its hash: the row says a code was issued for the store, and until when.
      if (audit) {
        await writeAudit(trx, orgId, audit.at, {
          actor: audit.actor,
          action: 'enrolment-code.issue',
          target: `store:${storeId}`,
          detail: { storeId, expiresAt },
        });
      }
    });
  }

  enrolTerminal(input: { codeHash: string; terminalName: string; publicKey: string; now: string }) {
    return this.run(() => this.enrolment.enrolTerminal(input));
  }

  terminal(terminalId: string) {
    return this.run(async () => {
      const { rows } = await this.queries.execute(this.db, 'terminal', [terminalId], (p) =>
        this.db.selectFrom('terminals').select(TERMINAL_COLUMNS).where('terminal_id', '=', p(0)),
      );
      const row = rows[0];
      return row ? toTerminal(row) : null;
    });
  }

  terminals(orgId: string) {
    return this.run(async () =>
      (
        await this.db
          .selectFrom('terminals')
          .select(TERMINAL_COLUMNS)
          .where('org_id', '=', orgId)
          .orderBy(this.byteOrder('terminal_id'))
          .execute()
      ).map(toTerminal),
    );
  }

  revokeTerminal(orgId: string, terminalId: string, now: string, actor?: AuditActor) {
    return this.transaction(async (trx) => {
      const result = await trx
        .updateTable('terminals')
        .set({ revoked_at: now })
        .where('org_id', '=', orgId)
        .where('terminal_id', '=', terminalId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      const revoked = result.numUpdatedRows === 1n;
      if (revoked && actor) {
        await writeAudit(trx, orgId, now, {
          actor,
          action: 'terminal.revoke',
          target: terminalId,
          detail: {},
        });
      }
      return revoked;
    });
  }

  useNonce(terminalId: string, nonce: string, expiresAt: string, now: string) {
    return this.run(() => this.enrolment.useNonce(terminalId, nonce, expiresAt, now));
  }

  createStaff(input: NewStaff) {
    return this.run(() => this.staff.createStaff(input));
  }

  staffByUsername(username: string) {
    return this.run(() => this.staff.staffByUsername(username));
  }

  staffById(orgId: string, staffId: string) {
    return this.run(() => this.staff.staffById(orgId, staffId));
  }

  createSession(tokenHash: string, staffId: string, expiresAt: string, passwordHash?: string) {
    return this.run(() => this.staff.createSession(tokenHash, staffId, expiresAt, passwordHash));
  }

  sessionByTokenHash(tokenHash: string, now: string) {
    return this.run(() => this.staff.sessionByTokenHash(tokenHash, now));
  }

  deleteSession(tokenHash: string) {
    return this.run(() => this.staff.deleteSession(tokenHash));
  }

  deleteSessionsOfStaff(staffId: string, audit?: StaffAudit) {
    return this.run(() => this.staff.deleteSessionsOfStaff(staffId, audit));
  }

  setPassword(staffId: string, passwordHash: string, audit?: StaffAudit) {
    return this.run(() => this.staff.setPassword(staffId, passwordHash, audit));
  }

  async ingest(principal: TerminalPrincipal, batch: Parameters<ServerStore['ingest']>[1], now: string) {
    try {
      return await this.transaction((trx) =>
        ingestBatch(
          new KyselyIngestTx(trx, this.dialect, this.queries),
          principal,
          batch,
          now,
          this.ingestOptions,
        ),
      );
    } catch (error) {
      if (error instanceof ApiError && error.code === 'fork') {
        // The batch rolled back; the alert is written on its own, so it stays whatever the terminal does next.
        await this.db
          .insertInto('alerts')
          .values({
            org_id: principal.orgId,
            terminal_id: principal.terminalId,
            kind: 'fork',
            detail: error.message,
            created_at: now,
          })
          .execute();
      }
      throw error;
    }
  }

  syncState(principal: TerminalPrincipal) {
    return this.transaction((trx) =>
      readSyncState(new KyselyIngestTx(trx, this.dialect, this.queries), principal),
    );
  }

  startEpoch(principal: TerminalPrincipal, request: NewEpochRequest, now: string) {
    return this.transaction((trx) =>
      startEpoch(new KyselyIngestTx(trx, this.dialect, this.queries), principal, request, now),
    );
  }

  readStream(orgId: string | null, afterOffset: number, limit: number) {
    return this.run(() => this.hq.stream(orgId, afterOffset, limit));
  }

  findEvent(orgId: string, eventId: string, terminalId?: string) {
    return this.run(() => this.hq.event(orgId, eventId, terminalId));
  }

  exceptions(orgId: string, afterId: number, limit: number) {
    return this.run(() => this.hq.exceptions(orgId, afterId, limit));
  }

  quarantine(orgId: string, limit: number) {
    return this.run(() => this.hq.quarantine(orgId, limit));
  }

  returnedQuantities(orgId: string, saleId: string, terminalId?: string) {
    return this.run(async () => returnedByLine(await saleLineQuantities(this.db, orgId, saleId, terminalId)));
  }

  counts() {
    return this.run(async () => {
      const { rows } = await sql<Counts>`SELECT (SELECT count(*) FROM events) AS events,
          (SELECT count(*) FROM quarantine) AS quarantined, (SELECT count(*) FROM business_exceptions) AS exceptions,
          (SELECT count(*) FROM alerts) AS alerts`.execute(this.db);
      return rows[0]!;
    });
  }

  putCatalogProducts(
    orgId: string,
    products: Parameters<ServerStore['putCatalogProducts']>[1],
    audit?: AuditStamp,
  ) {
    return this.run(() => this.catalog.put(orgId, products, audit));
  }

  catalogProduct(orgId: string, productId: string) {
    return this.run(() => this.catalog.current(orgId, productId));
  }

  configInForce(orgId: string, storeId: string) {
    return this.run(() => this.hq.configInForce(orgId, storeId));
  }

  storeMoneyEvents(orgId: string, storeId: string, from: string, until: string) {
    return this.run(() => this.hq.storeMoneyEvents(orgId, storeId, from, until));
  }

  catalogProductAt(orgId: string, productId: string, version: number) {
    return this.run(() => this.catalog.at(orgId, productId, version));
  }

  catalogAfter(orgId: string, afterVersion: number, limit: number) {
    return this.run(() => this.catalog.after(orgId, afterVersion, limit));
  }

  catalogVersion(orgId: string) {
    return this.run(() => this.catalog.version(orgId));
  }

  putTerminalConfig(
    orgId: string,
    storeId: string | null,
    config: Parameters<ServerStore['putTerminalConfig']>[2],
    now: string,
    actor?: AuditActor,
  ) {
    return this.transaction((trx) =>
      putConfig(kyselyFeedTx(trx, this.dialect), orgId, storeId, config, now, actor),
    );
  }

  async authoriseReturn(
    orgId: string,
    request: Parameters<ServerStore['authoriseReturn']>[1],
    now: string,
    actor?: AuditActor,
  ) {
    const attempt = () =>
      this.transaction((trx) => authoriseReturn(kyselyFeedTx(trx, this.dialect), orgId, request, now, actor));
    try {
      return await attempt();
    } catch (error) {
      // PostgreSQL: two requests under one id but about different sales lock different rows, so both can miss each
      // other; the loser's insert fails on the key. Once more, it finds the winner's row and answers as a repeat.
      if (isUniqueViolation(error, 'return_authorisations_pkey')) return attempt();
      throw error;
    }
  }

  cancelReturnAuthorisation(orgId: string, authorisationId: string, now: string, actor?: AuditActor) {
    return this.transaction((trx) =>
      cancelAuthorisation(kyselyFeedTx(trx, this.dialect), orgId, authorisationId, now, actor),
    );
  }

  returnAuthorisation(orgId: string, authorisationId: string) {
    return this.run(() => this.feed.authorisation(orgId, authorisationId));
  }

  feedAfter(terminal: { orgId: string; storeId: string }, afterVersion: number, limit: number) {
    return this.run(() => this.feed.after(terminal, afterVersion, limit));
  }

  createEmployee(...args: Parameters<ServerStore['createEmployee']>) {
    return this.run(() => this.people.create(...args));
  }

  updateEmployee(...args: Parameters<ServerStore['updateEmployee']>) {
    return this.run(() => this.people.update(...args));
  }

  resetEmployeePin(...args: Parameters<ServerStore['resetEmployeePin']>) {
    return this.run(() => this.people.resetPin(...args));
  }

  employees(orgId: string) {
    return this.run(() => this.people.list(orgId));
  }

  employee(orgId: string, employeeId: string) {
    return this.run(() => this.people.get(orgId, employeeId));
  }

  auditLog(orgId: string, afterId: number, limit: number) {
    return this.run(() => readAudit(this.db, orgId, afterId, limit));
  }

  ping() {
    return this.run(async () => {
      await sql`SELECT 1`.execute(this.db);
    });
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}
