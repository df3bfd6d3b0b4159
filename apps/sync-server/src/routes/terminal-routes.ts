import {
  API_PREFIX,
  CATALOG_PRODUCT_VERSIONS,
  CONFIG_DOCUMENT_VERSIONS,
  EnrolRequest,
  FEED_ITEM_VERSIONS,
  KNOWN_EVENT_VERSIONS,
  type ProtocolVersions,
} from '@tillwright/protocol';
import { isEd25519PublicKey } from '@tillwright/protocol/signing';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireTerminal, sha256Hex } from '../auth/auth.js';
import { ApiError } from '../errors.js';
import { productForSchema } from './catalog-pull.js';
import type { RouteContext } from './context.js';
import { parseOrRefuse } from './validate.js';

const CatalogQuery = z.strictObject({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  /** The product shape the till parses (catalog-pull.ts): 1, before issue #17, by default. */
  productSchema: z.coerce
    .number()
    .int()
    .refine((v) => CATALOG_PRODUCT_VERSIONS.includes(v), {
      message: `a catalog product schema this server serves: ${CATALOG_PRODUCT_VERSIONS.join(', ')}`,
    })
    .default(1),
});

/** What this server accepts and serves: every version it knows (docs/protocol.md, "Versions"). */
export const SERVER_VERSIONS: ProtocolVersions = {
  events: KNOWN_EVENT_VERSIONS,
  feed: { ...FEED_ITEM_VERSIONS } as ProtocolVersions['feed'],
  config: [...CONFIG_DOCUMENT_VERSIONS],
};

/** Routes a terminal calls: enrolment (with a one-time code) and catalog pulls (signed); pushes are in push-route.ts. */
export function terminalRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, now, limits } = context;

  app.post(`${API_PREFIX}/enrol`, async (request) => {
    limits.anonymous.take(`enrol:${request.ip}`, now().getTime());
    const body = parseOrRefuse(EnrolRequest, request.body, 'enrolment request');
    if (!isEd25519PublicKey(body.publicKey)) {
      throw new ApiError(
        400,
        'invalid_request',
        'publicKey must be an Ed25519 public key (SPKI DER, base64)',
        false,
      );
    }
    return store.enrolTerminal({
      codeHash: sha256Hex(body.code),
      terminalName: body.terminalName,
      publicKey: body.publicKey,
      now: now().toISOString(),
    });
  });

  // Signed like every terminal read, so it counts as the server answering; the answer is the same for every terminal.
  app.get(`${API_PREFIX}/terminal/versions`, async (request): Promise<ProtocolVersions> => {
    const terminal = await requireTerminal(store, request, now());
    limits.terminal.take(terminal.terminalId, now().getTime());
    return context.versions ?? SERVER_VERSIONS;
  });

  app.get(`${API_PREFIX}/catalog`, async (request) => {
    const terminal = await requireTerminal(store, request, now());
    limits.terminal.take(terminal.terminalId, now().getTime());
    const query = parseOrRefuse(CatalogQuery, request.query, 'catalog query');
    const current = await store.catalogVersion(terminal.orgId);
    if (query.after > current) {
      // A cursor from the future means the server's database was restored: the terminal must start over.
      throw new ApiError(
        409,
        'must_refetch',
        'the catalog cursor is ahead of the server; pull again from 0',
        true,
        {
          currentVersion: current,
        },
      );
    }
    const page = await store.catalogAfter(terminal.orgId, query.after, query.limit);
    return { ...page, products: page.products.map((p) => productForSchema(p, query.productSchema)) };
  });
}
