import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { ErrorEnvelope, MAX_BATCH_BYTES } from '@tillwright/protocol';
import { generateTerminalKeyPair, signRequest } from '@tillwright/protocol/signing';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from './auth.js';
import { hashPassword } from './passwords.js';
import { ADMIN_PASSWORD, FIXED_NOW, saleChain, startTestServer, type TestTerminal } from './test-support.js';

/**
 * Bad input, generated: every route answers malformed, mistyped, oversized, truncated and random bodies, bad
 * signatures, replays and other terminals' credentials with a 4xx and the error envelope, and writes nothing.
 * Fixed seed and bounded runs, so a failure reproduces and the file stays quick.
 */
const SEED = 20_261_125;
const runs = (numRuns: number) => ({ seed: SEED, numRuns });

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Response = Awaited<ReturnType<Server['app']['inject']>>;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

let server: Server;
let clock = FIXED_NOW;
/** Never pushed: any write for it would show. */
let fresh: TestTerminal;
/** Has pushed a few events; the replay properties push more. */
let veteran: TestTerminal;
let veteranHead = { seq: 0, hash: '' };
let revoked: TestTerminal;
let admin: string;
let viewer: string;
let addresses = 0;

const FUZZ_CODE = 'FUZZ-CODE-0001';
const FUZZ_KEY = generateTerminalKeyPair();
const PRODUCT = {
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

// ---------------------------------------------------------------------------------------------------------------
// Sending and checking

/** Each request moves the clock 100 ms, so rate limits refill as they would at a steady 10 requests a second. */
function send(request: {
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

function sign(
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

function expectClientError(response: Response, status?: number | number[], code?: string): void {
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
function tablesFingerprint(): string | null {
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

async function state() {
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
async function writesNothing(work: () => Promise<void>): Promise<void> {
  const before = await state();
  await work();
  expect(await state()).toEqual(before);
}

// ---------------------------------------------------------------------------------------------------------------
// Routes and their valid bodies

type Auth = 'none' | 'terminal' | 'admin' | 'viewer';
type Kind = 'string' | 'int' | 'boolean' | 'array' | 'object';

interface BodyRoute {
  name: string;
  method: 'POST' | 'PUT';
  url: string;
  auth: Auth;
  /** A body the route would accept (and act on): each mutation below makes it one the route must refuse. */
  base: () => Record<string, Json>;
  fields: Record<string, { kind: Kind; optional?: boolean }>;
}

const BODY_ROUTES: BodyRoute[] = [
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
];

const PRODUCT_FIELDS: Record<string, { kind: Kind }> = {
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

function authHeaders(auth: Auth, method: string, url: string, body: string): Record<string, string> {
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
function sendJson(route: Pick<BodyRoute, 'method' | 'url' | 'auth'>, body: string, headers = {}) {
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
// Arbitraries

const jsonValue = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;

function isKind(value: Json, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

const withoutKey = (value: Record<string, Json>, key: string) =>
  Object.fromEntries(Object.entries(value).filter(([k]) => k !== key));

/** An object the strict schema with these fields must refuse: a required field gone, an unknown one, a wrong type. */
function invalidObject(
  base: () => Record<string, Json>,
  fields: Record<string, { kind: Kind; optional?: boolean }>,
): fc.Arbitrary<{ what: string; value: Json }> {
  const keys = Object.keys(fields);
  const required = keys.filter((key) => !fields[key]!.optional);
  return fc.oneof(
    fc.constantFrom(...required).map((key) => ({ what: `without ${key}`, value: withoutKey(base(), key) })),
    fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 16 }).filter((key) => !keys.includes(key)),
        jsonValue,
      )
      .map(([key, extra]) => ({ what: `extra ${key}`, value: { ...base(), [key]: extra } })),
    fc.constantFrom(...keys).chain((key) =>
      jsonValue
        .filter((value) => !isKind(value, fields[key]!.kind))
        .map((value) => ({
          what: `${key} = ${JSON.stringify(value)}`,
          value: { ...base(), [key]: value },
        })),
    ),
    jsonValue.filter((value) => !isKind(value, 'object')).map((value) => ({ what: 'not an object', value })),
  );
}

/** Every path to a node inside a JSON value. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value))
    return value.flatMap((item, i) => [[...prefix, i], ...pathsOf(item, [...prefix, i])]);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [
      [...prefix, key],
      ...pathsOf(item, [...prefix, key]),
    ]);
  }
  return [];
}

/** A copy of `root` with the node at `path` deleted, replaced, or given an extra member. */
function mutateAt(
  root: Json,
  path: (string | number)[],
  op: 'delete' | 'replace' | 'extra',
  value: Json,
  key: string,
): Json {
  const copy = structuredClone(root);
  let parent = copy as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else if (op === 'replace') {
    parent[last] = value;
  } else {
    const target = parent[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target) && !(key in target)) {
      target[key] = value;
    } else {
      parent[last] = { [key]: value };
    }
  }
  return copy;
}

/** A batch changed anywhere (every field is covered by its event's hash, or by the schema): never acceptable. */
const mutatedBatch = fc
  .record({
    pick: fc.nat(),
    op: fc.constantFrom('delete', 'replace', 'extra') as fc.Arbitrary<'delete' | 'replace' | 'extra'>,
    value: jsonValue,
    key: fc.string({ minLength: 1, maxLength: 12 }),
  })
  .map(({ pick, op, value, key }) => {
    const base = BODY_ROUTES[1]!.base();
    const paths = pathsOf(base);
    const path = paths[pick % paths.length]!;
    // Dropping the second of two events leaves a valid batch of one: replace it instead.
    const change = op === 'delete' && path.length === 2 && path[0] === 'events' ? 'replace' : op;
    const text = JSON.stringify(mutateAt(base, path, change, value, key));
    return { what: `${change} ${path.join('.')}`, text, same: text === JSON.stringify(base) };
  })
  .filter(({ same }) => !same);

/** A value that is valid JSON but not a plain value the server can work with, described (it is rendered later). */
const hostileValue = fc.oneof(
  fc.record({ kind: fc.constant('overflowing number' as const), n: fc.integer({ min: 309, max: 5000 }) }),
  fc.record({ kind: fc.constant('negative overflow' as const), n: fc.integer({ min: 309, max: 5000 }) }),
  fc.record({ kind: fc.constant('nested arrays' as const), n: fc.integer({ min: 65, max: 60_000 }) }),
  fc.record({ kind: fc.constant('nested objects' as const), n: fc.integer({ min: 65, max: 30_000 }) }),
);

function renderHostile({ kind, n }: { kind: string; n: number }): string {
  switch (kind) {
    case 'overflowing number':
      return `1e${n}`;
    case 'negative overflow':
      return `-1e${n}`;
    case 'nested arrays':
      return `${'['.repeat(n)}${']'.repeat(n)}`;
    default:
      return `${'{"a":'.repeat(n)}0${'}'.repeat(n)}`;
  }
}

const PLACEHOLDER = '\u0000hostile\u0000';

/** A printable string the query string cannot read as a non-negative integer. */
const notACount = fc.oneof(
  fc.integer({ min: -1_000_000_000, max: -1 }).map(String),
  fc.integer().map((n) => `${n}.5`),
  fc.stringMatching(/^[a-z]{1,8}$/),
  fc.constantFrom('Infinity', '-Infinity', 'NaN', '1e400', '0x', '--1', '1,5', '%ZZ', '1%00'),
);

const badQuery = fc.oneof(
  notACount.map((v) => `?after=${v}`),
  notACount.map((v) => `?limit=${v}`),
  fc.constantFrom(
    '?limit=0',
    '?limit=1001',
    '?limit=99999999',
    '?after=1&after=2',
    '?after[]=1',
    '?after[a]=1',
  ),
  fc
    .tuple(
      fc.stringMatching(/^[a-z_]{1,10}$/).filter((key) => key !== 'after' && key !== 'limit'),
      fc.stringMatching(/^[a-z0-9]{0,10}$/),
    )
    .map(([key, value]) => `?${key}=${value}`),
);

// ---------------------------------------------------------------------------------------------------------------
// Properties

describe('fuzzing request bodies', () => {
  it('refuses malformed JSON on every route that takes a body as invalid_json', async () => {
    const malformed = fc.oneof(
      fc.string({ minLength: 1, maxLength: 200 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
      // A valid body with one character inserted, deleted or replaced.
      fc
        .record({
          route: fc.nat(),
          at: fc.nat(),
          char: fc.string({ minLength: 1, maxLength: 1 }),
          drop: fc.boolean(),
        })
        .map(({ route, at, char, drop }) => {
          const text = JSON.stringify(BODY_ROUTES[route % BODY_ROUTES.length]!.base());
          const i = at % text.length;
          return `${text.slice(0, i)}${char}${text.slice(i + (drop ? 1 : 0))}`;
        }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BODY_ROUTES), malformed.filter(isNotJson), async (route, text) => {
        await writesNothing(async () => expectClientError(await sendJson(route, text), 400, 'invalid_json'));
      }),
      runs(150),
    );
  });

  it('refuses missing, extra and mistyped fields on every route, and writes nothing', async () => {
    const routes = BODY_ROUTES.filter((route) => route.name !== 'push');
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...routes)
          .chain((route) => invalidObject(route.base, route.fields).map((mutation) => ({ route, mutation }))),
        async ({ route, mutation }) => {
          await writesNothing(async () =>
            expectClientError(await sendJson(route, JSON.stringify(mutation.value)), 400, 'invalid_request'),
          );
        },
      ),
      runs(300),
    );
  });

  it('refuses a catalog import with any bad row (next to a good one) 422, and imports nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        invalidObject(() => ({ ...PRODUCT }), PRODUCT_FIELDS),
        fc.boolean(),
        async (row, first) => {
          const good = { ...PRODUCT, productId: 'good-one' };
          const products = first ? [row.value, good] : [good, row.value];
          await writesNothing(async () => {
            const response = await sendJson(BODY_ROUTES[4]!, JSON.stringify({ products }));
            expectClientError(response, 422, 'import_invalid');
            expect(response.json().error.details.rows).toEqual([
              expect.objectContaining({ row: first ? 1 : 2 }),
            ]);
          });
        },
      ),
      runs(120),
    );
  });

  it('refuses a journal batch changed anywhere, signed as sent, and stores nothing of it', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBatch, async ({ text }) => {
        await writesNothing(async () => expectClientError(await sendJson(BODY_ROUTES[1]!, text)));
      }),
      runs(400),
    );
  });

  it('refuses numbers too large to represent and absurdly deep nesting anywhere in a body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BODY_ROUTES),
        fc.nat(),
        hostileValue,
        async (route, pick, hostile) => {
          const literal = renderHostile(hostile);
          const base = route.base();
          const paths = pathsOf(base);
          const path = paths[pick % paths.length]!;
          const text = JSON.stringify(mutateAt(base, path, 'replace', PLACEHOLDER, '')).replace(
            JSON.stringify(PLACEHOLDER),
            literal,
          );
          if (text.length > MAX_BATCH_BYTES * 2) return;
          await writesNothing(async () =>
            expectClientError(await sendJson(route, text), 400, 'invalid_request'),
          );
        },
      ),
      runs(80),
    );
  });

  it('refuses random bytes under any content type on every route', async () => {
    const routes = [
      ...BODY_ROUTES,
      {
        name: 'revoke',
        method: 'POST' as const,
        url: '/v1/hq/terminals/no-such-terminal/revoke',
        auth: 'admin' as const,
      },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'text/csv',
          'text/plain',
          'application/octet-stream',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'garbage',
        ),
        async (route, bytes, contentType) => {
          const body = Buffer.from(bytes);
          await writesNothing(async () =>
            expectClientError(
              await send({
                method: route.method,
                url: route.url,
                headers: {
                  'content-type': contentType,
                  ...authHeaders(route.auth, route.method, route.url, body.toString('utf8')),
                },
                body,
              }),
            ),
          );
        },
      ),
      runs(150),
    );
  });

  it('refuses CSV imports whose rows cannot be valid, naming the problem, importing nothing', async () => {
    const HEADER = 'productId,sku,name,barcodes,currency,price,taxCategory,tags,active';
    // No capital letters: no row can carry a valid currency code, so no row is valid.
    const csvText = fc.string({
      unit: fc.constantFrom(
        ',',
        '"',
        '\n',
        '\r',
        '|',
        ' ',
        'a',
        'z',
        '1',
        '0',
        '.',
        '-',
        'true',
        'false',
        'eur',
      ),
      maxLength: 300,
    });
    await fc.assert(
      fc.asyncProperty(csvText, fc.boolean(), async (rows, withHeader) => {
        const body = withHeader ? `${HEADER}\n${rows}` : rows;
        await writesNothing(async () =>
          expectClientError(
            await send({
              method: 'PUT',
              url: '/v1/hq/catalog',
              headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin}` },
              body,
            }),
            422,
            'import_invalid',
          ),
        );
      }),
      runs(120),
    );
  });

  it('refuses bodies over the body limit with 413 on every route', async () => {
    const routes = BODY_ROUTES.filter((route) => route.name !== 'catalog import');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.integer({ min: 1, max: 64 * 1024 }),
        async (route, extra) => {
          const text = `{"pad":"${'x'.repeat(MAX_BATCH_BYTES * 2 + extra)}"}`;
          await writesNothing(async () =>
            expectClientError(await sendJson(route, text), 413, 'fst_err_ctp_body_too_large'),
          );
        },
      ),
      runs(12),
    );
    // The catalog import has a larger limit (50,000 products), checked once.
    const row = `${JSON.stringify(PRODUCT)},`;
    const huge = `{"products":[${row.repeat(Math.ceil((32 * 1024 * 1024) / row.length))}null]}`;
    expect(huge.length).toBeGreaterThan(32 * 1024 * 1024);
    await writesNothing(async () =>
      expectClientError(await sendJson(BODY_ROUTES[4]!, huge), 413, 'fst_err_ctp_body_too_large'),
    );
  }, 20_000);

  it('refuses truncated bodies, whether or not Content-Length still claims the whole body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BODY_ROUTES),
        fc.nat(),
        fc.boolean(),
        async (route, cut, claimWhole) => {
          const whole = JSON.stringify(route.base());
          const text = whole.slice(0, cut % whole.length);
          const headers = claimWhole ? { 'content-length': String(Buffer.byteLength(whole)) } : {};
          await writesNothing(async () => expectClientError(await sendJson(route, text, headers), 400));
        },
      ),
      runs(150),
    );
  });

  it('survives a client that sends half a body and hangs up, and writes nothing', async () => {
    const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    await writesNothing(async () => {
      const body = JSON.stringify({ epoch: fresh.epoch, events: saleChain(fresh, 2) });
      const url = '/v1/journal/batches';
      const { port } = new URL(base);
      await new Promise<void>((done, fail) => {
        const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => {
          socket.write(
            `POST ${url} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n` +
              `authorization: ${sign(fresh, 'POST', url, body)}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`,
          );
          socket.write(body.slice(0, body.length / 2));
          socket.end(() => setTimeout(done, 100));
        });
        socket.on('error', fail);
      });
    });
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('fuzzing credentials', () => {
  const TERMINAL_ROUTES = [
    { method: 'POST', url: '/v1/journal/batches' },
    { method: 'GET', url: '/v1/catalog?after=0' },
  ] as const;

  /** The route's request with a valid body for the `fresh` terminal: only the header can make it fail. */
  function terminalRequest(route: (typeof TERMINAL_ROUTES)[number]) {
    return route.method === 'POST' ? JSON.stringify({ epoch: fresh.epoch, events: saleChain(fresh, 1) }) : '';
  }

  function sendTerminal(
    route: (typeof TERMINAL_ROUTES)[number],
    body: string,
    authorization: string | undefined,
  ) {
    return send({
      method: route.method,
      url: route.url,
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(body === '' ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === '' ? {} : { body }),
    });
  }

  it('refuses bad signatures of every shape with 401', async () => {
    const identifier = fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/);
    const header = (route: (typeof TERMINAL_ROUTES)[number], body: string) =>
      fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.constant(undefined),
        // Well-formed, with random parts.
        fc
          .record({
            terminal: fc.oneof(
              fc.constantFrom(fresh.terminalId, veteran.terminalId, revoked.terminalId),
              identifier,
            ),
            skew: fc.integer({ min: -10 * 60_000, max: 10 * 60_000 }),
            nonce: fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/),
            sig: fc.stringMatching(/^[A-Za-z0-9_-]{40,200}$/),
          })
          .map(
            ({ terminal, skew, nonce, sig }) =>
              `TW1-Ed25519 terminal=${terminal}, ts=${clock.getTime() + skew}, nonce=${nonce}, sig=${sig}`,
          ),
        // A real signature with one character changed (not the last two, whose spare bits base64 ignores).
        fc
          .record({ at: fc.nat(), char: fc.constantFrom('A', 'z', '0', '-', '_', ' ', ',', '=') })
          .map(({ at, char }) => {
            const good = sign(fresh, route.method, route.url, body);
            const i = at % (good.length - 2);
            return good[i] === char
              ? `${good.slice(0, i)}Q${good.slice(i + 1)}`
              : `${good.slice(0, i)}${char}${good.slice(i + 1)}`;
          }),
        // A real signature for another method, path or body.
        fc
          .constantFrom('GET /v1/catalog', 'POST /v1/catalog?after=0', 'POST /v1/journal/batches?x=1')
          .map((other) => {
            const [method, url] = other.split(' ') as [string, string];
            return sign(fresh, method, url, method === route.method && url === route.url ? `${body} ` : body);
          }),
        // Signed by a key that is not the terminal's.
        fc
          .constant(null)
          .map(() =>
            signRequest(
              { method: route.method, pathWithQuery: route.url, body },
              fresh.terminalId,
              FUZZ_KEY.privateKeyPem,
              clock.getTime(),
            ),
          ),
        // Out of the clock window.
        fc
          .oneof(fc.integer({ min: 300_001, max: 10 ** 9 }), fc.integer({ min: -(10 ** 9), max: -300_001 }))
          .map((skew) => sign(fresh, route.method, route.url, body, { ts: clock.getTime() + 100 + skew })),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TERMINAL_ROUTES).chain((route) => {
          const body = terminalRequest(route);
          return header(route, body).map((authorization) => ({ route, body, authorization }));
        }),
        async ({ route, body, authorization }) => {
          await writesNothing(async () =>
            expectClientError(await sendTerminal(route, body, authorization), 401),
          );
        },
      ),
      runs(300),
    );
  });

  it('refuses a replayed request, identical or re-signed with a used nonce, after the original went through', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('pull', 'push'),
        fc.constantFrom('identical', 'same nonce, other request'),
        fc.nat(5),
        async (kind, variant, after) => {
          let url: string;
          let body = '';
          let next: { seq: number; hash: string } | null = null;
          if (kind === 'push') {
            const [event] = saleChain(veteran, 1, veteranHead);
            url = '/v1/journal/batches';
            body = JSON.stringify({ epoch: veteran.epoch, events: [event] });
            next = { seq: event!.seq, hash: event!.hash };
          } else {
            url = `/v1/catalog?after=${after}`;
          }
          const method = kind === 'push' ? 'POST' : 'GET';
          const nonce = `replay-${clock.getTime()}-${after}`.padEnd(16, 'x');
          const authorization = sign(veteran, method, url, body, { nonce });
          const headers = { authorization, ...(body ? { 'content-type': 'application/json' } : {}) };
          const first = await send({ method, url, headers, ...(body ? { body } : {}) });
          expect(first.statusCode, first.body).toBe(200);
          if (next) veteranHead = next;
          await writesNothing(async () => {
            const replay =
              variant === 'identical'
                ? await send({ method, url, headers, ...(body ? { body } : {}) })
                : await send({
                    method: 'GET',
                    url: `/v1/catalog?after=${after + 1}`,
                    headers: {
                      authorization: sign(veteran, 'GET', `/v1/catalog?after=${after + 1}`, '', { nonce }),
                    },
                  });
            expectClientError(replay, 401, 'replayed_request');
          });
        },
      ),
      runs(60),
    );
  });

  it('refuses one terminal using another terminal identity or pushing its events', async () => {
    const terminals = () => [fresh, veteran, revoked];
    await fc.assert(
      fc.asyncProperty(
        fc.nat(2),
        fc.nat(2),
        fc.constantFrom('claims the other id', 'pushes the other events', 'pulls as the other'),
        async (s, v, mode) => {
          const signer = terminals()[s]!;
          const victim = terminals()[v]!;
          if (signer === victim) return;
          const url = mode === 'pulls as the other' ? '/v1/catalog' : '/v1/journal/batches';
          const method = mode === 'pulls as the other' ? 'GET' : 'POST';
          const body =
            method === 'GET' ? '' : JSON.stringify({ epoch: victim.epoch, events: saleChain(victim, 1) });
          const authorization =
            mode === 'pushes the other events'
              ? sign(signer, method, url, body)
              : sign(signer, method, url, body, { as: victim.terminalId });
          await writesNothing(async () => {
            const response = await send({
              method,
              url,
              headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
              ...(body ? { body } : {}),
            });
            const expected = mode === 'pushes the other events' && signer !== revoked ? 403 : 401;
            expectClientError(response, expected);
          });
        },
      ),
      runs(60),
    );
  });

  it('refuses HQ routes without a valid session, and an admin route for a viewer', async () => {
    const HQ_ROUTES = [
      { method: 'GET', url: '/v1/hq/events' },
      { method: 'GET', url: '/v1/hq/stream' },
      { method: 'GET', url: '/v1/hq/terminals' },
      { method: 'GET', url: '/v1/hq/exceptions' },
      { method: 'GET', url: '/v1/hq/quarantine' },
      { method: 'POST', url: `/v1/hq/terminals/${fresh.terminalId}/revoke` },
      { method: 'POST', url: '/v1/hq/enrolment-codes' },
      { method: 'PUT', url: '/v1/hq/catalog' },
    ] as const;
    const authorization = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{20,128}$/).map((token) => `Bearer ${token}`),
      fc.record({ at: fc.nat(), char: fc.constantFrom('A', 'b', '9', '-', '_') }).map(({ at, char }) => {
        const token = at % 2 === 0 ? admin : viewer;
        const i = at % token.length;
        return `Bearer ${token.slice(0, i)}${token[i] === char ? 'Q' : char}${token.slice(i + 1)}`;
      }),
      fc.constantFrom(
        `bearer ${admin}`,
        `Bearer  ${admin}`,
        `Bearer ${admin}x`,
        admin,
        sign(fresh, 'GET', '/v1/hq/events', ''),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...HQ_ROUTES), authorization, async (route, header) => {
        const body =
          route.method === 'GET'
            ? undefined
            : JSON.stringify(
                route.url.endsWith('catalog') ? { products: [PRODUCT] } : { storeId: server.storeId },
              );
        await writesNothing(async () =>
          expectClientError(
            await send({
              method: route.method,
              url: route.url,
              headers: { authorization: header, ...(body ? { 'content-type': 'application/json' } : {}) },
              ...(body ? { body } : {}),
            }),
            401,
            'unauthorized',
          ),
        );
      }),
      runs(150),
    );
    for (const route of HQ_ROUTES.filter((r) => r.method !== 'GET')) {
      const body = JSON.stringify(
        route.url.endsWith('catalog') ? { products: [PRODUCT] } : { storeId: server.storeId },
      );
      await writesNothing(async () =>
        expectClientError(
          await send({
            method: route.method,
            url: route.url,
            headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' },
            body,
          }),
          403,
          'forbidden',
        ),
      );
    }
  });
});

describe('fuzzing paths and queries', () => {
  it('refuses bad cursors and unknown query fields on every route that reads a query', async () => {
    const routes = [
      { url: '/v1/hq/events', auth: 'viewer' as const },
      { url: '/v1/hq/exceptions', auth: 'viewer' as const },
      { url: '/v1/hq/stream', auth: 'viewer' as const },
      { url: '/v1/catalog', auth: 'terminal' as const },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), badQuery, async (route, query) => {
        const url = `${route.url}${query}`;
        await writesNothing(async () =>
          expectClientError(
            await send({ method: 'GET', url, headers: authHeaders(route.auth, 'GET', url, '') }),
            400,
            'invalid_request',
          ),
        );
      }),
      runs(150),
    );
    // Last-Event-ID is a cursor too.
    await fc.assert(
      fc.asyncProperty(
        notACount.filter((v) => !v.includes('%')),
        async (lastEventId) => {
          expectClientError(
            await send({
              method: 'GET',
              url: '/v1/hq/stream',
              headers: { authorization: `Bearer ${viewer}`, 'last-event-id': lastEventId },
            }),
            400,
            'invalid_request',
          );
        },
      ),
      runs(40),
    );
  });

  it('answers unknown, malformed and percent-garbled paths with the error envelope', async () => {
    const segment = fc.oneof(
      fc.string({
        unit: fc.constantFrom(
          '%',
          'a',
          'Z',
          '0',
          '9',
          'E',
          'F',
          'c',
          '/',
          '.',
          '-',
          '_',
          '~',
          '?',
          '&',
          '=',
          '+',
          ';',
        ),
        maxLength: 30,
      }),
      fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent),
      fc.constantFrom('%ZZ', '%', '%E0%A4%A', '%C0%AF', '%00', '..%2F..%2F', '%FF%FE', 'a%2', '%%', '%u0041'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        fc.constantFrom(
          '/',
          '/v1/',
          '/v1/hq/',
          '/v1/hq/terminals/',
          '/v1/catalog/',
          '/v1/hq/terminals/x/',
          '/v2/',
        ),
        segment,
        async (method, prefix, rest) => {
          const url = `${prefix}${rest}${prefix === '/v1/hq/terminals/' && method === 'POST' ? '/revoke' : ''}`;
          await writesNothing(async () => {
            const response = await send({ method, url, headers: { authorization: `Bearer ${viewer}` } });
            if (response.statusCode === 200) {
              // Only the open operations routes answer 200 to a bare request.
              expect(['/healthz', '/readyz', '/metrics', '/v1/openapi.json']).toContain(url.split('?')[0]);
            } else {
              expectClientError(response);
            }
          });
        },
      ),
      runs(200),
    );
  });
});

function isNotJson(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}
