import type { LatestJournalEvent, LatestSaleEvent, ShiftReport } from '@tillwright/protocol';
import { TENDER_KINDS, type TenderKind } from './business-day.js';

/**
 * The X or Z report of one shift from its events, in journal order from its `shift-open` (to its `shift-close`, if
 * closed): pure, so the ledger feeds it its own journal. Only `sale` counts as a sale: a `training-sale` never does.
 * A voided sale leaves `sales`, the taxes and the tenders, and shows under `voids`. Null when the first event is not
 * a `shift-open`.
 */
export function summariseShift(events: readonly LatestJournalEvent[]): ShiftReport | null {
  const open = events[0];
  if (open?.type !== 'shift-open') return null;
  const report: ShiftReport = {
    shiftId: open.payload.shiftId,
    openedBy: open.payload.employeeId,
    closedBy: null,
    currency: open.payload.currency,
    openedAt: open.occurredAt,
    closedAt: null,
    floatCount: open.payload.floatCount,
    sales: { count: 0, subtotal: 0, discountTotal: 0, taxTotal: 0, total: 0 },
    returns: { count: 0, total: 0 },
    voids: { count: 0, total: 0 },
    noSales: 0,
    taxes: [],
    tenders: TENDER_KINDS.map((kind) => ({ kind, taken: 0, refunded: 0, net: 0 })),
    cash: {
      openingFloat: open.payload.openingFloat,
      sales: 0,
      refunds: 0,
      paidIn: 0,
      paidOut: 0,
      drops: 0,
      expected: 0,
    },
    movements: [],
    close: null,
  };
  const taxes = new Map<string, number>();
  const addTax = (code: string, amount: number) => taxes.set(code, (taxes.get(code) ?? 0) + amount);
  const tender = (kind: TenderKind) => report.tenders.find((t) => t.kind === kind)!;
  const sales = new Map<string, LatestSaleEvent>();
  // A void takes its sale out of everything the sale put in: `sales`, taxes and tenders (then counted in `voids`).
  const applySale = (sale: LatestSaleEvent, sign: 1 | -1) => {
    report.sales.count += sign;
    report.sales.subtotal += sign * sale.payload.subtotal;
    report.sales.discountTotal += sign * sale.payload.discountTotal;
    report.sales.taxTotal += sign * sale.payload.taxTotal;
    report.sales.total += sign * sale.payload.total;
    for (const tax of sale.payload.taxes) addTax(tax.code, sign * tax.tax);
    for (const t of sale.payload.tenders) {
      tender(t.kind).taken += sign * t.amount;
      if (t.kind === 'cash') report.cash.sales += sign * t.amount;
    }
  };
  for (const event of events) {
    switch (event.type) {
      case 'sale':
        sales.set(event.eventId, event);
        applySale(event, 1);
        break;
      case 'void': {
        const voided = sales.get(event.payload.voidedEventId);
        if (!voided) break;
        report.voids.count += 1;
        report.voids.total += voided.payload.total;
        applySale(voided, -1);
        break;
      }
      case 'return':
        report.returns.count += 1;
        report.returns.total += event.payload.total;
        for (const tax of event.payload.taxes) addTax(tax.code, -tax.amount);
        for (const refund of event.payload.refunds) {
          tender(refund.kind).refunded += refund.paidOut;
          if (refund.kind === 'cash') report.cash.refunds += refund.paidOut;
        }
        break;
      case 'no-sale':
        report.noSales += 1;
        break;
      case 'paid-in':
      case 'paid-out':
      case 'cash-drop': {
        const { amount, reason, employeeId, approvalId } = event.payload;
        if (event.type === 'paid-in') report.cash.paidIn += amount;
        else if (event.type === 'paid-out') report.cash.paidOut += amount;
        else report.cash.drops += amount;
        report.movements.push({
          eventId: event.eventId,
          type: event.type,
          amount,
          reason,
          employeeId,
          approvalId,
          occurredAt: event.occurredAt,
        });
        break;
      }
      case 'shift-close':
        report.closedAt = event.occurredAt;
        report.closedBy = event.payload.employeeId;
        report.close = {
          counted: event.payload.counted,
          expected: event.payload.expected,
          overShort: event.payload.overShort,
          cashCount: event.payload.cashCount,
          blind: event.payload.blind,
        };
        break;
      case 'shift-open':
      case 'price-override':
      case 'manager-approval':
      case 'employee-signed-in':
      case 'employee-signed-out':
      case 'employee-locked-out':
      case 'employee-unlocked':
      // Training is never counted: no money changed hands.
      case 'training-sale':
      case 'training-mode':
        break;
      default: {
        const unreachable: never = event;
        throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }
  for (const t of report.tenders) t.net = t.taken - t.refunded;
  const cash = report.cash;
  cash.expected = cash.openingFloat + cash.sales - cash.refunds + cash.paidIn - cash.paidOut - cash.drops;
  report.taxes = [...taxes].map(([code, amount]) => ({ code, amount }));
  return report;
}
