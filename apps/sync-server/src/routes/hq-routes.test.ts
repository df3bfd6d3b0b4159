import { ErrorEnvelope, type HqStreamItem, SseParser } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../auth/auth.js';
import { hashPassword } from '../auth/passwords.js';
import {
  ADMIN_PASSWORD,
  FIXED_NOW,
  METRICS_HEADERS,
  saleChain,
  startTestServer,
  type TestTerminal,
} from '../test-support.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Response = Awaited<ReturnType<Server['app']['inject']>>;

let server: Server;
let clock: Date;

beforeEach(async () => {
  clock = FIXED_NOW;
  server = await startTestServer({ now: () => clock });
});
afterEach(() => server.close());

const VIEWER_PASSWORD = 'viewer-password-for-tests';

function expectRefusal(response: Response, status: number, code: string, retryable = false) {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json();
  expect(ErrorEnvelope.safeParse(body).success).toBe(true);
  expect(body.error).toMatchObject({ code, retryable });
}

function signIn(username: string, password: string, remoteAddress = '127.0.0.1') {
  return server.app.inject({
    method: 'POST',
    url: '/v1/hq/sessions',
    payload: { username, password },
    remoteAddress,
  });
}

async function tokenOf(username: string, password: string): Promise<string> {
  const response = await signIn(username, password);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().token as string;
}

function hq(token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  return server.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

async function addViewer(orgId: string, username: string) {
  await server.store.createStaff({
    staffId: `${username}-id`,
    orgId,
    username,
    passwordHash: await hashPassword(VIEWER_PASSWORD),
    role: 'viewer',
  });
}

const NEW_PRODUCT = {
  productId: 'stapler',
  sku: 'STP-01',
  name: 'Stapler',
  barcodes: ['8712345000066'],
  currency: 'EUR',
  price: 1099,
  taxCategory: 'standard',
  tags: ['stationery'],
  active: true,
};

describe('HQ roles', () => {
  it('lets a viewer read but not import a catalog, revoke a terminal or issue an enrolment code', async () => {
    await addViewer(server.orgId, 'viewer');
    const terminal = await server.enrol(server.codes[0]!);
    const viewer = await tokenOf('viewer', VIEWER_PASSWORD);
    const session = await signIn('viewer', VIEWER_PASSWORD);
    expect(session.json()).toMatchObject({ role: 'viewer', orgId: server.orgId });

    for (const url of ['/v1/hq/events', '/v1/hq/terminals', '/v1/hq/exceptions', '/v1/hq/quarantine']) {
      expect((await hq(viewer, 'GET', url)).statusCode, url).toBe(200);
    }
    const catalogBefore = await server.store.catalogAfter(server.orgId, 0, 1000);
    expectRefusal(await hq(viewer, 'PUT', '/v1/hq/catalog', { products: [NEW_PRODUCT] }), 403, 'forbidden');
    expectRefusal(
      await hq(viewer, 'POST', `/v1/hq/terminals/${terminal.terminalId}/revoke`),
      403,
      'forbidden',
    );
    expectRefusal(
      await hq(viewer, 'POST', '/v1/hq/enrolment-codes', { storeId: server.storeId }),
      403,
      'forbidden',
    );
    expect(await server.store.catalogAfter(server.orgId, 0, 1000)).toEqual(catalogBefore);
    expect((await server.store.terminal(terminal.terminalId))?.revokedAt).toBeNull();
    expect((await server.push(terminal, saleChain(terminal, 1))).statusCode).toBe(200);

    // The same three calls succeed for an admin.
    const admin = await server.hqToken();
    expect((await hq(admin, 'PUT', '/v1/hq/catalog', { products: [NEW_PRODUCT] })).statusCode).toBe(200);
    const code = await hq(admin, 'POST', '/v1/hq/enrolment-codes', { storeId: server.storeId });
    expect(code.statusCode).toBe(200);
    // Read aloud or typed on a till: groups of unambiguous capitals and digits, never a leading dash.
    expect(code.json()).toMatchObject({
      code: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/),
      expiresAt: expect.any(String),
    });
    expect((await hq(admin, 'POST', `/v1/hq/terminals/${terminal.terminalId}/revoke`)).statusCode).toBe(200);
  });

  it('gives an enrolment code issued by an admin to a terminal of that store, once', async () => {
    const admin = await server.hqToken();
    const issued = await hq(admin, 'POST', '/v1/hq/enrolment-codes', {
      storeId: server.storeId,
      validForMinutes: 5,
    });
    expect(issued.json().expiresAt).toBe(new Date(FIXED_NOW.getTime() + 5 * 60_000).toISOString());
    const terminal = await server.enrol(issued.json().code);
    expect(terminal).toMatchObject({ orgId: server.orgId, storeId: server.storeId });
    await expect(server.enrol(issued.json().code)).rejects.toThrow(/enrolment_code_invalid/);
  });

  it('refuses an unknown, malformed or expired session with 401', async () => {
    const admin = await server.hqToken();
    for (const authorization of [
      undefined,
      '',
      'Bearer',
      `Bearer ${'x'.repeat(43)}`,
      `bearer ${admin}`,
      `Bearer ${admin} `,
      `Bearer ${admin.slice(0, -1)}`,
      `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
    ]) {
      const response = await server.app.inject({
        method: 'GET',
        url: '/v1/hq/events',
        headers: authorization === undefined ? {} : { authorization },
      });
      expectRefusal(response, 401, 'unauthorized');
    }
    // Sessions last 12 hours.
    clock = new Date(FIXED_NOW.getTime() + 12 * 3600_000 - 1000);
    expect((await hq(admin, 'GET', '/v1/hq/events')).statusCode).toBe(200);
    clock = new Date(FIXED_NOW.getTime() + 12 * 3600_000);
    expectRefusal(await hq(admin, 'GET', '/v1/hq/events'), 401, 'unauthorized');
    expectRefusal(await hq(admin, 'PUT', '/v1/hq/catalog', { products: [NEW_PRODUCT] }), 401, 'unauthorized');
  });

  it('refuses a wrong password and an unknown user alike, and opens no session', async () => {
    const wrong = await signIn('admin', 'not-the-password');
    expectRefusal(wrong, 401, 'unauthorized');
    const unknown = await signIn('nobody', ADMIN_PASSWORD);
    expectRefusal(unknown, 401, 'unauthorized');
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    expect(wrong.body).not.toMatch(/token/);
  });

  it('slows down failed sign-ins for one user name across addresses it never signed in from, never at an address it did', async () => {
    // The admin signed in from the office before: that address stays familiar.
    expect((await signIn('admin', ADMIN_PASSWORD, '192.0.2.10')).statusCode).toBe(200);
    // Five guesses, each from another address, are each refused as wrong...
    for (let i = 1; i <= 5; i++)
      expectRefusal(await signIn('admin', `guess-${i}`, `198.51.100.${i}`), 401, 'unauthorized');
    // ...and the sixth new address must wait, even with the right password: it is not tried.
    const limited = await signIn('admin', ADMIN_PASSWORD, '198.51.100.6');
    expectRefusal(limited, 429, 'rate_limited', true);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited.json().error.details).toEqual({ retryAfter });
    // The real user at the familiar address is not locked out.
    expect((await signIn('admin', ADMIN_PASSWORD, '192.0.2.10')).statusCode).toBe(200);
    // After the wait, a new address may try again.
    clock = new Date(FIXED_NOW.getTime() + retryAfter * 1000);
    expect((await signIn('admin', ADMIN_PASSWORD, '198.51.100.6')).statusCode).toBe(200);
  });
});

describe('HQ stream requests', () => {
  it('answers HEAD on the stream at once instead of opening a stream that never answers', async () => {
    const baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const token = await server.hqToken();
    const response = await fetch(`${baseUrl}/v1/hq/stream`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(2000),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const metrics = await server.app.inject({ method: 'GET', url: '/metrics', headers: METRICS_HEADERS });
    expect(metrics.body).toMatch(/^tillwright_stream_clients 0$/m);
  });
});

describe('org isolation', () => {
  const ORG_B = 'org-b';
  const STORE_B = 'store-b1';
  let terminalA: TestTerminal;
  let terminalB: TestTerminal;
  let adminA: string;
  let adminB: string;

  beforeEach(async () => {
    const { store } = server;
    await store.createOrg(ORG_B, 'Other Retail');
    await store.createStore(ORG_B, STORE_B, 'Other High Street');
    await store.issueEnrolmentCode(
      ORG_B,
      STORE_B,
      sha256Hex('CODE-BBBB-0001'),
      new Date(FIXED_NOW.getTime() + 3600_000).toISOString(),
    );
    await store.createStaff({
      staffId: 'b-admin-id',
      orgId: ORG_B,
      username: 'b-admin',
      passwordHash: await hashPassword('b-admin-password'),
      role: 'admin',
    });
    terminalA = await server.enrol(server.codes[0]!);
    terminalB = await server.enrol('CODE-BBBB-0001');
    adminA = await server.hqToken();
    adminB = await tokenOf('b-admin', 'b-admin-password');
    const imported = await hq(adminB, 'PUT', '/v1/hq/catalog', {
      products: [{ ...NEW_PRODUCT, productId: 'b-only', name: 'Only in org B' }],
    });
    expect(imported.statusCode).toBe(200);
  });

  it('enrols the org B terminal into org B from its code', () => {
    expect(terminalB).toMatchObject({ orgId: ORG_B, storeId: STORE_B });
    expect(terminalA).toMatchObject({ orgId: server.orgId, storeId: server.storeId });
  });

  it('shows HQ staff only their own org events, exceptions, quarantine and terminals', async () => {
    // Org A: two sales, one of an unknown product (an exception).
    const salesA = saleChain(terminalA, 2, undefined, (payload) => ({
      ...payload,
      lines: payload.lines.map((line) => ({ ...line, productId: 'ghost' })),
    }));
    expect((await server.push(terminalA, salesA)).statusCode).toBe(200);
    const salesB = saleChain(terminalB, 1);
    expect((await server.push(terminalB, salesB)).statusCode).toBe(200);

    const events = (token: string) =>
      hq(token, 'GET', '/v1/hq/events?after=0').then((r) =>
        (r.json().items as HqStreamItem[]).map((item) => item.event.eventId),
      );
    expect(await events(adminB)).toEqual(salesB.map((e) => e.eventId));
    expect(await events(adminA)).toEqual(salesA.map((e) => e.eventId));

    const exceptionTerminals = async (token: string) =>
      ((await hq(token, 'GET', '/v1/hq/exceptions')).json().exceptions as { terminalId: string }[]).map(
        (e) => e.terminalId,
      );
    expect(new Set(await exceptionTerminals(adminA))).toEqual(new Set([terminalA.terminalId]));
    // Org B's sale of "pen" is unknown to org B's catalog: its own exception, never org A's.
    expect(new Set(await exceptionTerminals(adminB))).toEqual(new Set([terminalB.terminalId]));

    const terminals = async (token: string) =>
      ((await hq(token, 'GET', '/v1/hq/terminals')).json().terminals as { terminalId: string }[]).map(
        (t) => t.terminalId,
      );
    expect(await terminals(adminB)).toEqual([terminalB.terminalId]);
    expect(await terminals(adminA)).toEqual([terminalA.terminalId]);
    expect((await hq(adminB, 'GET', '/v1/hq/quarantine')).json().events).toEqual([]);
  });

  it('streams to org B only org B events', async () => {
    const baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
    // Org A's sales commit first: if they leaked, they would arrive before org B's.
    expect((await server.push(terminalA, saleChain(terminalA, 3))).statusCode).toBe(200);
    const salesB = saleChain(terminalB, 2);
    expect((await server.push(terminalB, salesB)).statusCode).toBe(200);

    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/v1/hq/stream`, {
      headers: { authorization: `Bearer ${adminB}` },
      signal: controller.signal,
    });
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const items: HqStreamItem[] = [];
    for await (const chunk of response.body!) {
      for (const frame of parser.push(decoder.decode(chunk, { stream: true }))) {
        items.push(JSON.parse(frame.data) as HqStreamItem);
      }
      if (items.length >= salesB.length) break;
    }
    controller.abort();
    expect(items.map((item) => item.event.eventId)).toEqual(salesB.map((e) => e.eventId));
    expect(new Set(items.map((item) => item.orgId))).toEqual(new Set([ORG_B]));
  });

  it('serves each terminal only its own org catalog', async () => {
    const pull = async (terminal: TestTerminal) =>
      (
        (await server.signed(terminal, 'GET', '/v1/catalog?after=0')).json().products as {
          productId: string;
        }[]
      ).map((p) => p.productId);
    expect(await pull(terminalB)).toEqual(['b-only']);
    const productsA = await pull(terminalA);
    expect(productsA).not.toContain('b-only');
    expect(productsA).toContain('pen');
  });

  it('refuses an org B terminal writing as org A', async () => {
    const before = await server.store.counts();
    // Org A's events, signed by org B's terminal: identity comes from the credential.
    const asA = await server.push(terminalB, saleChain(terminalA, 1), terminalB.epoch);
    expectRefusal(asA, 403, 'identity_mismatch');
    // Org A's terminal id in the header, org B's key.
    const forged = await server.push({ ...terminalA, keys: terminalB.keys }, saleChain(terminalA, 1));
    expectRefusal(forged, 401, 'unauthorized');
    expect(await server.store.counts()).toEqual(before);
  });

  it('lets an org B admin neither revoke an org A terminal nor issue a code for an org A store', async () => {
    expectRefusal(
      await hq(adminB, 'POST', `/v1/hq/terminals/${terminalA.terminalId}/revoke`),
      404,
      'not_found',
    );
    expect((await server.store.terminal(terminalA.terminalId))?.revokedAt).toBeNull();
    expect((await server.push(terminalA, saleChain(terminalA, 1))).statusCode).toBe(200);

    expectRefusal(
      await hq(adminB, 'POST', '/v1/hq/enrolment-codes', { storeId: server.storeId }),
      404,
      'not_found',
    );
    const own = await hq(adminB, 'POST', '/v1/hq/enrolment-codes', { storeId: STORE_B });
    expect(own.statusCode).toBe(200);
    expect(await server.enrol(own.json().code)).toMatchObject({ orgId: ORG_B, storeId: STORE_B });
    // And the other way round.
    expectRefusal(await hq(adminA, 'POST', '/v1/hq/enrolment-codes', { storeId: STORE_B }), 404, 'not_found');
  });
});
