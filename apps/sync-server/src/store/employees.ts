import {
  canonicalJson,
  type EmployeeFeedItem,
  type EmployeeView,
  type PinHash,
  type UpdateEmployeeRequest,
} from '@tillwright/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import { ApiError } from '../errors.js';
import { writeAudit } from './audit.js';
import { type Dialect, takeNumbers } from './dialect.js';
import { kyselyFeedTx } from './feed-tx.js';
import { missingRoles, rolesInForce } from './roles.js';
import type { Database } from './schema.js';
import type { AuditActor } from './types.js';

/**
 * Employees at HQ (issue #15), on either dialect. Every write is one transaction with its feed entries and its audit
 * row: one `employee` feed item per store concerned (the stores before and after the change), active only where the
 * employee is active and works, with the PIN's hash only there, each in place of the employee's earlier entry for
 * that store (deleted in the same transaction, so no older entry keeps a hash that no longer holds). Writes of one org are queued on the org's row
 * (PostgreSQL; SQLite has one writer), so the checks against roles and numbers hold until commit; the same lock comes
 * first in configuration writes (feed.ts), which is what keeps a role from being taken away under a new employee.
 */

/** A new employee as the route hands it over: the PIN already hashed, never in the clear. */
export interface NewEmployee {
  employeeId: string;
  number: string;
  displayName: string;
  roleId: string;
  /** Sorted, each once. */
  storeIds: string[];
  pin: PinHash;
  /** SHA-256 of the create request without its PIN: how a repeat of the request is recognised. */
  requestDigest: string;
}

/** An employee as stored: what HQ reads, and what only the server sees (the hash, the create request's digest). */
export interface EmployeeRecord {
  view: EmployeeView;
  pin: PinHash;
  requestDigest: string;
}

export type CreateOutcome =
  | { created: true; view: EmployeeView }
  | { created: false; existing: EmployeeRecord };

const COLUMNS = [
  'employee_id',
  'number',
  'display_name',
  'role_id',
  'store_ids',
  'active',
  'pin_hash',
  'pin_changed_at',
  'request_digest',
  'created_at',
  'updated_at',
  'version',
] as const;

type Row = Pick<Database['employees'], (typeof COLUMNS)[number]>;

function toRecord(row: Row): EmployeeRecord {
  return {
    view: {
      employeeId: row.employee_id,
      number: row.number,
      displayName: row.display_name,
      roleId: row.role_id,
      storeIds: JSON.parse(row.store_ids) as string[],
      active: row.active === 1,
      pinChangedAt: new Date(row.pin_changed_at).toISOString(),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
      version: row.version,
    },
    pin: JSON.parse(row.pin_hash) as PinHash,
    requestDigest: row.request_digest,
  };
}

const notFound = (employeeId: string) =>
  new ApiError(404, 'not_found', `no employee ${employeeId} in this org`, false);

export function employeeQueries(db: Kysely<Database>, dialect: Dialect) {
  const select = (trx: Kysely<Database>, orgId: string) =>
    trx.selectFrom('employees').select(COLUMNS).where('org_id', '=', orgId);

  async function find(trx: Kysely<Database>, orgId: string, employeeId: string) {
    const row = await select(trx, orgId).where('employee_id', '=', employeeId).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Writes of one org, one at a time until commit (PostgreSQL; SQLite has one writer): feed-tx.ts `lockOrg`. */
  const lockOrg = (trx: Transaction<Database>, orgId: string) => kyselyFeedTx(trx, dialect).lockOrg(orgId);

  /** Refuses stores that are not the org's, and a role not in force at each store of an active employee. */
  async function checkPlacement(
    trx: Transaction<Database>,
    orgId: string,
    employee: { roleId: string; storeIds: readonly string[]; active: boolean; number: string },
  ) {
    const known = new Set(
      (
        await trx
          .selectFrom('stores')
          .select('store_id')
          .where('org_id', '=', orgId)
          .where('store_id', 'in', employee.storeIds)
          .execute()
      ).map((row) => row.store_id),
    );
    const unknown = employee.storeIds.filter((storeId) => !known.has(storeId));
    if (unknown.length > 0) {
      throw new ApiError(400, 'unknown_store', `no store ${unknown.join(', ')} in this org`, false, {
        storeIds: unknown,
      });
    }
    if (!employee.active) return;
    const rolesAt = await rolesInForce(kyselyFeedTx(trx, dialect), orgId, employee.storeIds);
    const missing = missingRoles([employee], rolesAt);
    if (missing.length > 0) {
      const stores = missing.map((m) => m.storeId);
      throw new ApiError(
        400,
        'unknown_role',
        `no role ${employee.roleId} in the configuration of ${stores.join(', ')}; choose a role HQ configured there`,
        false,
        { roleId: employee.roleId, storeIds: stores },
      );
    }
  }

  /**
   * Deletes the employee's entries at these stores: the new ones supersede them. The feed holds one entry per store
   * and employee, its latest, so a till that pulls from 0 never gets a hash the employee no longer has there (an old
   * PIN, a store they left, a deactivation). A till whose cursor is past a deleted entry already applied it and gets
   * the new one next; a cursor before it skips it, as it skips other stores' items.
   */
  async function supersede(
    trx: Transaction<Database>,
    orgId: string,
    employeeId: string,
    stores: readonly string[],
  ) {
    const rows = await trx
      .selectFrom('feed_items')
      .select(['version', 'body'])
      .where('org_id', '=', orgId)
      .where('kind', '=', 'employee')
      .where('store_id', 'in', stores)
      .execute();
    const superseded = rows
      .filter((row) => (JSON.parse(row.body) as EmployeeFeedItem).employee.employeeId === employeeId)
      .map((row) => row.version);
    if (superseded.length === 0) return;
    await trx
      .deleteFrom('feed_items')
      .where('org_id', '=', orgId)
      .where('version', 'in', superseded)
      .execute();
  }

  /**
   * One feed item per store of `stores`, each as the employee now stands there, in place of the employee's earlier
   * entries there (`supersede`), and the audit row.
   */
  async function publish(
    trx: Transaction<Database>,
    orgId: string,
    record: EmployeeRecord,
    stores: readonly string[],
    now: string,
    audit: { actor: AuditActor; action: string; detail: Record<string, unknown> },
  ) {
    const { view, pin } = record;
    const last = await takeNumbers(trx, 'feed_version', stores.length);
    const rows = stores.map((storeId, index) => {
      const active = view.active && view.storeIds.includes(storeId);
      const item: EmployeeFeedItem = {
        kind: 'employee',
        version: last - stores.length + 1 + index,
        storeId,
        employee: {
          employeeId: view.employeeId,
          number: view.number,
          displayName: view.displayName,
          roleId: view.roleId,
          active,
          // A store where the employee cannot sign in has no use for the hash: it is not sent there.
          pin: active ? pin : null,
        },
      };
      return {
        version: item.version,
        org_id: orgId,
        store_id: storeId,
        kind: 'employee' as const,
        body: canonicalJson(item),
        created_at: now,
      };
    });
    await supersede(trx, orgId, view.employeeId, stores);
    await trx.insertInto('feed_items').values(rows).execute();
    await writeAudit(trx, orgId, now, { ...audit, target: view.employeeId });
  }

  async function store(trx: Transaction<Database>, orgId: string, record: EmployeeRecord) {
    const { view } = record;
    await trx
      .updateTable('employees')
      .set({
        display_name: view.displayName,
        role_id: view.roleId,
        store_ids: JSON.stringify(view.storeIds),
        active: view.active ? 1 : 0,
        pin_hash: canonicalJson(record.pin),
        pin_changed_at: view.pinChangedAt,
        updated_at: view.updatedAt,
        version: view.version,
      })
      .where('org_id', '=', orgId)
      .where('employee_id', '=', view.employeeId)
      .execute();
  }

  return {
    /** Creates an employee, or finds the one already under the id (the caller decides whether it is a repeat). */
    create(orgId: string, input: NewEmployee, now: string, actor: AuditActor): Promise<CreateOutcome> {
      return db.transaction().execute(async (trx) => {
        await lockOrg(trx, orgId);
        const existing = await find(trx, orgId, input.employeeId);
        if (existing) return { created: false, existing };
        const taken = await select(trx, orgId).where('number', '=', input.number).executeTakeFirst();
        if (taken) {
          throw new ApiError(
            409,
            'employee_number_taken',
            `employee number ${input.number} is already ${taken.display_name}'s; choose another`,
            false,
            { number: input.number, employeeId: taken.employee_id },
          );
        }
        await checkPlacement(trx, orgId, { ...input, active: true });
        const record: EmployeeRecord = {
          view: {
            employeeId: input.employeeId,
            number: input.number,
            displayName: input.displayName,
            roleId: input.roleId,
            storeIds: input.storeIds,
            active: true,
            pinChangedAt: now,
            createdAt: now,
            updatedAt: now,
            version: 1,
          },
          pin: input.pin,
          requestDigest: input.requestDigest,
        };
        await trx
          .insertInto('employees')
          .values({
            org_id: orgId,
            employee_id: input.employeeId,
            number: input.number,
            display_name: input.displayName,
            role_id: input.roleId,
            store_ids: JSON.stringify(input.storeIds),
            active: 1,
            pin_hash: canonicalJson(input.pin),
            pin_changed_at: now,
            request_digest: input.requestDigest,
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .execute();
        const { employeeId: _id, ...detail } = record.view;
        await publish(trx, orgId, record, input.storeIds, now, { actor, action: 'employee.create', detail });
        return { created: true, view: record.view };
      });
    },

    /** Changes what the request names; a request that changes nothing answers the employee as they are. */
    update(
      orgId: string,
      employeeId: string,
      changes: UpdateEmployeeRequest,
      now: string,
      actor: AuditActor,
    ): Promise<EmployeeView> {
      return db.transaction().execute(async (trx) => {
        await lockOrg(trx, orgId);
        const current = await find(trx, orgId, employeeId);
        if (!current) throw notFound(employeeId);
        const before = current.view;
        const next = {
          displayName: changes.displayName ?? before.displayName,
          roleId: changes.roleId ?? before.roleId,
          storeIds: changes.storeIds ? [...changes.storeIds].sort() : before.storeIds,
          active: changes.active ?? before.active,
        };
        const changed = Object.fromEntries(
          (Object.keys(next) as (keyof typeof next)[])
            .filter((key) => canonicalJson(next[key]) !== canonicalJson(before[key]))
            .map((key) => [key, { from: before[key], to: next[key] }]),
        );
        if (Object.keys(changed).length === 0) return before;
        await checkPlacement(trx, orgId, { ...next, number: before.number });
        const record: EmployeeRecord = {
          ...current,
          view: { ...before, ...next, updatedAt: now, version: before.version + 1 },
        };
        await store(trx, orgId, record);
        const stores = [...new Set([...before.storeIds, ...next.storeIds])].sort();
        await publish(trx, orgId, record, stores, now, {
          actor,
          action: 'employee.update',
          detail: { number: before.number, changes: changed, version: record.view.version },
        });
        return record.view;
      });
    },

    /** A new PIN hash; the audit row says a PIN was reset, never what to. */
    resetPin(orgId: string, employeeId: string, pin: PinHash, now: string, actor: AuditActor) {
      return db.transaction().execute(async (trx) => {
        await lockOrg(trx, orgId);
        const current = await find(trx, orgId, employeeId);
        if (!current) throw notFound(employeeId);
        const view = {
          ...current.view,
          pinChangedAt: now,
          updatedAt: now,
          version: current.view.version + 1,
        };
        const record: EmployeeRecord = { ...current, view, pin };
        await store(trx, orgId, record);
        await publish(trx, orgId, record, view.storeIds, now, {
          actor,
          action: 'employee.pin-reset',
          detail: { number: view.number, version: view.version },
        });
        return view;
      });
    },

    /** Every employee of the org, active or not, by number. */
    async list(orgId: string): Promise<EmployeeView[]> {
      const rows = await select(db, orgId).orderBy(sql`length(number)`).orderBy('number').execute();
      return rows.map((row) => toRecord(row).view);
    },

    /** An employee of the org, or null (another org's is never found). */
    async get(orgId: string, employeeId: string): Promise<EmployeeRecord | null> {
      return find(db, orgId, employeeId);
    },
  };
}
