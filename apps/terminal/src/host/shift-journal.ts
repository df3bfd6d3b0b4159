import { CashCountError, countTotal, formatLocalIso } from '@tillwright/commerce';
import type { LedgerReader } from '@tillwright/ledger';
import { type LatestEvent, upcastJournalEvent } from '@tillwright/protocol';
import { HostError } from './rpc-dispatcher.js';

/** The till's open shift as the journal's `shift-open` recorded it. */
export interface OpenShift {
  shiftId: string;
  openedAt: string;
  /** The employee who opened it. */
  openedBy: string;
  currency: string;
  openingFloat: number;
}

/** The open shift, from the journal alone: what a restart after a power loss resumes. */
export function openShift(ledger: LedgerReader): OpenShift | null {
  const ref = ledger.projections.openShift();
  const written = ref && ledger.journal.bySeq(ref.epoch, ref.openSeq);
  if (!written) return null;
  const open = upcastJournalEvent(written);
  if (open.type !== 'shift-open') return null;
  const { shiftId, employeeId, currency, openingFloat } = open.payload;
  return { shiftId, openedAt: open.occurredAt, openedBy: employeeId, currency, openingFloat };
}

/** An employee's name as the screen and the slips show it; the id when the feed no longer knows them. */
export function employeeName(ledger: LedgerReader, employeeId: string): string {
  return ledger.feed.employee(employeeId)?.displayName ?? employeeId;
}

/** An instant as the store's wall clock, to the minute: "2026-11-25 13:00". */
export function storeTime(instant: string, timeZone: string): string {
  return formatLocalIso(instant, timeZone).slice(0, 16).replace('T', ' ');
}

/** The total of a cash count by denomination; a count that cannot be totalled is refused in words (`what` …). */
export function cashCountTotal(
  currency: string,
  counts: readonly { value: number; count: number }[],
  what: string,
): number {
  try {
    return countTotal(currency, counts);
  } catch (error) {
    if (error instanceof CashCountError) throw new HostError(error.code, `${what}: ${error.message}`, false);
    throw error;
  }
}

/** A sale of a shift, and the void that cancelled it, if one did. */
export interface ShiftSale {
  sale: LatestEvent<'sale'>;
  voided: { eventId: string; occurredAt: string } | null;
}

/** A shift's sales, latest first, at most `limit`, each with its void if it was voided. */
export function shiftSales(ledger: LedgerReader, shiftId: string, limit: number): ShiftSale[] {
  const shift = ledger.projections.shifts().find((s) => s.shiftId === shiftId);
  if (!shift) return [];
  const sales: ShiftSale[] = [];
  const last = shift.closeSeq ?? ledger.journal.lastSeq(shift.epoch);
  for (let seq = shift.openSeq; seq <= last; seq++) {
    const written = ledger.journal.bySeq(shift.epoch, seq);
    if (!written) continue;
    const event = upcastJournalEvent(written);
    if (event.type === 'sale') sales.push({ sale: event, voided: null });
    if (event.type === 'void') {
      const voided = sales.find((entry) => entry.sale.eventId === event.payload.voidedEventId);
      if (voided) voided.voided = { eventId: event.eventId, occurredAt: event.occurredAt };
    }
  }
  return sales.reverse().slice(0, limit);
}

/** Whether the last `training-mode` event of the journal turned training on: what a restart resumes. */
export function trainingModeIn(ledger: LedgerReader): boolean {
  const epoch = ledger.journal.identity()?.epoch ?? 0;
  for (let e = epoch; e >= 1; e--) {
    for (let seq = ledger.journal.lastSeq(e); seq >= 1; seq--) {
      const written = ledger.journal.bySeq(e, seq);
      const event = written && upcastJournalEvent(written);
      if (event?.type === 'training-mode') return event.payload.on;
    }
  }
  return false;
}
