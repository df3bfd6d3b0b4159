import type { FeedPullResponse, PushBatchResponse } from '@tillwright/protocol';

/**
 * The store's shared types, in a module of their own that imports nothing from the store, so store.ts, feed.ts,
 * ingest.ts and the query layer can all use them without a cycle between them.
 */
export interface TerminalPrincipal {
  orgId: string;
  storeId: string;
  terminalId: string;
  epoch: number;
}

export interface TerminalRecord extends TerminalPrincipal {
  name: string;
  publicKey: string;
  revokedAt: string | null;
  ackedSeq: number;
  lastSeenAt: string | null;
}

export type StaffRole = 'viewer' | 'admin';

export interface StaffPrincipal {
  staffId: string;
  orgId: string;
  role: StaffRole;
}

/** A signed-in HQ user: who, and the session they came with (its id is the hash of its token). */
export interface StaffSession extends StaffPrincipal {
  username: string;
  sessionId: string;
  expiresAt: string;
}

/** Who did an admin action, as the audit log records them. */
export interface AuditActor {
  staffId: string;
  username: string;
}

/** Who did an admin action and when: the store writes the audit row in the action's transaction. */
export interface AuditStamp {
  actor: AuditActor;
  at: string;
}

export interface StaffAccount extends StaffPrincipal {
  username: string;
  passwordHash: string;
}

export interface NewStaff {
  staffId: string;
  orgId: string;
  username: string;
  passwordHash: string;
  role: StaffRole;
}

/** What kind of business problem: `business_exceptions.kind` (the database does not constrain it). */
export type BusinessExceptionKind =
  | 'unknown_product'
  | 'price_below_catalog'
  | 'over_return'
  | 'unknown_original_sale'
  /** An action approved by the employee who did it: by the approval it links, or a sale's approval naming its own. */
  | 'self_approval'
  /** An approval id that names no manager approval the same till stored before the action. */
  | 'unknown_approval'
  /** An unlock by someone other than the manager whose approval it links. */
  | 'unlocked_not_by_approver'
  /** A shift closed with its cash over or short by more than the store's `overShortAlert` (decision 0015). */
  | 'over_short';

/** A business problem in an accepted event: the sale happened, so it is kept and HQ gets an exception to look at. */
export interface BusinessException {
  kind: BusinessExceptionKind;
  detail: string;
  /** The figures behind it, for kinds that have them (`over_short`: `OverShortData`). */
  data?: Record<string, unknown>;
}

/** What an `over_short` exception carries: the shift, its till and who closed it, the cash difference, the limit. */
export interface OverShortData {
  shiftId: string;
  terminalId: string;
  employeeId: string;
  /** Cash counted − expected, minor units: negative is short. */
  overShort: number;
  /** The store's `overShortAlert` when the close was ingested; the difference was beyond it in absolute value. */
  threshold: number;
}

export interface IngestOutcome extends PushBatchResponse {
  stored: number;
  duplicates: number;
  quarantined: number;
  exceptions: number;
}

export interface ExceptionRecord {
  id: number;
  orgId: string;
  terminalId: string;
  eventId: string;
  kind: BusinessException['kind'];
  detail: string;
  createdAt: string;
  /** Present on kinds that carry figures (`over_short`). */
  data?: Record<string, unknown>;
}

export interface QuarantineRecord {
  orgId: string;
  terminalId: string;
  eventId: string;
  seq: number;
  type: string;
  issues: string[];
  receivedAt: string;
}

export interface Counts {
  events: number;
  quarantined: number;
  exceptions: number;
  alerts: number;
}

/** One page of the feed for a terminal, and the feed counter as it stood when the page was read. */
export interface FeedPage extends FeedPullResponse {
  /** The server-wide feed counter: a cursor above it comes from before a restore (`must_refetch`). */
  head: number;
}
