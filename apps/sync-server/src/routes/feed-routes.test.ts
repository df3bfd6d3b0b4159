import { isDeepStrictEqual as isEqual } from 'node:util';
import {
  ConfigFeedItem,
  configDocumentToServe,
  DEFAULT_TERMINAL_CONFIG,
  ErrorEnvelope,
  FeedPullResponse,
  ReturnAuthorisationFeedItem,
  type SaleEvent,
  type SalePayloadV1,
} from '@tillwright/protocol';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSecret, sha256Hex } from '../auth/auth.js';
import {
  BACKENDS,
  FIXED_NOW,
  saleChain,
  startTestServer,
  type TestServer,
  type TestTerminal,
  useBackend,
} from '../test-support.js';
import { invalidObject, isKind, jsonValue } from '../testing/fuzz-arbitraries.js';
import type { Kind } from '../testing/fuzz-harness.js';

type Response = Awaited<ReturnType<TestServer['app']['inject']>>;

const OTHER_STORE = 'store-002';
const authId = (n: number) => `4f9c1b7e-2a3d-4c5e-9f60-${n.toString(16).padStart(12, '0')}`;
/** Line l1 sold three times. */
const threeOfL1 = (payload: SalePayloadV1): SalePayloadV1 => ({
  ...payload,
  lines: [{ ...payload.lines[0]!, quantity: 3 }],
});

function expectRefusal(response: Response, status: number, code: string, retryable = false) {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json();
  expect(ErrorEnvelope.safeParse(body).success).toBe(true);
  expect(body.error).toMatchObject({ code, retryable });
  return body.error as { details?: Record<string, unknown> };
}

describe.each(BACKENDS)('terminal feed routes on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let admin: string;
  let viewer: string;
  /** A terminal of the demo store, where the sale was rung up. */
  let home: TestTerminal;
  /** A terminal of another store of the org, where the return is to happen. */
  let away: TestTerminal;
  let sale: SaleEvent;

  beforeEach(async () => {
    // Generous limits: the property test below sends hundreds of requests at a frozen clock.
    server = await startTestServer(backend, { terminalRate: { perSecond: 1000, burst: 100_000 } });
    admin = await server.hqToken();
    viewer = newSecret();
    await server.store.createStaff({
      staffId: 'feed-viewer',
      orgId: server.orgId,
      username: 'feed-viewer',
      passwordHash: 'not-used',
      role: 'viewer',
    });
    await server.store.createSession(
      sha256Hex(viewer),
      'feed-viewer',
      new Date(FIXED_NOW.getTime() + 3600_000).toISOString(),
    );
    await server.store.createStore(server.orgId, OTHER_STORE, 'Demo Station Road');
    await server.store.issueEnrolmentCode(
      server.orgId,
      OTHER_STORE,
      sha256Hex('CODE-AWAY-0001'),
      new Date(FIXED_NOW.getTime() + 3600_000).toISOString(),
    );
    home = await server.enrol(server.codes[0]!);
    away = await server.enrol('CODE-AWAY-0001');
    sale = saleChain(home, 1, undefined, threeOfL1)[0]!;
    expect((await server.push(home, [sale])).statusCode).toBe(200);
  });
  afterEach(() => server.close());

  const hq = (token: string | null, method: 'PUT' | 'POST', url: string, payload?: unknown) =>
    server.app.inject({
      method,
      url,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const authorise = (n: number, quantity: number, extra: Record<string, unknown> = {}) =>
    hq(admin, 'POST', '/v1/hq/return-authorisations', {
      authorisationId: authId(n),
      originalSaleId: sale.eventId,
      storeId: OTHER_STORE,
      lines: [{ lineId: 'l1', quantity }],
      ...extra,
    });
  const pull = async (terminal: TestTerminal, after = 0, limit?: number) => {
    const response = await server.signed(
      terminal,
      'GET',
      `/v1/feed?after=${after}${limit === undefined ? '' : `&limit=${limit}`}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    return FeedPullResponse.parse(response.json());
  };
  /** What a refusal must leave alone: both stores' feeds. */
  const feeds = async () => ({ home: await pull(home), away: await pull(away) });

  describe('PUT /v1/hq/config', () => {
    it('records a document for the org or one store, which terminals of that store pull', async () => {
      const org = await hq(admin, 'PUT', '/v1/hq/config', { config: { receiptFooter: 'Thank you!' } });
      expect(org.statusCode, org.body).toBe(200);
      expect(ConfigFeedItem.parse(org.json())).toEqual({
        kind: 'config',
        version: 1,
        storeId: null,
        // Served at the lowest version that says the same: no zone set, so version 1, which every till reads.
        config: configDocumentToServe({ ...DEFAULT_TERMINAL_CONFIG, receiptFooter: 'Thank you!' }),
      });
      expect(org.json().config.schema).toBe(1);
      const store = await hq(admin, 'PUT', '/v1/hq/config', {
        storeId: OTHER_STORE,
        config: { offlineCrossStoreReturns: 'manager-override', offlineReturnLimit: 2500 },
      });
      expect(store.json()).toMatchObject({ version: 2, storeId: OTHER_STORE });
      const again = await hq(admin, 'PUT', '/v1/hq/config', {
        storeId: OTHER_STORE,
        config: { offlineCrossStoreReturns: 'manager-override', offlineReturnLimit: 2500 },
      });
      expect(again.body).toBe(store.body);

      expect(await pull(home)).toEqual({ items: [org.json()], nextAfter: 2, hasMore: false });
      expect(await pull(away)).toEqual({ items: [org.json(), store.json()], nextAfter: 2, hasMore: false });
    });

    it('is for admins only, validates the body and refuses a store of no org, writing nothing', async () => {
      const before = await feeds();
      expectRefusal(await hq(null, 'PUT', '/v1/hq/config', { config: {} }), 401, 'unauthorized');
      expectRefusal(await hq(viewer, 'PUT', '/v1/hq/config', { config: {} }), 403, 'forbidden');
      const footer = expectRefusal(
        await hq(admin, 'PUT', '/v1/hq/config', { config: { receiptFooter: 'x\u001b@' } }),
        400,
        'invalid_request',
      );
      expect(footer.details?.issues).toEqual([
        { path: 'config.receiptFooter', message: 'printable text and line breaks only' },
      ]);
      for (const body of [
        {},
        { config: { offlineReturnLimit: 9.5 } },
        { config: {}, extra: 1 },
        { storeId: '', config: {} },
      ]) {
        expectRefusal(await hq(admin, 'PUT', '/v1/hq/config', body), 400, 'invalid_request');
      }
      expectRefusal(
        await hq(admin, 'PUT', '/v1/hq/config', { storeId: 'store-999', config: {} }),
        404,
        'not_found',
      );
      expect(await feeds()).toEqual(before);
    });
  });

  describe('POST /v1/hq/return-authorisations', () => {
    it("reserves quantity for the return store's terminals only", async () => {
      const issued = await authorise(1, 2);
      expect(issued.statusCode, issued.body).toBe(200);
      const item = ReturnAuthorisationFeedItem.parse(issued.json());
      expect(item.authorisation).toEqual({
        authorisationId: authId(1),
        originalSaleId: sale.eventId,
        originalStoreId: server.storeId,
        storeId: OTHER_STORE,
        lines: [{ lineId: 'l1', quantity: 2 }],
        issuedAt: FIXED_NOW.toISOString(),
        expiresAt: new Date(FIXED_NOW.getTime() + 24 * 3600_000).toISOString(),
        status: 'active',
      });
      expect(await pull(away)).toEqual({ items: [item], nextAfter: 1, hasMore: false });
      // The sale's own store does not see an authorisation for another store; its cursor still moves on.
      expect(await pull(home)).toEqual({ items: [], nextAfter: 1, hasMore: false });
    });

    it('answers a repeat exactly as the first time and refuses another request under the same id', async () => {
      const first = await authorise(1, 1);
      const repeat = await authorise(1, 1);
      expect(repeat.statusCode).toBe(200);
      expect(repeat.body).toBe(first.body);
      const before = await feeds();
      const error = expectRefusal(await authorise(1, 2), 409, 'idempotency_conflict');
      expect(error.details).toEqual({ authorisationId: authId(1) });
      expect(await feeds()).toEqual(before);
    });

    it('refuses over-authorisation, an unknown sale, line or store and a bad body, and writes nothing', async () => {
      expect((await authorise(1, 2)).statusCode).toBe(200);
      const before = await feeds();
      const over = expectRefusal(await authorise(2, 2), 409, 'over_return');
      expect(over.details).toEqual({
        lines: [{ lineId: 'l1', sold: 3, returned: 0, reserved: 2, asked: 2, available: 1 }],
      });
      expectRefusal(
        await authorise(2, 1, { originalSaleId: '019abcde-0000-7000-8000-000000000001' }),
        404,
        'unknown_sale',
        true,
      );
      const line = expectRefusal(
        await authorise(2, 1, { lines: [{ lineId: 'l7', quantity: 1 }] }),
        422,
        'unknown_line',
      );
      expect(line.details).toEqual({ lineIds: ['l7'] });
      expectRefusal(await authorise(2, 1, { storeId: 'store-999' }), 404, 'not_found');
      for (const extra of [
        { authorisationId: 'not-a-uuid' },
        { lines: [] },
        {
          lines: [
            { lineId: 'l1', quantity: 1 },
            { lineId: 'l1', quantity: 1 },
          ],
        },
        { validForMinutes: 0 },
        { status: 'active' },
      ]) {
        expectRefusal(await authorise(2, 1, extra), 400, 'invalid_request');
      }
      expectRefusal(
        await hq(viewer, 'POST', '/v1/hq/return-authorisations', {
          authorisationId: authId(2),
          originalSaleId: sale.eventId,
          storeId: OTHER_STORE,
          lines: [{ lineId: 'l1', quantity: 1 }],
        }),
        403,
        'forbidden',
      );
      expect(await feeds()).toEqual(before);
      expect(await server.store.returnAuthorisation(server.orgId, authId(2))).toBeNull();
    });

    it('lets one of several concurrent requests for the same quantity win', async () => {
      const racing = await Promise.all([1, 2, 3, 4].map((n) => authorise(n, 3)));
      expect(racing.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
      expect((await pull(away)).items).toHaveLength(1);
    });
  });

  describe('POST /v1/hq/return-authorisations/:id/cancel', () => {
    it('frees the reserved quantity and tells the return store', async () => {
      const issued = (await authorise(1, 3)).json();
      expectRefusal(await authorise(2, 1), 409, 'over_return');
      const cancel = await hq(admin, 'POST', `/v1/hq/return-authorisations/${authId(1)}/cancel`);
      expect(cancel.statusCode, cancel.body).toBe(200);
      expect(cancel.json()).toEqual({
        kind: 'return-authorisation',
        version: 2,
        authorisation: { ...issued.authorisation, status: 'cancelled' },
      });
      const twice = await hq(admin, 'POST', `/v1/hq/return-authorisations/${authId(1)}/cancel`);
      expect(twice.body).toBe(cancel.body);
      expect((await authorise(2, 3)).statusCode).toBe(200);
      expect((await pull(away)).items.map((item) => item.version)).toEqual([1, 2, 3]);
    });

    it('refuses a bad or unknown id and a viewer', async () => {
      expectRefusal(
        await hq(admin, 'POST', '/v1/hq/return-authorisations/nope/cancel'),
        400,
        'invalid_request',
      );
      expectRefusal(
        await hq(admin, 'POST', `/v1/hq/return-authorisations/${authId(5)}/cancel`),
        404,
        'not_found',
      );
      await authorise(1, 1);
      expectRefusal(
        await hq(viewer, 'POST', `/v1/hq/return-authorisations/${authId(1)}/cancel`),
        403,
        'forbidden',
      );
      expect((await server.store.returnAuthorisation(server.orgId, authId(1)))?.authorisation.status).toBe(
        'active',
      );
    });
  });

  describe('generated bad bodies', () => {
    it('refuses missing, extra and mistyped fields on every feed route with a 400, and writes nothing', async () => {
      const authorisationBase = () => ({
        authorisationId: authId(1),
        originalSaleId: sale.eventId,
        storeId: OTHER_STORE,
        lines: [{ lineId: 'l1', quantity: 1 }],
        validForMinutes: 60,
      });
      const configFields: Record<string, Kind> = Object.fromEntries(
        Object.entries(DEFAULT_TERMINAL_CONFIG).map(([key, value]) => [
          key,
          Array.isArray(value)
            ? 'array'
            : typeof value === 'string' || value === null
              ? 'string'
              : typeof value === 'object'
                ? 'object'
                : 'int',
        ]),
      );
      // A field whose default is null (the barcode region) takes null too.
      const nullable = new Set(
        Object.entries(DEFAULT_TERMINAL_CONFIG)
          .filter(([, value]) => value === null)
          .map(([key]) => key),
      );
      const bodies = fc.oneof(
        invalidObject(authorisationBase, {
          authorisationId: { kind: 'string' },
          originalSaleId: { kind: 'string' },
          storeId: { kind: 'string' },
          lines: { kind: 'array' },
          validForMinutes: { kind: 'int', optional: true },
        }).map((mutation) => ({ url: '/v1/hq/return-authorisations', method: 'POST' as const, ...mutation })),
        invalidObject(() => ({ config: { receiptFooter: 'Hi' } }), {
          storeId: { kind: 'string', optional: true },
          config: { kind: 'object' },
        })
          // null is a valid config (it withdraws the document).
          .filter((mutation) => !isEqual(mutation.value, { config: null }))
          .map((mutation) => ({ url: '/v1/hq/config', method: 'PUT' as const, ...mutation })),
        // Inside the document every field is optional: an unknown field, or a known one of the wrong type.
        fc
          .oneof(
            fc
              .tuple(
                fc.string({ minLength: 1, maxLength: 16 }).filter((key) => !(key in configFields)),
                jsonValue,
              )
              .map(([key, value]) => ({ what: `extra ${key}`, config: { [key]: value } })),
            fc.constantFrom(...Object.keys(configFields)).chain((key) =>
              jsonValue
                .filter((value) => !isKind(value, configFields[key]!))
                .filter((value) => value !== null || !nullable.has(key))
                .map((value) => ({ what: `${key} = ${JSON.stringify(value)}`, config: { [key]: value } })),
            ),
          )
          .map(({ what, config }) => ({
            url: '/v1/hq/config',
            method: 'PUT' as const,
            what: `config ${what}`,
            value: { config },
          })),
      );
      const before = await feeds();
      await fc.assert(
        fc.asyncProperty(bodies, async ({ url, method, what, value }) => {
          const response = await server.app.inject({
            method,
            url,
            headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
            payload: JSON.stringify(value),
          });
          expect(response.statusCode, `${what}: ${response.body}`).toBe(400);
          expect(ErrorEnvelope.safeParse(response.json()).success).toBe(true);
        }),
        { seed: 20_261_125, numRuns: 150 },
      );
      expect(await feeds()).toEqual(before);
      expect(await server.store.returnAuthorisation(server.orgId, authId(1))).toBeNull();
    });
  });

  describe('GET /v1/feed', () => {
    it('pages after a cursor in version order', async () => {
      for (let n = 1; n <= 3; n++) expect((await authorise(n, 1)).statusCode).toBe(200);
      const first = await pull(away, 0, 2);
      expect(first.items.map((item) => item.version)).toEqual([1, 2]);
      expect(first).toMatchObject({ nextAfter: 2, hasMore: true });
      const second = await pull(away, first.nextAfter, 2);
      expect(second.items.map((item) => item.version)).toEqual([3]);
      expect(second).toMatchObject({ nextAfter: 3, hasMore: false });
      expect(await pull(away, 3)).toEqual({ items: [], nextAfter: 3, hasMore: false });
    });

    it('answers a cursor ahead of the server with must_refetch (the server was restored from a backup)', async () => {
      await authorise(1, 1);
      const ahead = await server.signed(away, 'GET', '/v1/feed?after=7');
      const error = expectRefusal(ahead, 409, 'must_refetch', true);
      expect(error.details).toEqual({ currentVersion: 1 });
    });

    it('needs a signed terminal request and a valid cursor', async () => {
      expectRefusal(await server.app.inject({ method: 'GET', url: '/v1/feed' }), 401, 'unauthorized');
      expectRefusal(
        await server.app.inject({
          method: 'GET',
          url: '/v1/feed',
          headers: { authorization: `Bearer ${admin}` },
        }),
        401,
        'unauthorized',
      );
      for (const query of ['after=-1', 'after=x', 'limit=0', 'limit=1001', 'cursor=1']) {
        expectRefusal(await server.signed(away, 'GET', `/v1/feed?${query}`), 400, 'invalid_request');
      }
    });
  });
});
