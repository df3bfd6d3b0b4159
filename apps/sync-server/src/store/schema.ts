import type { Generated } from 'kysely';
import type { BusinessExceptionKind } from './types.js';

/**
 * The tables of the server's database as the query layer sees them, one interface for both dialects (the migrations
 * in migrations.ts make them). Numbers are numbers on both: SQLite INTEGER is one, and the PostgreSQL pool parses
 * BIGINT to number (dialect.ts). Times are ISO-8601 text on both: SQLite stores the text, and the pool gives
 * TIMESTAMPTZ back in that form. Bodies are JSON text, never parsed by the database (the event hash is over the exact
 * canonical text).
 */
export interface Database {
  orgs: { org_id: string; name: string };
  stores: { store_id: string; org_id: string; name: string };
  enrolment_codes: {
    code_hash: string;
    org_id: string;
    store_id: string;
    expires_at: string;
    used_at: string | null;
  };
  terminals: {
    terminal_id: string;
    org_id: string;
    store_id: string;
    name: string;
    public_key: string;
    epoch: number;
    acked_seq: Generated<number>;
    acked_hash: string;
    last_seen_at: string | null;
    revoked_at: string | null;
  };
  request_nonces: { terminal_id: string; nonce: string; expires_at: string };
  staff: {
    staff_id: string;
    org_id: string;
    username: string;
    password_hash: string;
    role: 'viewer' | 'admin';
  };
  staff_sessions: { token_hash: string; staff_id: string; expires_at: string };
  events: {
    /** From the `stream_offset` counter, inside the ingest transaction: commit order (dialect.ts, `takeNumbers`). */
    stream_offset: number;
    event_id: string;
    org_id: string;
    store_id: string;
    terminal_id: string;
    epoch: number;
    seq: number;
    type: string;
    hash: string;
    body: string;
    /** A return's original sale id (null for other events), so a sale's returns are found by an index. */
    original_sale_id: string | null;
    /** A manager approval's `approvalId` (null for other events), so the actions that link it find it by an index. */
    approval_id: string | null;
    /** When the event happened (its `occurredAt`, UTC with milliseconds); null only for rows older than migration 6. */
    occurred_at: string | null;
    received_at: string;
    /** The shift its payload names (`payload.shiftId`; null for other events and before shifts): migration 10. */
    shift_id: string | null;
  };
  quarantine: {
    terminal_id: string;
    epoch: number;
    seq: number;
    event_id: string;
    org_id: string;
    type: string;
    hash: string;
    body: string;
    issues: string;
    received_at: string;
  };
  business_exceptions: {
    id: number;
    org_id: string;
    terminal_id: string;
    event_id: string;
    kind: BusinessExceptionKind;
    detail: string;
    created_at: string;
    /** What the exception is about, as JSON text, for kinds that carry figures (`over_short`); else null. */
    data: string | null;
  };
  /**
   * One row per shift, kept in the ingest transaction from the events that name it (shift-projection.ts). JSON text:
   * `float_count`, `cash_count` (counts by denomination) and `expected`, `counted`, `over_short` (per tender).
   */
  shifts: {
    org_id: string;
    shift_id: string;
    store_id: string;
    terminal_id: string;
    open_offset: number;
    open_event_id: string;
    currency: string;
    opened_at: string;
    opened_by: string;
    opening_float: number;
    float_count: string | null;
    open_approval_id: string | null;
    close_event_id: string | null;
    closed_at: string | null;
    closed_by: string | null;
    expected: string | null;
    counted: string | null;
    over_short: string | null;
    cash_count: string | null;
    /** 1 or 0 once closed; null while open. */
    blind: number | null;
    close_approval_id: string | null;
    sales_count: Generated<number>;
    sales_total: Generated<number>;
    training_sales_count: Generated<number>;
    voids_count: Generated<number>;
    voids_total: Generated<number>;
    no_sales: Generated<number>;
    events_count: Generated<number>;
  };
  alerts: {
    id: Generated<number>;
    org_id: string;
    terminal_id: string;
    kind: string;
    detail: string;
    created_at: string;
  };
  /** Each product's current listing: what a till pulls. */
  catalog_products: { org_id: string; product_id: string; version: number; body: string };
  /** Every listing ever made, never overwritten (priced history, migration 5). */
  catalog_product_versions: { org_id: string; product_id: string; version: number; body: string };
  counters: { name: string; value: number };
  feed_items: {
    version: number;
    org_id: string;
    store_id: string | null;
    kind: 'config' | 'return-authorisation' | 'employee';
    body: string;
    created_at: string;
  };
  /** The people at the tills (issue #15), not HQ staff. Store ids and the PIN hash are JSON text. */
  employees: {
    org_id: string;
    employee_id: string;
    number: string;
    display_name: string;
    role_id: string;
    store_ids: string;
    /** 1 or 0. */
    active: number;
    pin_hash: string;
    pin_changed_at: string;
    /** SHA-256 of the create request without its PIN: a repeat of the same request is recognised. */
    request_digest: string;
    created_at: string;
    updated_at: string;
    /** 1 when created, one more with each change. */
    version: number;
  };
  /** Every admin action at HQ (id from the `audit_id` counter, in commit order). `detail` is JSON text. */
  audit_log: {
    id: number;
    org_id: string;
    at: string;
    actor_staff_id: string;
    actor_username: string;
    action: string;
    target: string;
    detail: string;
  };
  return_authorisations: {
    authorisation_id: string;
    org_id: string;
    original_sale_id: string;
    store_id: string;
    status: 'active' | 'cancelled';
    expires_at: string;
    request_digest: string;
    version: number;
    body: string;
  };
}
