import type { ReceiptDocument } from '@tillwright/receipts';
import type { CompletedSale } from '../contract/methods.js';
import type { SaleDevices } from './devices.js';

export type PrintOutcome = CompletedSale['receipt'];

/**
 * Prints one document on the till's receipt printer ('skipped' when the till has none). What went wrong goes to the
 * log; the outcome goes to the screen, which tells the cashier whether to look at the printer.
 */
export async function printOnce(
  devices: SaleDevices | null,
  jobId: string,
  document: () => ReceiptDocument,
  log: (message: string) => void,
): Promise<PrintOutcome> {
  if (!devices) return 'skipped';
  const result = await devices.printReceipt(jobId, document());
  if (result.error) log(`${jobId}: ${result.outcome}: ${result.error}`);
  return result.outcome;
}

/**
 * Kicks the drawer exactly once ('skipped' when the till has none), never again whatever became of the kick: one
 * whose fate is unknown may already have opened it. Called only after the event it is for was journaled.
 */
export async function kickOnce(
  devices: SaleDevices | null,
  eventId: string,
  what: string,
  log: (message: string) => void,
): Promise<PrintOutcome> {
  if (!devices) return 'skipped';
  const kick = await devices.openDrawer(`drawer-${eventId}`, `${what} ${eventId}`);
  if (kick.error) log(`drawer for ${what} ${eventId}: ${kick.outcome}: ${kick.error}`);
  return kick.outcome;
}
