import { ErrorEnvelope } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BuiltApp, buildApp } from '../app.js';
import { hashPassword } from '../auth/passwords.js';
import { PasswordChecks } from '../auth/sign-in-guard.js';
import { ADMIN_PASSWORD, FIXED_NOW, startTestServer, type TestServer } from '../test-support.js';

type Response = Awaited<ReturnType<TestServer['app']['inject']>>;

const VIEWER_PASSWORD = 'viewer-password-for-tests';
let server: TestServer;
let clock: Date;

beforeEach(async () => {
  clock = FIXED_NOW;
  server = await startTestServer({ now: () => clock });
  await server.store.createStaff({
    staffId: 'viewer-1',
    orgId: server.orgId,
    username: 'viewer',
    passwordHash: await hashPassword(VIEWER_PASSWORD),
    role: 'viewer',
  });
});
afterEach(() => server.close());

function expectRefusal(response: Response, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(ErrorEnvelope.safeParse(response.json()).success).toBe(true);
  expect(response.json().error.code).toBe(code);
}

function signIn(username: string, password: string, remoteAddress = '127.0.0.1', app = server.app) {
  return app.inject({
    method: 'POST',
    url: '/v1/hq/sessions',
    payload: { username, password },
    remoteAddress,
  });
}

async function tokenOf(username: string, password: string): Promise<string> {
  const response = await signIn(username, password);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().token;
}

function hq(token: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) {
  return server.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

const works = async (token: string) => (await hq(token, 'GET', '/v1/hq/terminals')).statusCode === 200;

describe('sign-in under attack', () => {
  it('limits failed sign-ins per address, whatever names they try, so one address cannot keep the hash busy', async () => {
    const checks: number[] = [];
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signIn(`name-${i}`, 'guess', '203.0.113.7')),
    );
    for (const answer of answers) checks.push(answer.statusCode);
    // Ten are checked (and refused as wrong); the rest are refused before any hashing.
    expect(checks.filter((status) => status === 401)).toHaveLength(10);
    expect(checks.filter((status) => status === 429)).toHaveLength(20);
    // Even the right password is not tried from that address for now...
    expectRefusal(await signIn('admin', ADMIN_PASSWORD, '203.0.113.7'), 429, 'rate_limited');
    // ...while the real admin elsewhere signs in.
    expect((await signIn('admin', ADMIN_PASSWORD, '192.0.2.20')).statusCode).toBe(200);
  });

  it('a right password gives its attempt back: signing in often is never limited', async () => {
    for (let i = 0; i < 15; i++) expect((await signIn('admin', ADMIN_PASSWORD)).statusCode).toBe(200);
  });

  it('queues at most a bounded number of password checks and refuses the next with 429 busy', async () => {
    const checks = new PasswordChecks(1, 1);
    let release = () => {};
    const first = checks.run(() => new Promise<void>((resolve) => (release = resolve)));
    const second = checks.run(async () => 'second');
    expect(checks.queued).toBe(1);
    await expect(checks.run(async () => 'third')).rejects.toMatchObject({ status: 429, code: 'busy' });
    release();
    await first;
    expect(await second).toBe('second');
    expect(await checks.run(async () => 'later')).toBe('later');
  });

  it('counts behind a trusted proxy on the forwarded client address, and ignores the header from anyone else', async () => {
    const behindProxy = buildApp({ store: server.store, now: () => clock, trustProxy: '127.0.0.1' });
    const direct = buildApp({ store: server.store, now: () => clock });
    try {
      let attempt = 0;
      // Each attempt names another user, so only the per-address budget is met.
      const from = (app: BuiltApp, forwarded: string) =>
        app.app.inject({
          method: 'POST',
          url: '/v1/hq/sessions',
          payload: { username: `nobody-${++attempt}`, password: 'guess' },
          remoteAddress: '127.0.0.1',
          headers: { 'x-forwarded-for': forwarded },
        });
      // Through the proxy, two clients have a budget each.
      for (let i = 0; i < 10; i++) expect((await from(behindProxy, '198.51.100.1')).statusCode).toBe(401);
      expect((await from(behindProxy, '198.51.100.1')).statusCode).toBe(429);
      expect((await from(behindProxy, '198.51.100.2')).statusCode).toBe(401);
      // Without a trusted proxy, a client cannot pick a fresh address with the header.
      for (let i = 0; i < 10; i++) expect((await from(direct, `198.51.100.${10 + i}`)).statusCode).toBe(401);
      expect((await from(direct, '198.51.100.99')).statusCode).toBe(429);
    } finally {
      await behindProxy.app.close();
      await direct.app.close();
    }
  });
});

describe('ending sessions', () => {
  it('refuses an admin resetting their own password without the current one: a stolen session cannot take the account', async () => {
    const admin = await tokenOf('admin', ADMIN_PASSWORD);
    const taken = await hq(admin, 'PUT', '/v1/hq/staff/demo-admin/password', {
      newPassword: 'stolen-session-pw1',
    });
    expectRefusal(taken, 403, 'use_password_change');
    expect(await works(admin)).toBe(true);
    expect((await signIn('admin', ADMIN_PASSWORD)).statusCode).toBe(200);
  });

  it('opens no session for a sign-in checked against a password changed while it was being checked', async () => {
    const viewer = await tokenOf('viewer', VIEWER_PASSWORD);
    // The sign-in's password check is held while the password changes underneath it.
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const createSession = server.store.createSession.bind(server.store);
    let waiting = 0;
    server.store.createSession = async (...args) => {
      waiting += 1;
      await gate;
      return createSession(...args);
    };
    const slow = signIn('viewer', VIEWER_PASSWORD, '192.0.2.30');
    while (waiting === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    server.store.createSession = createSession;
    expect(
      (
        await hq(viewer, 'POST', '/v1/hq/password', {
          currentPassword: VIEWER_PASSWORD,
          newPassword: 'changed-meanwhile-1',
        })
      ).statusCode,
    ).toBe(200);
    release();
    expectRefusal(await slow, 401, 'unauthorized');
  });

  it('signs out: the session stops working at once, other sessions of the user go on', async () => {
    const [one, two] = [await tokenOf('admin', ADMIN_PASSWORD), await tokenOf('admin', ADMIN_PASSWORD)];
    expect((await hq(one, 'DELETE', '/v1/hq/sessions/current')).json()).toEqual({ signedOut: true });
    expectRefusal(await hq(one, 'GET', '/v1/hq/terminals'), 401, 'unauthorized');
    expect(await works(two)).toBe(true);
  });

  it('changes the own password only with the current one, and ends every session of the user', async () => {
    const [one, two] = [await tokenOf('viewer', VIEWER_PASSWORD), await tokenOf('viewer', VIEWER_PASSWORD)];
    const admin = await tokenOf('admin', ADMIN_PASSWORD);
    const wrong = await hq(one, 'POST', '/v1/hq/password', {
      currentPassword: 'not-it',
      newPassword: 'a-brand-new-password',
    });
    expectRefusal(wrong, 403, 'wrong_password');
    expect(await works(one)).toBe(true);
    expectRefusal(
      await hq(one, 'POST', '/v1/hq/password', { currentPassword: VIEWER_PASSWORD, newPassword: 'short' }),
      400,
      'invalid_request',
    );

    const changed = await hq(one, 'POST', '/v1/hq/password', {
      currentPassword: VIEWER_PASSWORD,
      newPassword: 'a-brand-new-password',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await works(one)).toBe(false);
    expect(await works(two)).toBe(false);
    // The one who changed it carries on with the fresh session it got; other users are untouched.
    expect(await works(changed.json().session.token)).toBe(true);
    expect(await works(admin)).toBe(true);
    expectRefusal(await signIn('viewer', VIEWER_PASSWORD), 401, 'unauthorized');
    expect((await signIn('viewer', 'a-brand-new-password')).statusCode).toBe(200);
  });

  it('lets an admin reset a password and end the sessions of a user of the org, and nobody else', async () => {
    const viewer = await tokenOf('viewer', VIEWER_PASSWORD);
    const admin = await tokenOf('admin', ADMIN_PASSWORD);
    const reset = { newPassword: 'reset-by-the-admin-1' };
    expectRefusal(await hq(viewer, 'PUT', '/v1/hq/staff/demo-admin/password', reset), 403, 'forbidden');
    expectRefusal(await hq(viewer, 'DELETE', '/v1/hq/staff/demo-admin/sessions'), 403, 'forbidden');
    expect(await works(admin)).toBe(true);

    // Another org's admin cannot even see the user.
    await server.store.createOrg('org-b', 'Other');
    await server.store.createStaff({
      staffId: 'admin-b',
      orgId: 'org-b',
      username: 'admin-b',
      passwordHash: await hashPassword('admin-b-password-1'),
      role: 'admin',
    });
    const adminB = await tokenOf('admin-b', 'admin-b-password-1');
    expectRefusal(await hq(adminB, 'PUT', '/v1/hq/staff/viewer-1/password', reset), 404, 'not_found');
    expectRefusal(await hq(adminB, 'DELETE', '/v1/hq/staff/viewer-1/sessions'), 404, 'not_found');
    expect(await works(viewer)).toBe(true);

    expect((await hq(admin, 'PUT', '/v1/hq/staff/viewer-1/password', reset)).statusCode).toBe(200);
    expect(await works(viewer)).toBe(false);
    expect((await signIn('viewer', 'reset-by-the-admin-1')).statusCode).toBe(200);

    const again = await tokenOf('viewer', 'reset-by-the-admin-1');
    expect((await hq(admin, 'DELETE', '/v1/hq/staff/viewer-1/sessions')).json()).toEqual({
      sessionsEnded: 2,
    });
    expect(await works(again)).toBe(false);
    // Anyone may end their own sessions.
    const own = await tokenOf('viewer', 'reset-by-the-admin-1');
    expect((await hq(own, 'DELETE', '/v1/hq/staff/viewer-1/sessions')).statusCode).toBe(200);
    expect(await works(own)).toBe(false);
  });
});
