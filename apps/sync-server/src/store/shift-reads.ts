import { type JournalEvent, upcastJournalEvent } from '@tillwright/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';

/** A filter and page of the org's shifts, oldest opened first (`after`: the last `offset` of the previous page). */
export interface ShiftQuery {
  storeId?: string | undefined;
  terminalId?: string | undefined;
  state?: 'open' | 'closed' | undefined;
  after: number;
  limit: number;
}

type TenderAmount = { kind: string; amount: number };
type DenominationCount = { value: number; count: number };

/** One shift as HQ sees it (the shifts projection): amounts in minor units of `currency`. */
export interface ShiftView {
  /** The stream offset of its shift-open event: the list's order and cursor. */
  offset: number;
  shiftId: string;
  storeId: string;
  terminalId: string;
  currency: string;
  state: 'open' | 'closed';
  openedAt: string;
  openedBy: string;
  openingFloat: number;
  /** The float counted by denomination; null on a shift opened before counts were recorded. */
  floatCount: DenominationCount[] | null;
  openApprovalId: string | null;
  closedAt: string | null;
  closedBy: string | null;
  /** Counted before the expected figures were shown; null while open. */
  blind: boolean | null;
  expected: TenderAmount[] | null;
  counted: TenderAmount[] | null;
  /** Counted − expected per tender: positive is over, negative short. */
  overShort: TenderAmount[] | null;
  cashCount: DenominationCount[] | null;
  closeApprovalId: string | null;
  /**
   * Sales rung in the shift and not voided (a voided sale is under `voids` only, as on the till's X/Z report);
   * training sales never among them (counted apart, in `trainingSales`).
   */
  sales: { count: number; total: number };
  trainingSales: { count: number };
  /** Post-voids in the shift, and the totals of the sales they voided. */
  voids: { count: number; total: number };
  noSales: number;
  /** Every stored event that names the shift, its open and close included. */
  events: number;
}

/** A cash drop, paid-in or paid-out of a shift. */
export interface ShiftMovement {
  eventId: string;
  type: 'cash-drop' | 'paid-in' | 'paid-out';
  amount: number;
  reason: string;
  employeeId: string;
  approvalId: string | null;
  at: string;
}

export interface ShiftDetail extends ShiftView {
  movements: ShiftMovement[];
}

const MOVEMENT_TYPES = ['cash-drop', 'paid-in', 'paid-out'] as const;

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

function toShiftView(row: Selectable<Database['shifts']>): ShiftView {
  return {
    offset: row.open_offset,
    shiftId: row.shift_id,
    storeId: row.store_id,
    terminalId: row.terminal_id,
    currency: row.currency,
    state: row.close_event_id === null ? 'open' : 'closed',
    openedAt: row.opened_at,
    openedBy: row.opened_by,
    openingFloat: row.opening_float,
    floatCount: json(row.float_count),
    openApprovalId: row.open_approval_id,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    blind: row.blind === null ? null : row.blind === 1,
    expected: json(row.expected),
    counted: json(row.counted),
    overShort: json(row.over_short),
    cashCount: json(row.cash_count),
    closeApprovalId: row.close_approval_id,
    sales: { count: row.sales_count, total: row.sales_total },
    trainingSales: { count: row.training_sales_count },
    voids: { count: row.voids_count, total: row.voids_total },
    noSales: row.no_sales,
    events: row.events_count,
  };
}

/** HQ's reads of shifts, always of one org: another org's shift is never found. */
export function shiftReadQueries(db: Kysely<Database>) {
  return {
    async list(orgId: string, query: ShiftQuery): Promise<ShiftView[]> {
      const rows = await db
        .selectFrom('shifts')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('open_offset', '>', query.after)
        .$if(query.storeId !== undefined, (q) => q.where('store_id', '=', query.storeId!))
        .$if(query.terminalId !== undefined, (q) => q.where('terminal_id', '=', query.terminalId!))
        .$if(query.state === 'open', (q) => q.where('close_event_id', 'is', null))
        .$if(query.state === 'closed', (q) => q.where('close_event_id', 'is not', null))
        .orderBy('open_offset')
        .limit(query.limit)
        .execute();
      return rows.map(toShiftView);
    },

    async one(orgId: string, shiftId: string): Promise<ShiftDetail | null> {
      const row = await db
        .selectFrom('shifts')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('shift_id', '=', shiftId)
        .executeTakeFirst();
      if (!row) return null;
      const bodies = await db
        .selectFrom('events')
        .select('body')
        .where('org_id', '=', orgId)
        .where('shift_id', '=', shiftId)
        .where('terminal_id', '=', row.terminal_id)
        .where('type', 'in', MOVEMENT_TYPES)
        .orderBy('stream_offset')
        .execute();
      const movements: ShiftMovement[] = [];
      for (const { body } of bodies) {
        const event = upcastJournalEvent(JSON.parse(body) as JournalEvent);
        if (event.type !== 'cash-drop' && event.type !== 'paid-in' && event.type !== 'paid-out') continue;
        const { amount, reason, employeeId, approvalId } = event.payload;
        movements.push({
          eventId: event.eventId,
          type: event.type,
          amount,
          reason,
          employeeId,
          approvalId,
          at: new Date(event.occurredAt).toISOString(),
        });
      }
      return { ...toShiftView(row), movements };
    },
  };
}
