import { CashCountError, countTotal, formatLocalIso } from '@tillwright/commerce';
import type { LedgerReader } from '@tillwright/ledger';
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
  const open = ledger.projections.openShift();
  if (!open) return null;
  const { shiftId, openedAt, openedBy, currency, openingFloat } = open;
  return { shiftId, openedAt, openedBy, currency, openingFloat };
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
