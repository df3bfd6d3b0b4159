import { API_PREFIX, Identifier, UuidV7 } from '@tillwright/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireStaff } from '../auth/auth.js';
import { ApiError } from '../errors.js';
import type { RouteContext } from './context.js';
import { parseOrRefuse } from './validate.js';

const ShiftsQuery = z.strictObject({
  storeId: Identifier.optional(),
  terminalId: Identifier.optional(),
  state: z.enum(['open', 'closed']).optional(),
  after: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const ShiftPath = z.strictObject({ shiftId: UuidV7 });

/**
 * HQ's view of the tills' shifts (issue #16, decision 0015 "HQ"), from the shifts projection: who opened and closed
 * each, its float, the close's expected, counted and over/short per tender, its sales (never training ones), voids and
 * no-sales; one shift with its cash movements. The session's org only: another org's shift is never listed, and is
 * `404 not_found` by id, the same answer as none.
 */
export function hqShiftRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, now, limits } = context;
  const viewer = async (request: Parameters<typeof requireStaff>[1]) => {
    const principal = await requireStaff(store, request, 'viewer', now());
    limits.hq.take(principal.staffId, now().getTime());
    return principal;
  };

  app.get(`${API_PREFIX}/hq/shifts`, async (request) => {
    const principal = await viewer(request);
    const query = parseOrRefuse(ShiftsQuery, request.query, 'shifts query');
    const shifts = await store.shifts(principal.orgId, query);
    return { shifts, nextOffset: shifts.at(-1)?.offset ?? query.after };
  });

  app.get(`${API_PREFIX}/hq/shifts/:shiftId`, async (request) => {
    const principal = await viewer(request);
    const { shiftId } = parseOrRefuse(ShiftPath, request.params, 'path');
    const shift = await store.shift(principal.orgId, shiftId);
    if (!shift) throw new ApiError(404, 'not_found', `no shift ${shiftId} in this org`, false);
    return shift;
  });
}
