import type { HqStreamItem, JournalEvent } from '@tillwright/protocol';
import type {
  ExceptionRecord,
  QuarantineRecord,
  StaffAccount,
  StaffPrincipal,
  StaffRole,
  StaffSession,
  TerminalRecord,
} from './types.js';

/** Rows as both dialects return them (PostgresStore parses BIGINT to number and TIMESTAMPTZ to ISO text). */
export interface TerminalRow {
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

export interface StreamRow {
  stream_offset: number;
  org_id: string;
  store_id: string;
  terminal_id: string;
  body: string;
}

export interface ExceptionRow {
  id: number;
  org_id: string;
  terminal_id: string;
  event_id: string;
  kind: ExceptionRecord['kind'];
  detail: string;
  created_at: string;
  data: string | null;
}

export interface QuarantineRow {
  org_id: string;
  terminal_id: string;
  event_id: string;
  seq: number;
  type: string;
  issues: string;
  received_at: string;
}

export interface StaffRow {
  staff_id: string;
  org_id: string;
  role: StaffRole;
}

export interface StaffCredentialsRow extends StaffRow {
  password_hash: string;
}

export interface StaffAccountRow extends StaffCredentialsRow {
  username: string;
}

export interface StaffSessionRow extends StaffRow {
  username: string;
  token_hash: string;
  expires_at: string;
}

export function toTerminal(row: TerminalRow): TerminalRecord {
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

/** The terminal's ingest state, as `IngestTx.lockTerminal` returns it. */
export function toIngestState(
  row: Pick<TerminalRow, 'epoch' | 'acked_seq' | 'acked_hash' | 'store_id' | 'org_id'>,
) {
  return {
    epoch: row.epoch,
    ackedSeq: row.acked_seq,
    ackedHash: row.acked_hash,
    storeId: row.store_id,
    orgId: row.org_id,
  };
}

export function toStreamItem(row: StreamRow): HqStreamItem {
  return {
    offset: row.stream_offset,
    orgId: row.org_id,
    storeId: row.store_id,
    terminalId: row.terminal_id,
    event: JSON.parse(row.body) as JournalEvent,
  };
}

export function toExceptionRecord(row: ExceptionRow): ExceptionRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    terminalId: row.terminal_id,
    eventId: row.event_id,
    kind: row.kind,
    detail: row.detail,
    createdAt: row.created_at,
    ...(row.data === null ? {} : { data: JSON.parse(row.data) as Record<string, unknown> }),
  };
}

export function toQuarantineRecord(row: QuarantineRow): QuarantineRecord {
  return {
    orgId: row.org_id,
    terminalId: row.terminal_id,
    eventId: row.event_id,
    seq: row.seq,
    type: row.type,
    issues: JSON.parse(row.issues) as string[],
    receivedAt: row.received_at,
  };
}

export function toStaffPrincipal(row: StaffRow): StaffPrincipal {
  return { staffId: row.staff_id, orgId: row.org_id, role: row.role };
}

export function toStaffCredentials(row: StaffCredentialsRow) {
  return { staffId: row.staff_id, orgId: row.org_id, role: row.role, passwordHash: row.password_hash };
}

export function toStaffAccount(row: StaffAccountRow): StaffAccount {
  return { ...toStaffCredentials(row), username: row.username };
}

export function toStaffSession(row: StaffSessionRow): StaffSession {
  return {
    ...toStaffPrincipal(row),
    username: row.username,
    sessionId: row.token_hash,
    expiresAt: row.expires_at,
  };
}

/** One page of catalog rows fetched with LIMIT limit + 1: the extra row only says whether there is more. */
export function toCatalogPage(
  found: { version: number; body: string }[],
  afterVersion: number,
  limit: number,
) {
  const page = found.slice(0, limit);
  return {
    version: page.at(-1)?.version ?? afterVersion,
    products: page.map((row) => JSON.parse(row.body)),
    hasMore: found.length > limit,
  };
}

/** Quantity returned so far per line of a sale (none for an unknown sale). */
export function returnedByLine(lines: Map<string, { sold: number; returned: number }> | null) {
  return Object.fromEntries([...(lines ?? new Map())].map(([lineId, q]) => [lineId, q.returned]));
}
