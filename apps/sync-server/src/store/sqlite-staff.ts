import type Database from 'better-sqlite3';
import { usernameTaken } from './conflicts.js';
import {
  type StaffAccountRow,
  type StaffCredentialsRow,
  type StaffSessionRow,
  toStaffAccount,
  toStaffCredentials,
  toStaffSession,
} from './rows.js';
import type { NewStaff, StaffAccount, StaffSession } from './store.js';

/** HQ users and their sessions in the embedded SQLite store. Each function is one statement or one transaction. */
export const sqliteStaff = {
  createStaff(db: Database.Database, input: NewStaff): void {
    const result = db
      .prepare(
        `INSERT INTO staff (staff_id, org_id, username, password_hash, role) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role
         WHERE staff.org_id = excluded.org_id`,
      )
      .run(input.staffId, input.orgId, input.username, input.passwordHash, input.role);
    if (result.changes === 0) throw usernameTaken(input.username);
  },

  staffByUsername(db: Database.Database, username: string) {
    const row = db
      .prepare('SELECT staff_id, org_id, role, password_hash FROM staff WHERE username = ?')
      .get(username) as StaffCredentialsRow | undefined;
    return row ? toStaffCredentials(row) : null;
  },

  staffById(db: Database.Database, orgId: string, staffId: string): StaffAccount | null {
    const row = db
      .prepare(
        'SELECT staff_id, org_id, role, username, password_hash FROM staff WHERE org_id = ? AND staff_id = ?',
      )
      .get(orgId, staffId) as StaffAccountRow | undefined;
    return row ? toStaffAccount(row) : null;
  },

  createSession(
    db: Database.Database,
    tokenHash: string,
    staffId: string,
    expiresAt: string,
    passwordHash?: string,
  ): boolean {
    const inserted = db
      .prepare(
        `INSERT INTO staff_sessions (token_hash, staff_id, expires_at)
         SELECT ?, staff_id, ? FROM staff WHERE staff_id = ? AND (? IS NULL OR password_hash = ?)`,
      )
      .run(tokenHash, expiresAt, staffId, passwordHash ?? null, passwordHash ?? null);
    return inserted.changes === 1;
  },

  sessionByTokenHash(db: Database.Database, tokenHash: string, now: string): StaffSession | null {
    const row = db
      .prepare(
        `SELECT s.staff_id, s.org_id, s.role, x.token_hash, x.expires_at
           FROM staff_sessions x JOIN staff s ON s.staff_id = x.staff_id
          WHERE x.token_hash = ? AND x.expires_at > ?`,
      )
      .get(tokenHash, now) as StaffSessionRow | undefined;
    return row ? toStaffSession(row) : null;
  },

  deleteSession(db: Database.Database, tokenHash: string): boolean {
    return db.prepare('DELETE FROM staff_sessions WHERE token_hash = ?').run(tokenHash).changes === 1;
  },

  deleteSessionsOfStaff(db: Database.Database, staffId: string): number {
    return db.prepare('DELETE FROM staff_sessions WHERE staff_id = ?').run(staffId).changes;
  },

  /** The new hash and the end of every session of the user, together. */
  setPassword(db: Database.Database, staffId: string, passwordHash: string): void {
    db.transaction(() => {
      db.prepare('UPDATE staff SET password_hash = ? WHERE staff_id = ?').run(passwordHash, staffId);
      db.prepare('DELETE FROM staff_sessions WHERE staff_id = ?').run(staffId);
    }).immediate();
  },
};
