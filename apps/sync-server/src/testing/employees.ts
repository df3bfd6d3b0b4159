import { ErrorEnvelope } from '@tillwright/protocol';
import { expect } from 'vitest';
import { newSecret, sha256Hex } from '../auth/auth.js';
import type { ServerStore, StaffRole } from '../store/store.js';
import type { TestServer } from '../test-support.js';
import { FIXED_NOW } from './event-chains.js';

/** What the employee tests share: sessions of other users and orgs, HQ requests, a valid employee. */

export const OTHER_STORE = 'store-002';
export const OTHER_ORG = 'org-b';
export const OTHER_ORG_STORE = 'b-store';

export type Response = Awaited<ReturnType<TestServer['app']['inject']>>;

/** A session token for a new HQ user of the org (password never checked: the sign-in route has its own tests). */
export async function sessionOf(
  store: ServerStore,
  user: { staffId: string; orgId: string; role: StaffRole },
): Promise<string> {
  await store.createStaff({ ...user, username: user.staffId, passwordHash: 'not-used' });
  const token = newSecret();
  await store.createSession(
    sha256Hex(token),
    user.staffId,
    new Date(FIXED_NOW.getTime() + 12 * 3600_000).toISOString(),
  );
  return token;
}

/** The demo org with a second store, a viewer, and another org with a store and an admin of its own. */
export async function employeeFixture(server: TestServer) {
  await server.store.createStore(server.orgId, OTHER_STORE, 'Demo Station Road');
  await server.store.createOrg(OTHER_ORG, 'Other Retail');
  await server.store.createStore(OTHER_ORG, OTHER_ORG_STORE, 'Other High Street');
  const admin = await server.hqToken();
  const viewer = await sessionOf(server.store, {
    staffId: 'demo-viewer',
    orgId: server.orgId,
    role: 'viewer',
  });
  const otherAdmin = await sessionOf(server.store, { staffId: 'b-admin', orgId: OTHER_ORG, role: 'admin' });
  /** An HQ request with a session (or none). */
  const hq = (
    token: string | null,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ) =>
    server.app.inject({
      method,
      url,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  return { admin, viewer, otherAdmin, hq };
}

/** A create request the demo org accepts; `changes` on top. */
export const newEmployee = (changes: Record<string, unknown> = {}) => ({
  number: '1042',
  displayName: 'Ada Lovelace',
  roleId: 'cashier',
  storeIds: ['store-001'],
  pin: '7314',
  ...changes,
});

/** Expects an error envelope with this status and code; returns the error. */
export function expectRefusal(response: Response, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json();
  expect(ErrorEnvelope.safeParse(body).success, response.body).toBe(true);
  expect(body.error.code, response.body).toBe(code);
  return body.error as { message: string; details?: Record<string, unknown> };
}
