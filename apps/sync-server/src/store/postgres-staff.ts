import type { Pool } from 'pg';
import { usernameTaken } from './conflicts.js';
import { inTransaction, query, rows } from './postgres-query.js';
import {
  type StaffAccountRow,
  type StaffCredentialsRow,
  type StaffSessionRow,
  toStaffAccount,
  toStaffCredentials,
  toStaffSession,
} from './rows.js';
import type { NewStaff, StaffAccount, StaffSession } from './store.js';

/** HQ users and their sessions on PostgreSQL. Each function is one statement or one transaction. */
export const postgresStaff = {
  async createStaff(pool: Pool, input: NewStaff): Promise<void> {
    const written = await rows(
      pool,
      `INSERT INTO staff (staff_id, org_id, username, password_hash, role) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role
       WHERE staff.org_id = EXCLUDED.org_id
       RETURNING 1`,
      [input.staffId, input.orgId, input.username, input.passwordHash, input.role],
    );
    if (written.length === 0) throw usernameTaken(input.username);
  },

  async staffByUsername(pool: Pool, username: string) {
    // No stored name holds a NUL (PostgreSQL refuses it), so such a name is simply unknown.
    if (username.includes('\u0000')) return null;
    const [row] = await rows<StaffCredentialsRow>(
      pool,
      'SELECT staff_id, org_id, role, password_hash FROM staff WHERE username = $1',
      [username],
    );
    return row ? toStaffCredentials(row) : null;
  },

  async staffById(pool: Pool, orgId: string, staffId: string): Promise<StaffAccount | null> {
    if (`${orgId}${staffId}`.includes('\u0000')) return null;
    const [row] = await rows<StaffAccountRow>(
      pool,
      'SELECT staff_id, org_id, role, username, password_hash FROM staff WHERE org_id = $1 AND staff_id = $2',
      [orgId, staffId],
    );
    return row ? toStaffAccount(row) : null;
  },

  async createSession(
    pool: Pool,
    tokenHash: string,
    staffId: string,
    expiresAt: string,
    passwordHash?: string,
  ): Promise<boolean> {
    const inserted = await rows(
      pool,
      `INSERT INTO staff_sessions (token_hash, staff_id, expires_at)
       SELECT $1, staff_id, $2 FROM staff WHERE staff_id = $3 AND ($4::text IS NULL OR password_hash = $4)
       RETURNING 1`,
      [tokenHash, expiresAt, staffId, passwordHash ?? null],
    );
    return inserted.length === 1;
  },

  async sessionByTokenHash(pool: Pool, tokenHash: string, now: string): Promise<StaffSession | null> {
    const [row] = await rows<StaffSessionRow>(
      pool,
      `SELECT s.staff_id, s.org_id, s.role, x.token_hash, x.expires_at
         FROM staff_sessions x JOIN staff s ON s.staff_id = x.staff_id
        WHERE x.token_hash = $1 AND x.expires_at > $2`,
      [tokenHash, now],
    );
    return row ? toStaffSession(row) : null;
  },

  async deleteSession(pool: Pool, tokenHash: string): Promise<boolean> {
    return (
      (await rows(pool, 'DELETE FROM staff_sessions WHERE token_hash = $1 RETURNING 1', [tokenHash]))
        .length === 1
    );
  },

  async deleteSessionsOfStaff(pool: Pool, staffId: string): Promise<number> {
    return (await rows(pool, 'DELETE FROM staff_sessions WHERE staff_id = $1 RETURNING 1', [staffId])).length;
  },

  /** The new hash and the end of every session of the user, in one transaction. */
  async setPassword(pool: Pool, staffId: string, passwordHash: string): Promise<void> {
    await inTransaction(pool, async (client) => {
      await query(client, 'UPDATE staff SET password_hash = $1 WHERE staff_id = $2', [passwordHash, staffId]);
      await query(client, 'DELETE FROM staff_sessions WHERE staff_id = $1', [staffId]);
    });
  },
};
