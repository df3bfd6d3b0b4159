import { API_PREFIX, type HqEventsPage } from '@tillwright/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorOf, newEnrolmentCode, requireStaff, sha256Hex } from '../auth/auth.js';
import { ApiError } from '../errors.js';
import { csvToRows, validateImport } from './catalog-import.js';
import type { RouteContext } from './context.js';
import { parseOrRefuse } from './validate.js';

const AfterQuery = z.strictObject({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
const LastEventId = z.coerce.number().int().nonnegative();
const EnrolmentCodeRequest = z.strictObject({
  storeId: z.string().min(1).max(64),
  validForMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});
/** A product as it stood at a catalog version (priced history): the version is required, never "now". */
const ProductAtQuery = z.strictObject({
  atVersion: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
const ProductPath = z.strictObject({ productId: z.string().min(1).max(128) });
const MAX_IMPORT_PRODUCTS = 50_000;
/** Room for MAX_IMPORT_PRODUCTS rows of a few hundred bytes each, as JSON or CSV. */
const CATALOG_IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

/** HQ's routes: the sales stream and its paged read, terminals and their lag, exceptions, catalog import (sign-in and
 * sessions are in hq-session-routes.ts). */
export function hqRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, now, stream, limits } = context;
  const staff = async (request: Parameters<typeof requireStaff>[1], role: 'viewer' | 'admin') => {
    const principal = await requireStaff(store, request, role, now());
    limits.hq.take(principal.staffId, now().getTime());
    return principal;
  };

  app.get(`${API_PREFIX}/hq/events`, async (request): Promise<HqEventsPage> => {
    const principal = await staff(request, 'viewer');
    const query = parseOrRefuse(AfterQuery, request.query, 'events query');
    const items = await store.readStream(principal.orgId, query.after, query.limit);
    return { items, nextOffset: items.at(-1)?.offset ?? query.after };
  });

  // No HEAD twin: a HEAD reply cannot carry events, and a hijacked one would never be answered.
  app.get(`${API_PREFIX}/hq/stream`, { exposeHeadRoute: false }, async (request, reply) => {
    const principal = await staff(request, 'viewer');
    const query = parseOrRefuse(AfterQuery, request.query, 'stream query');
    const lastEventId = request.headers['last-event-id'];
    const after =
      lastEventId === undefined ? query.after : parseOrRefuse(LastEventId, lastEventId, 'Last-Event-ID');
    stream.admit(principal);
    reply.hijack();
    stream.attach(reply.raw, principal, after);
    // A sign-out or revocation that landed between the session check and the attach ends this stream too.
    if (!(await store.sessionByTokenHash(principal.sessionId, now().toISOString())))
      stream.closeSession(principal.sessionId);
  });

  app.get(`${API_PREFIX}/hq/terminals`, async (request) => {
    const principal = await staff(request, 'viewer');
    const at = now().getTime();
    return {
      terminals: (await store.terminals(principal.orgId)).map((t) => ({
        terminalId: t.terminalId,
        storeId: t.storeId,
        name: t.name,
        ackedSeq: t.ackedSeq,
        lastSeenAt: t.lastSeenAt,
        secondsSinceSeen: t.lastSeenAt ? Math.round((at - Date.parse(t.lastSeenAt)) / 1000) : null,
        revoked: t.revokedAt !== null,
      })),
    };
  });

  app.post(`${API_PREFIX}/hq/terminals/:terminalId/revoke`, async (request) => {
    const principal = await staff(request, 'admin');
    const { terminalId } = parseOrRefuse(
      z.strictObject({ terminalId: z.string().min(1).max(64) }),
      request.params,
      'path',
    );
    if (!(await store.revokeTerminal(principal.orgId, terminalId, now().toISOString(), actorOf(principal)))) {
      throw new ApiError(404, 'not_found', `no active terminal ${terminalId} in this org`, false);
    }
    return { revoked: terminalId };
  });

  app.get(`${API_PREFIX}/hq/exceptions`, async (request) => {
    const principal = await staff(request, 'viewer');
    const query = parseOrRefuse(AfterQuery, request.query, 'exceptions query');
    return { exceptions: await store.exceptions(principal.orgId, query.after, query.limit) };
  });

  app.get(`${API_PREFIX}/hq/quarantine`, async (request) => {
    const principal = await staff(request, 'viewer');
    return { events: await store.quarantine(principal.orgId, 500) };
  });

  app.post(`${API_PREFIX}/hq/enrolment-codes`, async (request) => {
    const principal = await staff(request, 'admin');
    const body = parseOrRefuse(EnrolmentCodeRequest, request.body, 'enrolment code request');
    const code = newEnrolmentCode();
    const expiresAt = new Date(now().getTime() + body.validForMinutes * 60_000).toISOString();
    await store.issueEnrolmentCode(principal.orgId, body.storeId, sha256Hex(code), expiresAt, {
      actor: actorOf(principal),
      at: now().toISOString(),
    });
    return { code, expiresAt };
  });

  // Read-only priced history: what a product cost at the catalog version a sale says it was priced with.
  app.get(`${API_PREFIX}/hq/catalog/products/:productId`, async (request) => {
    const principal = await staff(request, 'viewer');
    const { productId } = parseOrRefuse(ProductPath, request.params, 'path');
    const { atVersion } = parseOrRefuse(ProductAtQuery, request.query, 'catalog product query');
    const product = await store.catalogProductAt(principal.orgId, productId, atVersion);
    if (!product) {
      throw new ApiError(
        404,
        'not_found',
        `no product ${productId} at catalog version ${atVersion} in this org`,
        false,
      );
    }
    return product;
  });

  app.put(
    `${API_PREFIX}/hq/catalog`,
    {
      // An import of up to MAX_IMPORT_PRODUCTS does not fit the default body limit. Only an admin may send one:
      // the session is checked before the body is read, so nobody else can make the server buffer that much.
      bodyLimit: CATALOG_IMPORT_BODY_LIMIT,
      onRequest: async (request) => {
        await requireStaff(store, request, 'admin', now());
      },
    },
    async (request) => {
      const principal = await staff(request, 'admin');
      // The format is what the client declared, not what the parsed body happens to be: a JSON string is not a CSV.
      const isCsv = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() === 'text/csv';
      const { rows, rowNumbers } =
        isCsv && typeof request.body === 'string'
          ? csvToRows(request.body)
          : {
              rows: parseOrRefuse(
                z.strictObject({ products: z.array(z.unknown()).max(MAX_IMPORT_PRODUCTS) }),
                request.body,
                'catalog import',
              ).products,
              rowNumbers: undefined,
            };
      const products = validateImport(rows, rowNumbers);
      const version = await store.putCatalogProducts(principal.orgId, products, {
        actor: actorOf(principal),
        at: now().toISOString(),
      });
      return { version, imported: products.length };
    },
  );
}
