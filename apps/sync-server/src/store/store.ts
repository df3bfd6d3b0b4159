import type {
  AuditEntry,
  CatalogProduct,
  CatalogPullResponse,
  ConfigFeedItem,
  CreateReturnAuthorisationRequest,
  EmployeeView,
  EventEnvelope,
  HqStreamItem,
  JournalEvent,
  NewEpochRequest,
  PinHash,
  ReturnAuthorisationFeedItem,
  TerminalConfig,
  TerminalSyncState,
  UpdateEmployeeRequest,
} from '@tillwright/protocol';
import type { CreateOutcome, EmployeeRecord, NewEmployee } from './employees.js';
import type { ShiftDetail, ShiftQuery, ShiftView } from './shift-reads.js';
import type { StaffAudit } from './staff.js';
import type {
  AuditActor,
  AuditStamp,
  Counts,
  ExceptionRecord,
  FeedPage,
  IngestOutcome,
  NewStaff,
  QuarantineRecord,
  StaffAccount,
  StaffPrincipal,
  StaffSession,
  TerminalPrincipal,
  TerminalRecord,
} from './types.js';

export type { CreateOutcome, EmployeeRecord, NewEmployee } from './employees.js';
export type { ShiftDetail, ShiftMovement, ShiftQuery, ShiftView } from './shift-reads.js';
export type { StaffAudit } from './staff.js';
export type {
  AuditActor,
  AuditStamp,
  BusinessException,
  Counts,
  ExceptionRecord,
  FeedPage,
  IngestOutcome,
  NewStaff,
  QuarantineRecord,
  StaffAccount,
  StaffPrincipal,
  StaffRole,
  StaffSession,
  TerminalPrincipal,
  TerminalRecord,
} from './types.js';

/**
 * Everything the server keeps, behind one interface, so the embedded SQLite store and the PostgreSQL store answer
 * the same test suite. Every method that writes does it in one transaction and returns only after commit.
 */
export interface ServerStore {
  createOrg(orgId: string, name: string): Promise<void>;
  orgIds(): Promise<string[]>;
  createStore(orgId: string, storeId: string, name: string): Promise<void>;
  /** Records a code's hash (with an audit row naming the store, never the code, when `audit` is given). */
  issueEnrolmentCode(
    orgId: string,
    storeId: string,
    codeHash: string,
    expiresAt: string,
    audit?: AuditStamp,
  ): Promise<void>;
  /** Consumes a one-time code and registers a new terminal with its public key. */
  enrolTerminal(input: {
    codeHash: string;
    terminalName: string;
    publicKey: string;
    now: string;
  }): Promise<TerminalPrincipal>;
  terminal(terminalId: string): Promise<TerminalRecord | null>;
  terminals(orgId: string): Promise<TerminalRecord[]>;
  revokeTerminal(orgId: string, terminalId: string, now: string, actor?: AuditActor): Promise<boolean>;
  /** Records a request nonce; false when it was already used (a replay). Expired nonces are forgotten. */
  useNonce(terminalId: string, nonce: string, expiresAt: string, now: string): Promise<boolean>;

  createStaff(input: NewStaff): Promise<void>;
  staffByUsername(username: string): Promise<(StaffPrincipal & { passwordHash: string }) | null>;
  /** An HQ user of the org, or null (another org's user is not found). */
  staffById(orgId: string, staffId: string): Promise<StaffAccount | null>;
  /**
   * Opens a session. With `passwordHash`, only while the user's password is still that one (a sign-in checked against
   * a password changed meanwhile opens nothing); false when nothing was opened.
   */
  createSession(
    tokenHash: string,
    staffId: string,
    expiresAt: string,
    passwordHash?: string,
  ): Promise<boolean>;
  sessionByTokenHash(tokenHash: string, now: string): Promise<StaffSession | null>;
  /** Ends one session (sign-out); false when there was none. */
  deleteSession(tokenHash: string): Promise<boolean>;
  /** Ends every session of a user; returns how many there were. */
  deleteSessionsOfStaff(staffId: string, audit?: StaffAudit): Promise<number>;
  /** Sets a user's password hash and ends all of their sessions, in one transaction (with `audit`'s row). */
  setPassword(staffId: string, passwordHash: string, audit?: StaffAudit): Promise<void>;

  /**
   * Ingests one batch from a terminal in one transaction, answering only after commit. Refusals (stale epoch, gap,
   * fork, broken chain, identity mismatch) throw ApiError and write nothing.
   */
  ingest(
    terminal: TerminalPrincipal,
    batch: { epoch: number; events: EventEnvelope[] },
    now: string,
  ): Promise<IngestOutcome>;
  /** What the server holds for a terminal (epoch, acknowledged seq and hash), read under the ingest lock. */
  syncState(terminal: TerminalPrincipal): Promise<TerminalSyncState>;
  /** Moves a terminal to a new epoch, fencing the old one, with an alert for HQ (see store/epochs.ts). */
  startEpoch(terminal: TerminalPrincipal, request: NewEpochRequest, now: string): Promise<TerminalSyncState>;
  /** Stream items after an offset, in commit order; limited to one org when given. */
  readStream(orgId: string | null, afterOffset: number, limit: number): Promise<HqStreamItem[]>;
  /**
   * An event of the org by its id, written by `terminalId` when given (store/event-identity.ts): never another
   * org's event under the same id.
   */
  findEvent(orgId: string, eventId: string, terminalId?: string): Promise<HqStreamItem | null>;
  /** Quantity already returned per line of a sale of the org (written by `terminalId`, when given), across its stores. */
  returnedQuantities(orgId: string, saleId: string, terminalId?: string): Promise<Record<string, number>>;
  exceptions(orgId: string, afterId: number, limit: number): Promise<ExceptionRecord[]>;
  quarantine(orgId: string, limit: number): Promise<QuarantineRecord[]>;
  counts(): Promise<Counts>;

  /** Imports products all or nothing, each with a new catalog version; returns the last version. */
  putCatalogProducts(
    orgId: string,
    products: Omit<CatalogProduct, 'version'>[],
    audit?: AuditStamp,
  ): Promise<number>;
  catalogProduct(orgId: string, productId: string): Promise<CatalogProduct | null>;
  /**
   * The terminal configuration in force at a store of the org (its own document, else the org's, else the defaults:
   * the rule its tills apply), or null when the org has no such store.
   */
  configInForce(orgId: string, storeId: string): Promise<TerminalConfig | null>;
  /** The org's shifts (the shifts projection), filtered, oldest opened first, after the `after` cursor. */
  shifts(orgId: string, query: ShiftQuery): Promise<ShiftView[]>;
  /** One shift of the org with its cash movements, or null (another org's shift is never found). */
  shift(orgId: string, shiftId: string): Promise<ShiftDetail | null>;
  /** A store's sales, voids and returns that happened within [from, until) (ISO UTC), as stored, in time order. */
  storeMoneyEvents(orgId: string, storeId: string, from: string, until: string): Promise<JournalEvent[]>;
  /**
   * The product as it stood at catalog version `version` (priced history): its newest listing with a version at or
   * below it, or null when it had none yet. Listings are never overwritten, so this answers for every version the
   * server issued since the history began (decision 0010).
   */
  catalogProductAt(orgId: string, productId: string, version: number): Promise<CatalogProduct | null>;
  catalogAfter(orgId: string, afterVersion: number, limit: number): Promise<CatalogPullResponse>;
  catalogVersion(orgId: string): Promise<number>;

  /**
   * The terminal feed (store/feed.ts). A whole terminal configuration for the org (`storeId` null) or one store, as
   * a new feed item; equal to the scope's current document, it adds nothing and answers with the current item. One
   * that leaves an active employee's role out where they work is refused (409 `roles_in_use`). Changes are audited
   * when an `actor` is given, as are the other feed writes.
   */
  putTerminalConfig(
    orgId: string,
    storeId: string | null,
    config: TerminalConfig | null,
    now: string,
    actor?: AuditActor,
  ): Promise<ConfigFeedItem>;
  /**
   * Issues a return authorisation in one transaction once `returned + reserved + asked ≤ sold` holds for every line;
   * idempotent by id. Refusals throw ApiError and write nothing.
   */
  authoriseReturn(
    orgId: string,
    request: CreateReturnAuthorisationRequest,
    now: string,
    actor?: AuditActor,
  ): Promise<ReturnAuthorisationFeedItem>;
  /** Cancels an authorisation of the org (a new feed item); cancelling it again answers the same. */
  cancelReturnAuthorisation(
    orgId: string,
    authorisationId: string,
    now: string,
    actor?: AuditActor,
  ): Promise<ReturnAuthorisationFeedItem>;
  returnAuthorisation(orgId: string, authorisationId: string): Promise<ReturnAuthorisationFeedItem | null>;
  /**
   * Feed items after a version that a terminal of this store may see (its org's config for every store or for its
   * store, and return authorisations to be used at its store), in version order, with the feed counter's head.
   */
  feedAfter(
    terminal: { orgId: string; storeId: string },
    afterVersion: number,
    limit: number,
  ): Promise<FeedPage>;

  /**
   * Employees (store/employees.ts): each write in one transaction with its feed entries and audit row. `create`
   * finds the employee already under the id instead of writing (the caller tells a repeat from a conflict).
   */
  createEmployee(orgId: string, input: NewEmployee, now: string, actor: AuditActor): Promise<CreateOutcome>;
  updateEmployee(
    orgId: string,
    employeeId: string,
    changes: UpdateEmployeeRequest,
    now: string,
    actor: AuditActor,
  ): Promise<EmployeeView>;
  resetEmployeePin(
    orgId: string,
    employeeId: string,
    pin: PinHash,
    now: string,
    actor: AuditActor,
  ): Promise<EmployeeView>;
  employees(orgId: string): Promise<EmployeeView[]>;
  employee(orgId: string, employeeId: string): Promise<EmployeeRecord | null>;
  /** The org's audit log after an id, in id order. */
  auditLog(orgId: string, afterId: number, limit: number): Promise<AuditEntry[]>;

  ping(): Promise<void>;
  close(): Promise<void>;
}
