import type { NewEpochRequest } from '@tillwright/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import { ApiError } from '../errors.js';
import { readAudit } from './audit.js';
import { catalogQueries } from './catalog.js';
import { type Dialect, isUniqueViolation, mapError } from './dialect.js';
import { employeeQueries } from './employees.js';
import { enrolmentQueries } from './enrolment.js';
import { readSyncState, startEpoch } from './epochs.js';
import { authoriseReturn, cancelAuthorisation, putConfig } from './feed.js';
import { feedReadQueries } from './feed-reads.js';
import { kyselyFeedTx } from './feed-tx.js';
import { hqReadQueries } from './hq-reads.js';
import { type IngestOptions, ingestBatch } from './ingest.js';
import { KyselyIngestTx } from './ingest-tx.js';
import { orgQueries } from './orgs.js';
import { PreparedQueries } from './prepared.js';
import { returnedByLine } from './rows.js';
import { saleLineQuantities } from './sale-quantities.js';
import type { Database } from './schema.js';
import { type ShiftQuery, shiftReadQueries } from './shift-reads.js';
import { type StaffAudit, staffQueries } from './staff.js';
import type { ServerStore } from './store.js';
import type { AuditActor, AuditStamp, Counts, NewStaff, TerminalPrincipal } from './types.js';

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
  private readonly orgs;
  private readonly shiftReads;
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
    this.orgs = orgQueries(db, dialect, this.queries);
    this.shiftReads = shiftReadQueries(db);
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

  createOrg(orgId: string, name: string) {
    return this.run(() => this.orgs.createOrg(orgId, name));
  }

  orgIds() {
    return this.run(() => this.orgs.orgIds());
  }

  createStore(orgId: string, storeId: string, name: string) {
    return this.run(() => this.orgs.createStore(orgId, storeId, name));
  }

  issueEnrolmentCode(
    orgId: string,
    storeId: string,
    codeHash: string,
    expiresAt: string,
    audit?: AuditStamp,
  ) {
    return this.transaction((trx) =>
      this.orgs.issueEnrolmentCode(trx, { orgId, storeId, codeHash, expiresAt }, audit),
    );
  }

  enrolTerminal(input: { codeHash: string; terminalName: string; publicKey: string; now: string }) {
    return this.run(() => this.enrolment.enrolTerminal(input));
  }

  terminal(terminalId: string) {
    return this.run(() => this.orgs.terminal(terminalId));
  }

  terminals(orgId: string) {
    return this.run(() => this.orgs.terminals(orgId));
  }

  revokeTerminal(orgId: string, terminalId: string, now: string, actor?: AuditActor) {
    return this.transaction((trx) => this.orgs.revokeTerminal(trx, { orgId, terminalId, now }, actor));
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

  shifts(orgId: string, query: ShiftQuery) {
    return this.run(() => this.shiftReads.list(orgId, query));
  }

  shift(orgId: string, shiftId: string) {
    return this.run(() => this.shiftReads.one(orgId, shiftId));
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
