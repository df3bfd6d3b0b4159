import { createHash } from 'node:crypto';
import {
  type ConfigFeedItem,
  type CreateReturnAuthorisationRequest,
  canonicalJson,
  configDocumentToServe,
  configDocumentToStore,
  consumedAuthorisationId,
  type FeedItem,
  type ReturnAuthorisation,
  type ReturnAuthorisationFeedItem,
  type ReturnPayloadV1,
  readTerminalConfig,
  type TerminalConfig,
} from '@tillwright/protocol';
import { ApiError } from '../errors.js';
import type { AuditAction } from './audit.js';
import { storeNotFound } from './conflicts.js';
import { returnsOfSale } from './event-identity.js';
import { type RoleHolder, refuseStrandedRoles } from './roles.js';
import { lineQuantities } from './sale-quantities.js';
import type { AuditActor, FeedPage } from './types.js';

/** A return authorisation as the server keeps it: its org, the digest of the request that issued it, its version. */
export interface AuthorisationRecord {
  orgId: string;
  requestDigest: string;
  /** The feed version of its latest item (issued, or cancelled). */
  version: number;
  authorisation: ReturnAuthorisation;
}

/** An authorisation's row as both dialects return it. */
export interface AuthorisationRow {
  org_id: string;
  request_digest: string;
  version: number;
  body: string;
}

export const toAuthorisationRecord = (row: AuthorisationRow): AuthorisationRecord => ({
  orgId: row.org_id,
  requestDigest: row.request_digest,
  version: row.version,
  authorisation: JSON.parse(row.body) as ReturnAuthorisation,
});

/**
 * The few row operations feed writes need, inside the caller's transaction; each dialect implements them, and the
 * rules live once, here (as `ingest.ts` does for journal batches).
 */
export interface FeedTx {
  /** Queues configuration and employee writes of one org behind each other until commit (PostgreSQL). */
  lockOrg(orgId: string): Promise<void>;
  /** The org's active employees: their numbers, roles and stores. */
  roleHolders(orgId: string): Promise<RoleHolder[]>;
  /** The audit row of a change, in this transaction; taken last, after every other lock (audit.ts). */
  writeAudit(orgId: string, at: string, action: AuditAction): Promise<void>;
  storeExists(orgId: string, storeId: string): Promise<boolean>;
  /** The latest config item for the whole org (`storeId` null) or for one store. */
  latestConfig(orgId: string, storeId: string | null): Promise<ConfigFeedItem | null>;
  /**
   * The org's stored sale under this id (written by `terminalId`, when given): its store and body, or null. On
   * PostgreSQL the sale's row is locked until the transaction ends, so writes about one sale's authorisations run
   * one at a time (SQLite has one writer anyway).
   */
  lockSale(
    orgId: string,
    saleId: string,
    terminalId?: string,
  ): Promise<{ storeId: string; body: string } | null>;
  /** Bodies of the org's stored return events that name the sale's id (see `returnsOfSale` for which count). */
  returnBodies(orgId: string, saleId: string): Promise<string[]>;
  authorisation(authorisationId: string): Promise<AuthorisationRecord | null>;
  authorisationsOfSale(orgId: string, saleId: string): Promise<AuthorisationRecord[]>;
  /** Inserts a new authorisation; an id already stored fails on the key (never overwrites). */
  insertAuthorisation(record: AuthorisationRecord): Promise<void>;
  /** Stores a new status and version of a stored authorisation. */
  updateAuthorisation(record: AuthorisationRecord): Promise<void>;
  /** The next number of the server-wide feed counter, in commit order. */
  nextVersion(): Promise<number>;
  insertFeedItem(row: {
    orgId: string;
    storeId: string | null;
    item: FeedItem;
    createdAt: string;
  }): Promise<void>;
}

/**
 * Records a whole terminal configuration for the org (`storeId` null) or one store as a new feed item. A document
 * equal to the scope's current one adds nothing and answers with the current item, so a retried PUT is harmless. A
 * document (or a withdrawal) that would leave an active employee with a role their store's tills do not know is
 * refused (409 `roles_in_use`). With an `actor`, the change is audited.
 */
export async function putConfig(
  tx: FeedTx,
  orgId: string,
  storeId: string | null,
  config: TerminalConfig | null,
  now: string,
  actor?: AuditActor,
): Promise<ConfigFeedItem> {
  // First, as employee writes do: no employee is given a role while it is being taken away.
  await tx.lockOrg(orgId);
  if (storeId !== null && !(await tx.storeExists(orgId, storeId))) throw storeNotFound(storeId);
  // Stored whole, HQ's own settings included, at the lowest version that says all of it; tills are served what they
  // read of it (`servedToTills`), so tills that know only version 1 read it (feed-versions.ts).
  const document = config === null ? null : configDocumentToStore(config);
  const latest = await tx.latestConfig(orgId, storeId);
  if (latest && canonicalJson(latest.config) === canonicalJson(document)) return latest;
  await refuseStrandedRoles(tx, orgId, await tx.roleHolders(orgId), { storeId, config });
  const item = canonical<ConfigFeedItem>({
    kind: 'config',
    version: await tx.nextVersion(),
    storeId,
    config: document,
  });
  await tx.insertFeedItem({ orgId, storeId, item, createdAt: now });
  if (actor) {
    await tx.writeAudit(orgId, now, {
      actor,
      action: 'config.put',
      target: storeId === null ? 'org' : `store:${storeId}`,
      detail: { scope: storeId === null ? 'org' : 'store', storeId, version: item.version, config: document },
    });
  }
  return item;
}

/**
 * Issues a return authorisation, in the caller's transaction: the original sale must be stored for the org, the
 * store must be the org's, every line must be a line of the sale, and for every line
 * `returned + reserved + asked ≤ sold`, where `returned` counts the stored returns and `reserved` the other
 * authorisations still holding quantity (active, unexpired, not yet used by a stored return). Idempotent by id: the
 * same request answers with the authorisation as it now stands; another request under the same id is a conflict.
 */
export async function authoriseReturn(
  tx: FeedTx,
  orgId: string,
  request: CreateReturnAuthorisationRequest,
  now: string,
  actor?: AuditActor,
): Promise<ReturnAuthorisationFeedItem> {
  // The lock comes first: a concurrent request about the same sale waits here and then sees what this one wrote.
  const sale = await tx.lockSale(orgId, request.originalSaleId, request.originalTerminalId);
  const digest = requestDigest(request);
  const existing = await tx.authorisation(request.authorisationId);
  if (existing) {
    if (existing.orgId === orgId && existing.requestDigest === digest) return toFeedItem(existing);
    throw authorisationIdReused(request.authorisationId);
  }
  if (!(await tx.storeExists(orgId, request.storeId))) throw storeNotFound(request.storeId);
  if (!sale) {
    throw new ApiError(
      404,
      'unknown_sale',
      `sale ${request.originalSaleId} has not reached the server; its store's terminal must sync first`,
      true,
      { originalSaleId: request.originalSaleId },
    );
  }
  const returnBodies = await tx.returnBodies(orgId, request.originalSaleId);
  const quantities = lineQuantities(sale.body, returnBodies);
  const returns = returnsOfSale(sale.body, returnBodies);
  const reserved = await reservedByLine(tx, orgId, request.originalSaleId, returns, now);

  const unknown = request.lines.filter((line) => !quantities.get(line.lineId)?.sold).map((l) => l.lineId);
  if (unknown.length > 0) {
    throw new ApiError(422, 'unknown_line', `the sale has no line ${unknown.join(', ')}`, false, {
      lineIds: unknown,
    });
  }
  const over = request.lines
    .map((line) => {
      const { sold, returned } = quantities.get(line.lineId)!;
      const held = reserved.get(line.lineId) ?? 0;
      return {
        lineId: line.lineId,
        sold,
        returned,
        reserved: held,
        asked: line.quantity,
        available: Math.max(0, sold - returned - held),
      };
    })
    .filter((line) => line.returned + line.reserved + line.asked > line.sold);
  if (over.length > 0) {
    throw new ApiError(
      409,
      'over_return',
      `more than is left to return: ${over.map((l) => `line ${l.lineId} asks ${l.asked}, ${l.available} left`).join('; ')}`,
      false,
      { lines: over },
    );
  }

  const record: AuthorisationRecord = {
    orgId,
    requestDigest: digest,
    version: await tx.nextVersion(),
    authorisation: {
      authorisationId: request.authorisationId,
      originalSaleId: request.originalSaleId,
      originalStoreId: sale.storeId,
      storeId: request.storeId,
      lines: request.lines,
      issuedAt: now,
      expiresAt: new Date(Date.parse(now) + request.validForMinutes * 60_000).toISOString(),
      status: 'active',
    },
  };
  const item = toFeedItem(record);
  await tx.insertAuthorisation(record);
  await tx.insertFeedItem({ orgId, storeId: request.storeId, item, createdAt: now });
  if (actor) {
    const { authorisationId, issuedAt: _issued, status: _status, ...detail } = record.authorisation;
    await tx.writeAudit(orgId, now, {
      actor,
      action: 'return-authorisation.create',
      target: authorisationId,
      detail: { ...detail, version: record.version },
    });
  }
  return item;
}

/**
 * Cancels an authorisation of the org, releasing what it reserved, as a new feed item so the return store's
 * terminals learn of it. Cancelling a cancelled authorisation answers with it as it stands and adds nothing.
 */
export async function cancelAuthorisation(
  tx: FeedTx,
  orgId: string,
  authorisationId: string,
  now: string,
  actor?: AuditActor,
): Promise<ReturnAuthorisationFeedItem> {
  const found = await tx.authorisation(authorisationId);
  if (!found || found.orgId !== orgId) {
    throw new ApiError(404, 'not_found', `no return authorisation ${authorisationId} in this org`, false);
  }
  // Queue behind other writes about the same sale (the order every feed write takes: sale, then counter), then
  // read the authorisation again as it stands after them.
  await tx.lockSale(orgId, found.authorisation.originalSaleId);
  const current = (await tx.authorisation(authorisationId)) ?? found;
  if (current.authorisation.status === 'cancelled') return toFeedItem(current);
  const record: AuthorisationRecord = {
    ...current,
    version: await tx.nextVersion(),
    authorisation: { ...current.authorisation, status: 'cancelled' },
  };
  const item = toFeedItem(record);
  await tx.updateAuthorisation(record);
  await tx.insertFeedItem({ orgId, storeId: record.authorisation.storeId, item, createdAt: now });
  if (actor) {
    await tx.writeAudit(orgId, now, {
      actor,
      action: 'return-authorisation.cancel',
      target: authorisationId,
      detail: { originalSaleId: record.authorisation.originalSaleId, version: record.version },
    });
  }
  return item;
}

/** Quantity per line still held by the sale's authorisations: active, unexpired and not used by a stored return. */
async function reservedByLine(
  tx: FeedTx,
  orgId: string,
  saleId: string,
  returns: readonly { payload: ReturnPayloadV1 }[],
  now: string,
): Promise<Map<string, number>> {
  const used = new Set<string>();
  for (const { payload } of returns) {
    const id = consumedAuthorisationId(payload);
    if (id !== null) used.add(id);
  }
  const at = Date.parse(now);
  const reserved = new Map<string, number>();
  for (const { authorisation } of await tx.authorisationsOfSale(orgId, saleId)) {
    if (authorisation.status !== 'active' || Date.parse(authorisation.expiresAt) <= at) continue;
    if (used.has(authorisation.authorisationId)) continue;
    for (const line of authorisation.lines) {
      reserved.set(line.lineId, (reserved.get(line.lineId) ?? 0) + line.quantity);
    }
  }
  return reserved;
}

/** An item as the feed gives it back: keys in canonical order, so a repeat answers byte for byte the same. */
export function toFeedItem(record: AuthorisationRecord): ReturnAuthorisationFeedItem {
  return canonical({
    kind: 'return-authorisation',
    version: record.version,
    authorisation: record.authorisation,
  });
}

function canonical<T>(value: T): T {
  return JSON.parse(canonicalJson(value)) as T;
}

/**
 * A feed item as tills are served it: a configuration document as `configDocumentToServe` says it, without what only
 * HQ reads (the over/short alert), so a till from before version 4 does not skip it. The stored item keeps it: HQ's
 * over/short check reads the stored document (`configInForce`).
 */
export function servedToTills(item: FeedItem): FeedItem {
  if (item.kind !== 'config' || item.config === null) return item;
  const read = readTerminalConfig(item.config);
  if (!read.ok) return item;
  return canonical<ConfigFeedItem>({ ...item, config: configDocumentToServe(read.config) });
}

/** One page of feed rows fetched with LIMIT limit + 1: the extra row only says whether there is more. */
export function toFeedPage(found: { body: string }[], head: number, limit: number): FeedPage {
  const items = found.slice(0, limit).map((row) => servedToTills(JSON.parse(row.body) as FeedItem));
  const hasMore = found.length > limit;
  // A full page stops at its last item; otherwise the cursor moves to the head, past other stores' items too.
  return { items, nextAfter: hasMore ? items.at(-1)!.version : head, hasMore, head };
}

/** The request as parsed (defaults filled in), canonical and hashed: what "the same request" means. */
function requestDigest(request: CreateReturnAuthorisationRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

const authorisationIdReused = (authorisationId: string) =>
  new ApiError(
    409,
    'idempotency_conflict',
    `return authorisation ${authorisationId} was already issued for another request; use a new id`,
    false,
    { authorisationId },
  );
