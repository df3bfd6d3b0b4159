import { businessDayBounds } from '@tillwright/commerce';
import { summariseBusinessDay } from '@tillwright/ledger';
import { API_PREFIX, Identifier, type LatestSaleEvent, upcastJournalEvent } from '@tillwright/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireStaff } from '../auth/auth.js';
import { ApiError } from '../errors.js';
import type { RouteContext } from './context.js';
import { parseOrRefuse } from './validate.js';

const BusinessDayPath = z.strictObject({
  storeId: Identifier,
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
    .refine((day) => {
      const at = new Date(`${day}T00:00:00Z`);
      return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(day);
    }, 'a real calendar date'),
});

/**
 * HQ's reports by store, cut in the store's own clock (decision 0011): the zone and the business day's start hour
 * come from the configuration in force at the store, the same one its tills read.
 */
export function hqReportRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, now, limits } = context;

  app.get(`${API_PREFIX}/hq/stores/:storeId/business-days/:day`, async (request) => {
    const principal = await requireStaff(store, request, 'viewer', now());
    limits.hq.take(principal.staffId, now().getTime());
    const { storeId, day } = parseOrRefuse(BusinessDayPath, request.params, 'path');
    const config = await store.configInForce(principal.orgId, storeId);
    if (!config) throw new ApiError(404, 'not_found', `no store ${storeId} in this org`, false);
    const options = { dayStartHour: config.businessDayStartHour };
    const bounds = businessDayBounds(day, config.timeZone, options);
    const events = await store.storeMoneyEvents(
      principal.orgId,
      storeId,
      new Date(bounds.start).toISOString(),
      new Date(bounds.end).toISOString(),
    );
    // A void of a sale rung on an earlier day takes back that sale's totals: read those sales once, up front.
    const inDay = new Set(events.filter((event) => event.type === 'sale').map((event) => event.eventId));
    const earlier = new Map<string, LatestSaleEvent>();
    for (const event of events) {
      if (event.type !== 'void' || inDay.has(event.payload.voidedEventId)) continue;
      const found = await store.findEvent(principal.orgId, event.payload.voidedEventId);
      const sale = found ? upcastJournalEvent(found.event) : null;
      if (sale?.type === 'sale') earlier.set(sale.eventId, sale);
    }
    return {
      storeId,
      ...summariseBusinessDay(events, day, config.timeZone, {
        ...options,
        voidedSale: (saleId) => earlier.get(saleId) ?? null,
      }),
    };
  });
}
