import type { Kysely } from 'kysely';
import { type AuditAction, writeAudit } from './audit.js';
import { usernameTaken } from './conflicts.js';
import type { Dialect } from './dialect.js';
import { toStaffAccount, toStaffCredentials, toStaffSession } from './rows.js';
import type { Database } from './schema.js';
import type { NewStaff, StaffAccount, StaffSession } from './types.js';

/** An HQ user change and who made it: audited in the change's transaction, in the user's org. */
export interface StaffAudit {
  orgId: string;
  at: string;
  action: AuditAction;
}

/** HQ users and their sessions, on either dialect. Each function is one statement or one transaction. */
export function staffQueries(db: Kysely<Database>, dialect: Dialect) {
  /** No stored text holds a NUL on PostgreSQL (it refuses one), so a key with one is simply unknown there. */
  const unstorable = (...keys: string[]) =>
    dialect === 'postgres' && keys.some((key) => key.includes('\u0000'));
  return {
    async createStaff(input: NewStaff): Promise<void> {
      const written = await db
        .insertInto('staff')
        .values({
          staff_id: input.staffId,
          org_id: input.orgId,
          username: input.username,
          password_hash: input.passwordHash,
          role: input.role,
        })
        .onConflict((oc) =>
          oc
            .column('username')
            .doUpdateSet((eb) => ({
              password_hash: eb.ref('excluded.password_hash'),
              role: eb.ref('excluded.role'),
            }))
            .where('staff.org_id', '=', (eb) => eb.ref('excluded.org_id')),
        )
        .returning('staff_id')
        .executeTakeFirst();
      if (!written) throw usernameTaken(input.username);
    },

    async staffByUsername(username: string) {
      if (unstorable(username)) return null;
      const row = await db
        .selectFrom('staff')
        .select(['staff_id', 'org_id', 'role', 'password_hash'])
        .where('username', '=', username)
        .executeTakeFirst();
      return row ? toStaffCredentials(row) : null;
    },

    async staffById(orgId: string, staffId: string): Promise<StaffAccount | null> {
      if (unstorable(orgId, staffId)) return null;
      const row = await db
        .selectFrom('staff')
        .select(['staff_id', 'org_id', 'role', 'username', 'password_hash'])
        .where('org_id', '=', orgId)
        .where('staff_id', '=', staffId)
        .executeTakeFirst();
      return row ? toStaffAccount(row) : null;
    },

    /** Opens a session only while the user's password is still `passwordHash`, when given. */
    async createSession(tokenHash: string, staffId: string, expiresAt: string, passwordHash?: string) {
      const inserted = await db
        .insertInto('staff_sessions')
        .columns(['token_hash', 'staff_id', 'expires_at'])
        .expression((eb) =>
          eb
            .selectFrom('staff')
            .select((s) => [s.val(tokenHash).as('token_hash'), 'staff_id', s.val(expiresAt).as('expires_at')])
            .where('staff_id', '=', staffId)
            .$if(passwordHash !== undefined, (q) => q.where('password_hash', '=', passwordHash!)),
        )
        .returning('token_hash')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async sessionByTokenHash(tokenHash: string, now: string): Promise<StaffSession | null> {
      const row = await db
        .selectFrom('staff_sessions as x')
        .innerJoin('staff as s', 's.staff_id', 'x.staff_id')
        .select(['s.staff_id', 's.org_id', 's.role', 's.username', 'x.token_hash', 'x.expires_at'])
        .where('x.token_hash', '=', tokenHash)
        .where('x.expires_at', '>', now)
        .executeTakeFirst();
      return row ? toStaffSession(row) : null;
    },

    async deleteSession(tokenHash: string): Promise<boolean> {
      const deleted = await db
        .deleteFrom('staff_sessions')
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return deleted.numDeletedRows === 1n;
    },

    async deleteSessionsOfStaff(staffId: string, audit?: StaffAudit): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const deleted = await trx
          .deleteFrom('staff_sessions')
          .where('staff_id', '=', staffId)
          .executeTakeFirst();
        const ended = Number(deleted.numDeletedRows);
        if (audit) {
          await writeAudit(trx, audit.orgId, audit.at, {
            ...audit.action,
            detail: { ...audit.action.detail, sessionsEnded: ended },
          });
        }
        return ended;
      });
    },

    /** The new hash and the end of every session of the user, in one transaction (with its audit row, if any). */
    async setPassword(staffId: string, passwordHash: string, audit?: StaffAudit): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('staff')
          .set({ password_hash: passwordHash })
          .where('staff_id', '=', staffId)
          .execute();
        await trx.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
        if (audit) await writeAudit(trx, audit.orgId, audit.at, audit.action);
      });
    },
  };
}
