import { type AuditEntry, canonicalJson } from '@tillwright/protocol';
import type { Kysely } from 'kysely';
import { takeNumbers } from './dialect.js';
import type { Database } from './schema.js';
import type { AuditActor } from './types.js';

/**
 * HQ's audit log (issue #15): one row for every admin action that changed something, written in the transaction of
 * the change, so a change is never without its row and a row never without its change. Ids come from the `audit_id`
 * counter, taken last in the transaction (after every other lock), so they are in commit order and paging by id
 * skips nothing. A detail never holds a secret: no PIN or its hash, no password, no enrolment code.
 */
export interface AuditAction {
  actor: AuditActor;
  /** `employee.create`, `config.put`, … (docs/protocol.md lists them). */
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

export async function writeAudit(
  db: Kysely<Database>,
  orgId: string,
  at: string,
  { actor, action, target, detail }: AuditAction,
): Promise<void> {
  const id = await takeNumbers(db, 'audit_id', 1);
  await db
    .insertInto('audit_log')
    .values({
      id,
      org_id: orgId,
      at,
      actor_staff_id: actor.staffId,
      actor_username: actor.username,
      action,
      target,
      detail: canonicalJson(detail),
    })
    .execute();
}

/** The org's audit entries after an id, in id order. */
export async function readAudit(
  db: Kysely<Database>,
  orgId: string,
  afterId: number,
  limit: number,
): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor_staff_id', 'actor_username', 'action', 'target', 'detail'])
    .where('org_id', '=', orgId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: { staffId: row.actor_staff_id, username: row.actor_username },
    action: row.action,
    target: row.target,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  }));
}
