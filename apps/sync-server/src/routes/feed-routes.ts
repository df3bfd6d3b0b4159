import {
  API_PREFIX,
  CreateReturnAuthorisationRequest,
  FEED_PAGE_DEFAULT,
  FEED_PAGE_MAX,
  type FeedPullResponse,
  PutTerminalConfigRequest,
  Uuid,
  upcastTerminalConfig,
} from '@tillwright/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorOf, requireStaff, requireTerminal } from '../auth/auth.js';
import { ApiError } from '../errors.js';
import type { RouteContext } from './context.js';
import { parseOrRefuse } from './validate.js';

const FeedQuery = z.strictObject({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(FEED_PAGE_MAX).default(FEED_PAGE_DEFAULT),
});
const AuthorisationPath = z.strictObject({ authorisationId: Uuid });

/**
 * The terminal feed: HQ admins set terminal configuration and issue and cancel return authorisations; terminals
 * pull what concerns their store after a cursor, signed.
 */
export function feedRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, now, limits } = context;
  const admin = async (request: Parameters<typeof requireStaff>[1]) => {
    const principal = await requireStaff(store, request, 'admin', now());
    limits.hq.take(principal.staffId, now().getTime());
    return principal;
  };

  app.put(`${API_PREFIX}/hq/config`, async (request) => {
    const principal = await admin(request);
    const body = parseOrRefuse(PutTerminalConfigRequest, request.body, 'terminal configuration');
    // Any version HQ sends is read as the latest; the store serves it at the lowest version that says the same.
    const config = body.config === null ? null : upcastTerminalConfig(body.config);
    return store.putTerminalConfig(
      principal.orgId,
      body.storeId ?? null,
      config,
      now().toISOString(),
      actorOf(principal),
    );
  });

  app.post(`${API_PREFIX}/hq/return-authorisations`, async (request) => {
    const principal = await admin(request);
    const body = parseOrRefuse(CreateReturnAuthorisationRequest, request.body, 'return authorisation');
    return store.authoriseReturn(principal.orgId, body, now().toISOString(), actorOf(principal));
  });

  app.post(`${API_PREFIX}/hq/return-authorisations/:authorisationId/cancel`, async (request) => {
    const principal = await admin(request);
    const { authorisationId } = parseOrRefuse(AuthorisationPath, request.params, 'path');
    return store.cancelReturnAuthorisation(
      principal.orgId,
      authorisationId,
      now().toISOString(),
      actorOf(principal),
    );
  });

  app.get(`${API_PREFIX}/feed`, async (request): Promise<FeedPullResponse> => {
    const terminal = await requireTerminal(store, request, now());
    limits.terminal.take(terminal.terminalId, now().getTime());
    const query = parseOrRefuse(FeedQuery, request.query, 'feed query');
    const { head, ...page } = await store.feedAfter(terminal, query.after, query.limit);
    if (query.after > head) {
      // A cursor from the future means the server's database was restored: the terminal must start over.
      throw new ApiError(
        409,
        'must_refetch',
        'the feed cursor is ahead of the server; pull again from 0',
        true,
        { currentVersion: head },
      );
    }
    return page;
  });
}
