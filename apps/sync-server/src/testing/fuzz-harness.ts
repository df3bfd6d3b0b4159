import { createHash } from 'node:crypto';
import { ErrorEnvelope } from '@tillwright/protocol';
import { generateTerminalKeyPair, signRequest } from '@tillwright/protocol/signing';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect } from 'vitest';
import { sha256Hex } from '../auth/auth.js';
import { hashPassword } from '../auth/passwords.js';
import { ADMIN_PASSWORD, FIXED_NOW, saleChain, startTestServer, type TestTerminal } from '../test-support.js';

/**
 * Bad input, generated: every route answers malformed, mistyped, oversized, truncated and random bodies, bad
 * signatures, replays and other terminals' credentials with a 4xx and the error envelope, and writes nothing.
 * Fixed seed and bounded runs, so a failure reproduces and the file stays quick.
 */
export const SEED = 20_261_125;
export const runs = (numRuns: number) => ({ seed: SEED, numRuns });

export type Server = Awaited<ReturnType<typeof startTestServer>>;
export type Response = Awaited<ReturnType<Server['app']['inject']>>;
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export let server: Server;
export let clock = FIXED_NOW;
/** Never pushed: any write for it would show. */
export let fresh: TestTerminal;
/** Has pushed a few events; the replay properties push more. */
export let veteran: TestTerminal;
export let veteranHead = { seq: 0, hash: '' };
export let revoked: TestTerminal;
export let admin: string;
export let viewer: string;
let addresses = 0;

export const FUZZ_CODE = 'FUZZ-CODE-0001';
export const FUZZ_KEY = generateTerminalKeyPair();
export const PRODUCT = {
  productId: 'fuzz-product',
  sku: 'FZ-1',
  name: 'Fuzz product',
  barcodes: ['8712345000097'],
  currency: 'EUR',
  price: 100,
  taxCategory: 'standard',
  tags: ['fuzz'],
  active: true,
};

/** The replay property pushes on from the veteran's head. */
export function setVeteranHead(next: { seq: number; hash: string }): void {
  veteranHead = next;
}

/** Each fuzz file calls this once: its own server, three terminals (one revoked), an admin and a viewer session. */
export function useFuzzServer(): void {
  beforeAll(async () => {
    server = await startTestServer({ now: () => clock });
    fresh = await server.enrol(server.codes[0]!);
    veteran = await server.enrol(server.codes[1]!);
    revoked = await server.enrol(server.codes[2]!);
    const history = saleChain(veteran, 3);
    expect((await server.push(veteran, history)).statusCode).toBe(200);
    veteranHead = { seq: 3, hash: history[2]!.hash };
    // A valid, unused enrolment code: a fuzzed enrolment that wrongly went through would use it.
    await server.store.issueEnrolmentCode(
      server.orgId,
      server.storeId,
      sha256Hex(FUZZ_CODE),
      new Date(FIXED_NOW.getTime() + 30 * 24 * 3600_000).toISOString(),
    );
    admin = await server.hqToken();
    const revoke = await server.app.inject({
      method: 'POST',
      url: `/v1/hq/terminals/${revoked.terminalId}/revoke`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(revoke.statusCode).toBe(200);
    await server.store.createStaff({
      staffId: 'fuzz-viewer',
      orgId: server.orgId,
      username: 'viewer',
      passwordHash: await hashPassword('viewer-password'),
      role: 'viewer',
    });
    viewer = (
      await server.app.inject({
        method: 'POST',
        url: '/v1/hq/sessions',
        payload: { username: 'viewer', password: 'viewer-password' },
      })
    ).json().token;
  }, 30_000);
  afterAll(() => server.close());
}

// ---------------------------------------------------------------------------------------------------------------
// Sending and checking

/** Each request moves the clock 100 ms, so rate limits refill as they would at a steady 10 requests a second. */
export function send(request: {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  remoteAddress?: string;
}): Promise<Response> {
  clock = new Date(clock.getTime() + 100);
  addresses += 1;
  return server.app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { payload: request.body }),
    // Anonymous routes are limited per client address; a new address each time keeps the fuzz past the limiter.
    remoteAddress:
      request.remoteAddress ?? `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`,
  });
}

export function sign(
  terminal: TestTerminal,
  method: string,
  url: string,
  body: string,
  options: { as?: string; ts?: number; nonce?: string } = {},
): string {
  return signRequest(
    { method, pathWithQuery: url, body },
    options.as ?? terminal.terminalId,
    terminal.keys.privateKeyPem,
    options.ts ?? clock.getTime() + 100,
    options.nonce,
  );
}

export function expectClientError(response: Response, status?: number | number[], code?: string): void {
  const context = `${response.statusCode} ${response.body.slice(0, 300)}`;
  expect(response.statusCode, context).toBeGreaterThanOrEqual(400);
  expect(response.statusCode, context).toBeLessThan(500);
  if (status !== undefined) expect([status].flat(), context).toContain(response.statusCode);
  expect(response.headers['content-type'], context).toMatch(/^application\/json/);
  const envelope = ErrorEnvelope.safeParse(JSON.parse(response.body));
  expect(envelope.success, context).toBe(true);
  expect(envelope.data?.error.code, context).toMatch(/^[a-z0-9_]+$/);
  if (code !== undefined) expect(envelope.data?.error.code, context).toBe(code);
}

/** Every table but the nonces (which a signed request records by design), hashed row by row. */
export function tablesFingerprint(): string | null {
  const db: unknown = Reflect.get(server.store, 'db');
  if (!(db instanceof Database)) return null;
  const hash = createHash('sha256');
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'request_nonces' ORDER BY name")
    .all() as { name: string }[];
  for (const { name } of tables) {
    hash.update(`${name}\n${JSON.stringify(db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all())}\n`);
  }
  return hash.digest('hex');
}

export async function state() {
  const { store } = server;
  const orgs = await store.orgIds();
  return {
    counts: await store.counts(),
    stream: (await store.readStream(null, 0, 100_000)).map((item) => `${item.offset} ${item.event.hash}`),
    terminals: (await Promise.all(orgs.map((org) => store.terminals(org)))).flat(),
    catalog: await store.catalogAfter(server.orgId, 0, 100_000),
    exceptions: await store.exceptions(server.orgId, 0, 100_000),
    quarantine: await store.quarantine(server.orgId, 100_000),
    tables: tablesFingerprint(),
  };
}

/** Runs `work` and checks that nothing the server keeps changed. */
export async function writesNothing(work: () => Promise<void>): Promise<void> {
  const before = await state();
  await work();
  expect(await state()).toEqual(before);
}

// ---------------------------------------------------------------------------------------------------------------
// Routes and their valid bodies

export type Auth = 'none' | 'terminal' | 'admin' | 'viewer';
export type Kind = 'string' | 'int' | 'boolean' | 'array' | 'object';

export interface BodyRoute {
  name: string;
  method: 'POST' | 'PUT' | 'PATCH';
  url: string;
  auth: Auth;
  /** A body the route would accept (and act on): each mutation below makes it one the route must refuse. */
  base: () => Record<string, Json>;
  fields: Record<string, { kind: Kind; optional?: boolean }>;
}

export const BODY_ROUTES: BodyRoute[] = [
  {
    name: 'enrol',
    method: 'POST',
    url: '/v1/enrol',
    auth: 'none',
    base: () => ({ code: FUZZ_CODE, terminalName: 'Fuzz till', publicKey: FUZZ_KEY.publicKey }),
    fields: { code: { kind: 'string' }, terminalName: { kind: 'string' }, publicKey: { kind: 'string' } },
  },
  {
    name: 'push',
    method: 'POST',
    url: '/v1/journal/batches',
    auth: 'terminal',
    base: () => JSON.parse(JSON.stringify({ epoch: fresh.epoch, events: saleChain(fresh, 2) })),
    fields: { epoch: { kind: 'int' }, events: { kind: 'array' } },
  },
  {
    name: 'sign-in',
    method: 'POST',
    url: '/v1/hq/sessions',
    auth: 'none',
    base: () => ({ username: 'admin', password: ADMIN_PASSWORD }),
    fields: { username: { kind: 'string' }, password: { kind: 'string' } },
  },
  {
    name: 'enrolment code',
    method: 'POST',
    url: '/v1/hq/enrolment-codes',
    auth: 'admin',
    base: () => ({ storeId: server.storeId, validForMinutes: 60 }),
    fields: { storeId: { kind: 'string' }, validForMinutes: { kind: 'int', optional: true } },
  },
  {
    name: 'catalog import',
    method: 'PUT',
    url: '/v1/hq/catalog',
    auth: 'admin',
    base: () => ({ products: [PRODUCT] }),
    fields: { products: { kind: 'array' } },
  },
  {
    name: 'employee create',
    method: 'POST',
    url: '/v1/hq/employees',
    auth: 'admin',
    base: () => ({
      employeeId: 'fuzz-employee',
      number: '4711',
      displayName: 'Fuzz Employee',
      roleId: 'cashier',
      storeIds: [server.storeId],
      pin: '7314',
    }),
    fields: {
      employeeId: { kind: 'string', optional: true },
      number: { kind: 'string' },
      displayName: { kind: 'string' },
      roleId: { kind: 'string' },
      storeIds: { kind: 'array' },
      pin: { kind: 'string' },
    },
  },
  {
    name: 'employee change',
    method: 'PATCH',
    url: '/v1/hq/employees/fuzz-employee',
    auth: 'admin',
    base: () => ({ displayName: 'Fuzz Employee' }),
    // Every field is optional, but one at least must be there: without this one, none is.
    fields: { displayName: { kind: 'string' } },
  },
  {
    name: 'employee PIN reset',
    method: 'PUT',
    url: '/v1/hq/employees/fuzz-employee/pin',
    auth: 'admin',
    base: () => ({ pin: '7314' }),
    fields: { pin: { kind: 'string' } },
  },
];

export const PRODUCT_FIELDS: Record<string, { kind: Kind }> = {
  productId: { kind: 'string' },
  sku: { kind: 'string' },
  name: { kind: 'string' },
  barcodes: { kind: 'array' },
  currency: { kind: 'string' },
  price: { kind: 'int' },
  taxCategory: { kind: 'string' },
  tags: { kind: 'array' },
  active: { kind: 'boolean' },
};

export function authHeaders(auth: Auth, method: string, url: string, body: string): Record<string, string> {
  switch (auth) {
    case 'none':
      return {};
    case 'terminal':
      return { authorization: sign(fresh, method, url, body) };
    case 'admin':
      return { authorization: `Bearer ${admin}` };
    case 'viewer':
      return { authorization: `Bearer ${viewer}` };
  }
}

/** Sends `body` to the route as JSON with a valid credential for it, so the body itself is what gets judged. */
export function sendJson(route: Pick<BodyRoute, 'method' | 'url' | 'auth'>, body: string, headers = {}) {
  return send({
    method: route.method,
    url: route.url,
    headers: {
      'content-type': 'application/json',
      ...authHeaders(route.auth, route.method, route.url, body),
      ...headers,
    },
    body,
  });
}

// ---------------------------------------------------------------------------------------------------------------
