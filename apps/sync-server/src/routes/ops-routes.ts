import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import type { RouteContext } from './context.js';
import { openApiDocument } from './openapi.js';

/** Health, readiness and the OpenAPI description; metrics are in metrics-route.ts. */
export function opsRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store } = context;
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request) => {
    try {
      await store.ping();
    } catch (error) {
      // Said to load balancers as 503, never with the cause: that goes to the log.
      request.log.warn({ err: error }, 'readiness check failed');
      throw new ApiError(503, 'not_ready', 'the database cannot be reached', true);
    }
    return { status: 'ready' };
  });
  app.get('/v1/openapi.json', async () => openApiDocument());
}
