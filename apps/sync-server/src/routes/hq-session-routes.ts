import {
  API_PREFIX,
  HqPasswordChangeRequest,
  HqPasswordResetRequest,
  HqSessionRequest,
} from '@tillwright/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorOf, newSecret, requireStaff, sha256Hex } from '../auth/auth.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { ApiError, unauthorized } from '../errors.js';
import type { StaffAudit, StaffSession } from '../store/store.js';
import type { RouteContext } from './context.js';
import { parseOrRefuse } from './validate.js';

const SESSION_HOURS = 12;
/** A real scrypt hash of a random password nobody knows, checked when the user name is unknown. */
const UNKNOWN_USER_HASH = await hashPassword(newSecret());
const StaffPath = z.strictObject({ staffId: z.string().min(1).max(64) });

/**
 * HQ sign-in and what ends sessions: sign-out, a password change (own), an admin's password reset and session
 * revocation. A password change or reset ends every session of that user, and their open streams with them.
 */
export function hqSessionRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, now, stream, limits } = context;
  const signedIn = async (request: Parameters<typeof requireStaff>[1], role: 'viewer' | 'admin') => {
    const principal = await requireStaff(store, request, role, now());
    limits.hq.take(principal.staffId, now().getTime());
    return principal;
  };

  /**
   * A new session for the user, answered the same way wherever one is opened; only while the password is still the
   * one just checked, so a password changed meanwhile leaves nothing open.
   */
  const openSession = async (
    account: { staffId: string; orgId: string; role: StaffSession['role'] },
    passwordHash: string,
  ) => {
    const token = newSecret();
    const expiresAt = new Date(now().getTime() + SESSION_HOURS * 3600_000).toISOString();
    if (!(await store.createSession(sha256Hex(token), account.staffId, expiresAt, passwordHash)))
      throw unauthorized('the password changed while signing in; sign in again');
    return { token, role: account.role, orgId: account.orgId, expiresAt };
  };

  /** The audit row of a change to an HQ user: who changed whom (never the password). */
  const staffAudit = (
    principal: StaffSession,
    action: string,
    account: { staffId: string; username: string },
  ): StaffAudit => ({
    orgId: principal.orgId,
    at: now().toISOString(),
    action: {
      actor: actorOf(principal),
      action,
      target: account.staffId,
      detail: { username: account.username },
    },
  });

  app.post(`${API_PREFIX}/hq/sessions`, async (request) => {
    const body = parseOrRefuse(HqSessionRequest, request.body, 'sign-in');
    const attempt = limits.signIn.admit(request.ip, body.username, now().getTime());
    const account = await store.staffByUsername(body.username);
    // An unknown name costs the same scrypt as a known one, so timing does not tell which names exist.
    const valid = await limits.passwordChecks
      .run(() => verifyPassword(body.password, account?.passwordHash ?? UNKNOWN_USER_HASH))
      .catch((error: unknown) => {
        attempt.notChecked();
        throw error;
      });
    if (!account || !valid) throw unauthorized('unknown user name or wrong password');
    attempt.succeeded();
    return openSession(account, account.passwordHash);
  });

  app.delete(`${API_PREFIX}/hq/sessions/current`, async (request) => {
    const principal = await signedIn(request, 'viewer');
    await store.deleteSession(principal.sessionId);
    stream.closeSession(principal.sessionId);
    return { signedOut: true };
  });

  app.post(`${API_PREFIX}/hq/password`, async (request) => {
    const principal = await signedIn(request, 'viewer');
    const body = parseOrRefuse(HqPasswordChangeRequest, request.body, 'password change');
    const account = await store.staffById(principal.orgId, principal.staffId);
    if (!account) throw unauthorized('this HQ user no longer exists');
    // A stolen session must not be enough to take the account: the current password is asked, and guessing it is
    // limited like a sign-in.
    const attempt = limits.signIn.admit(request.ip, account.username, now().getTime());
    const valid = await limits.passwordChecks.run(() =>
      verifyPassword(body.currentPassword, account.passwordHash),
    );
    if (!valid)
      throw new ApiError(403, 'wrong_password', 'the current password is wrong; nothing was changed', false);
    attempt.succeeded();
    const passwordHash = await limits.passwordChecks.run(() => hashPassword(body.newPassword));
    await store.setPassword(
      account.staffId,
      passwordHash,
      staffAudit(principal, 'staff.password-change', account),
    );
    stream.closeStaff(account.staffId);
    // Every session ended, this one too; the user who changed it stays signed in with a fresh one.
    return { passwordChanged: true, session: await openSession(account, passwordHash) };
  });

  app.put(`${API_PREFIX}/hq/staff/:staffId/password`, async (request) => {
    const principal = await signedIn(request, 'admin');
    const { staffId } = parseOrRefuse(StaffPath, request.params, 'path');
    const body = parseOrRefuse(HqPasswordResetRequest, request.body, 'password reset');
    // One's own password is changed with the current one (POST /v1/hq/password): a stolen admin session must not be
    // enough to take the admin's account.
    if (staffId === principal.staffId) {
      throw new ApiError(
        403,
        'use_password_change',
        'change your own password with your current one (POST /v1/hq/password)',
        false,
      );
    }
    const account = await store.staffById(principal.orgId, staffId);
    if (!account) throw new ApiError(404, 'not_found', `no HQ user ${staffId} in this org`, false);
    const passwordHash = await limits.passwordChecks.run(() => hashPassword(body.newPassword));
    await store.setPassword(
      account.staffId,
      passwordHash,
      staffAudit(principal, 'staff.password-reset', account),
    );
    stream.closeStaff(account.staffId);
    return { passwordReset: staffId, sessionsEnded: true };
  });

  app.delete(`${API_PREFIX}/hq/staff/:staffId/sessions`, async (request) => {
    const { staffId } = parseOrRefuse(StaffPath, request.params, 'path');
    const caller = await signedIn(request, 'viewer');
    // Anyone may end their own sessions (a lost laptop); only an admin may end someone else's.
    if (caller.staffId !== staffId && caller.role !== 'admin')
      throw new ApiError(403, 'forbidden', 'this needs an HQ admin', false);
    const account = await store.staffById(caller.orgId, staffId);
    if (!account) throw new ApiError(404, 'not_found', `no HQ user ${staffId} in this org`, false);
    const ended = await store.deleteSessionsOfStaff(
      account.staffId,
      staffAudit(caller, 'staff.sessions-end', account),
    );
    stream.closeStaff(account.staffId);
    return { sessionsEnded: ended };
  });
}
