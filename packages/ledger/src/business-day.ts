import { type BusinessDayOptions, businessDayBounds } from '@tillwright/commerce';
import {
  type JournalEvent,
  type LatestJournalEvent,
  type LatestSaleEvent,
  type TenderKind,
  upcastJournalEvent,
} from '@tillwright/protocol';

export type { TenderKind };
export const TENDER_KINDS: readonly TenderKind[] = ['cash', 'card', 'gift-card', 'store-credit'];

/**
 * One business day's money in a store's time zone: sales, voids and returns that happened within the day's
 * [from, until), whatever shift they were in. A void counts on the day it was rung (taking back its sale's totals
 * and tenders, whichever day the sale was), a return on the day it was refunded.
 */
export interface BusinessDayTotals {
  day: string;
  timeZone: string;
  dayStartHour: number;
  /** The day's first instant and the next day's first instant, ISO UTC: [from, until). */
  from: string;
  until: string;
  sales: { count: number; total: number };
  voids: { count: number; total: number };
  returns: { count: number; total: number };
  /** Sales less voids less returns. */
  net: number;
  /** Per tender: taken on sales (voids deducted), refunded on returns (paid out), and the net. */
  tenders: { kind: TenderKind; taken: number; refunded: number; net: number }[];
}

/**
 * Totals of one business day from journal events at any version (read through their latest), pure: the till's ledger feeds it its own journal, HQ can feed it
 * a store's events. Events outside the day are ignored; `voidedSale` finds the sale a void names when it is not
 * among `events` (a sale of the day before).
 */
export function summariseBusinessDay(
  events: Iterable<JournalEvent | LatestJournalEvent>,
  day: string,
  timeZone: string,
  options: BusinessDayOptions & { voidedSale?: (saleId: string) => LatestSaleEvent | null } = {},
): BusinessDayTotals {
  const bounds = businessDayBounds(day, timeZone, options);
  const totals: BusinessDayTotals = {
    day,
    timeZone,
    dayStartHour: options.dayStartHour ?? 0,
    from: new Date(bounds.start).toISOString(),
    until: new Date(bounds.end).toISOString(),
    sales: { count: 0, total: 0 },
    voids: { count: 0, total: 0 },
    returns: { count: 0, total: 0 },
    net: 0,
    tenders: TENDER_KINDS.map((kind) => ({ kind, taken: 0, refunded: 0, net: 0 })),
  };
  const tender = (kind: TenderKind) => totals.tenders.find((t) => t.kind === kind)!;
  const sales = new Map<string, LatestSaleEvent>();
  const inDay: LatestJournalEvent[] = [];
  for (const written of events) {
    const event = upcastJournalEvent(written);
    if (event.type === 'sale') sales.set(event.eventId, event);
    const at = Date.parse(event.occurredAt);
    if (at >= bounds.start && at < bounds.end) inDay.push(event);
  }
  for (const event of inDay) {
    if (event.type === 'sale') {
      totals.sales.count += 1;
      totals.sales.total += event.payload.total;
      for (const t of event.payload.tenders) tender(t.kind).taken += t.amount;
    } else if (event.type === 'void') {
      const id = event.payload.voidedEventId;
      const voided = sales.get(id) ?? options.voidedSale?.(id) ?? null;
      if (!voided) continue;
      totals.voids.count += 1;
      totals.voids.total += voided.payload.total;
      for (const t of voided.payload.tenders) tender(t.kind).taken -= t.amount;
    } else if (event.type === 'return') {
      totals.returns.count += 1;
      totals.returns.total += event.payload.total;
      for (const refund of event.payload.refunds) tender(refund.kind).refunded += refund.paidOut;
    }
  }
  totals.net = totals.sales.total - totals.voids.total - totals.returns.total;
  for (const t of totals.tenders) t.net = t.taken - t.refunded;
  return totals;
}
