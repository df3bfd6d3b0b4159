import { API_PREFIX, NewEpochRequest } from '@tillwright/protocol';
import type { FastifyInstance } from 'fastify';
import { requireTerminal } from '../auth/auth.js';
import type { RouteContext } from './context.js';
import { parseOrRefuse } from './validate.js';

/**
 * How a terminal reconciles with the server (signed): what the server holds for it, and the move to a new epoch
 * when its database was restored from a backup or IT re-enrolled it.
 */
export function epochRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, now, limits } = context;

  app.get(`${API_PREFIX}/terminal/state`, async (request) => {
    const terminal = await requireTerminal(store, request, now());
    limits.terminal.take(terminal.terminalId, now().getTime());
    return store.syncState(terminal);
  });

  app.post(`${API_PREFIX}/terminal/epochs`, async (request) => {
    const terminal = await requireTerminal(store, request, now());
    limits.terminal.take(terminal.terminalId, now().getTime());
    const body = parseOrRefuse(NewEpochRequest, request.body, 'new epoch request');
    return store.startEpoch(terminal, body, now().toISOString());
  });
}
