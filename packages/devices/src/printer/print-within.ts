import type { PrinterDevice } from './printer-device.js';

/**
 * How long a job may wait in the printer's queue before it is withdrawn. The queue holds jobs while the printer
 * reconnects; at a till, a receipt or a kick that has not started within this time must not come out minutes
 * later for another customer, and the cashier must not wait on it.
 */
export const JOB_START_DEADLINE_MS = 8_000;

/** Prints, but withdraws the job (not-sent) if it is still waiting in the queue after `deadlineMs`. */
export async function printWithin(
  printer: PrinterDevice,
  job: Parameters<PrinterDevice['submit']>[0],
  deadlineMs: number,
): Promise<Awaited<ReturnType<PrinterDevice['print']>>> {
  const ticket = printer.submit(job);
  const timer = setTimeout(() => printer.cancel(ticket.jobId), deadlineMs);
  timer.unref();
  try {
    return await ticket.done;
  } finally {
    clearTimeout(timer);
  }
}
