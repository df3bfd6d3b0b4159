import { type JournalEvent, type LatestJournalEvent, upcastJournalEvent } from '@tillwright/protocol';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { TerminalPrincipal } from './types.js';

/**
 * The shifts projection (decision 0015, "HQ"): one row per shift, written in the ingest transaction from the events
 * just stored, so it moves exactly as the events table does (a duplicate is never stored, so never counted twice; a
 * refused batch rolls both back). An event belongs to the shift its payload names (`shiftId`: shift open and close,
 * cash movements, sales v4, voids and no-sales v3, training sales), and only to that shift of the same till, so no
 * till can touch another till's shift. Only `sale` counts as sales: a training sale is counted apart, never in a
 * total.
 */

/** An event stored in this flush, with the stream offset it was given. */
export interface StoredForShift {
  principal: TerminalPrincipal;
  event: LatestJournalEvent;
  offset: number;
}

interface Delta {
  principal: TerminalPrincipal;
  shiftId: string;
  sales: number;
  salesTotal: number;
  trainingSales: number;
  voids: number;
  noSales: number;
  events: number;
  /** Sales the voids of this flush name: their totals are read once the events are written. */
  voided: string[];
}

/** The shift an event's payload names, or null: read off any version's payload. */
export function shiftIdOf(event: { payload: unknown }): string | null {
  const shiftId = (event.payload as { shiftId?: unknown } | null)?.shiftId;
  return typeof shiftId === 'string' ? shiftId : null;
}

/** Brings the projection up to date with events just written (their rows must already be in the events table). */
export async function projectShifts(db: Kysely<Database>, stored: readonly StoredForShift[]): Promise<void> {
  const deltas = new Map<string, Delta>();
  const closes: StoredForShift[] = [];
  for (const item of stored) {
    const { event, principal } = item;
    const shiftId = shiftIdOf(event);
    if (shiftId === null) continue;
    if (event.type === 'shift-open') await insertOpen(db, item, shiftId);
    if (event.type === 'shift-close') closes.push(item);
    const key = `${principal.terminalId}\u0000${shiftId}`;
    let delta = deltas.get(key);
    if (!delta) {
      delta = {
        principal,
        shiftId,
        sales: 0,
        salesTotal: 0,
        trainingSales: 0,
        voids: 0,
        noSales: 0,
        events: 0,
        voided: [],
      };
      deltas.set(key, delta);
    }
    delta.events += 1;
    if (event.type === 'sale') {
      delta.sales += 1;
      delta.salesTotal += event.payload.total;
    } else if (event.type === 'training-sale') {
      delta.trainingSales += 1;
    } else if (event.type === 'void') {
      delta.voids += 1;
      delta.voided.push(event.payload.voidedEventId);
    } else if (event.type === 'no-sale') {
      delta.noSales += 1;
    }
  }
  for (const delta of deltas.values()) await applyDelta(db, delta);
  for (const close of closes) await applyClose(db, close);
}

async function insertOpen(
  db: Kysely<Database>,
  { principal, event, offset }: StoredForShift,
  shiftId: string,
) {
  if (event.type !== 'shift-open') return;
  const { payload } = event;
  await db
    .insertInto('shifts')
    .values({
      org_id: principal.orgId,
      shift_id: shiftId,
      store_id: principal.storeId,
      terminal_id: principal.terminalId,
      open_offset: offset,
      open_event_id: event.eventId,
      currency: payload.currency,
      opened_at: new Date(event.occurredAt).toISOString(),
      opened_by: payload.employeeId,
      opening_float: payload.openingFloat,
      float_count: payload.floatCount === null ? null : JSON.stringify(payload.floatCount),
      open_approval_id: payload.approvalId,
    })
    // A second open under the id of a shift the org already has changes nothing: the first one is the shift.
    .onConflict((conflict) => conflict.columns(['org_id', 'shift_id']).doNothing())
    .execute();
}

/**
 * Adds a flush's figures to its shift. A voided sale leaves `sales` (count and total) and shows under `voids` only,
 * as in the till's X/Z report (ledger shift-report.ts), so HQ and the till's paper say the same.
 */
async function applyDelta(db: Kysely<Database>, delta: Delta) {
  let voidsTotal = 0;
  let voidedSales = 0;
  if (delta.voided.length > 0) {
    const sales = await db
      .selectFrom('events')
      .select('body')
      .where('org_id', '=', delta.principal.orgId)
      .where('terminal_id', '=', delta.principal.terminalId)
      .where('type', '=', 'sale')
      .where('event_id', 'in', delta.voided)
      .execute();
    for (const row of sales) {
      const sale = upcastJournalEvent(JSON.parse(row.body) as JournalEvent);
      if (sale.type !== 'sale') continue;
      voidsTotal += sale.payload.total;
      voidedSales += 1;
    }
  }
  await db
    .updateTable('shifts')
    .set((eb) => ({
      sales_count: eb('sales_count', '+', delta.sales - voidedSales),
      sales_total: eb('sales_total', '+', delta.salesTotal - voidsTotal),
      training_sales_count: eb('training_sales_count', '+', delta.trainingSales),
      voids_count: eb('voids_count', '+', delta.voids),
      voids_total: eb('voids_total', '+', voidsTotal),
      no_sales: eb('no_sales', '+', delta.noSales),
      events_count: eb('events_count', '+', delta.events),
    }))
    .where('org_id', '=', delta.principal.orgId)
    .where('shift_id', '=', delta.shiftId)
    .where('terminal_id', '=', delta.principal.terminalId)
    .execute();
}

async function applyClose(db: Kysely<Database>, { principal, event }: StoredForShift) {
  if (event.type !== 'shift-close') return;
  const { payload } = event;
  await db
    .updateTable('shifts')
    .set({
      close_event_id: event.eventId,
      closed_at: new Date(event.occurredAt).toISOString(),
      closed_by: payload.employeeId,
      expected: JSON.stringify(payload.expected),
      counted: JSON.stringify(payload.counted),
      over_short: JSON.stringify(payload.overShort),
      cash_count: payload.cashCount === null ? null : JSON.stringify(payload.cashCount),
      blind: payload.blind ? 1 : 0,
      close_approval_id: payload.approvalId,
    })
    .where('org_id', '=', principal.orgId)
    .where('shift_id', '=', payload.shiftId)
    .where('terminal_id', '=', principal.terminalId)
    // The first close is the shift's: a second one (a till bug) is kept as an event, never over the first.
    .where('close_event_id', 'is', null)
    .execute();
}
