/**
 * Delivering one job over a printer link and naming its outcome (errors.ts PrintOutcome):
 *   not-sent          no byte of it was handed to the link (the link was down before its first write)
 *   partial           writing started but the link failed or closed before the printer confirmed; a failed first
 *                     write counts, since some of its bytes may have reached the printer (never resent on its own)
 *   sent-unconfirmed  every byte was written but the DLE EOT 1 sent after it got no answer in time
 *   confirmed         the printer answered the DLE EOT 1 sent after the job, so it received every byte. If that
 *                     answer says offline (paper out, cover open) the job waits in the printer and the result
 *                     carries an E_OFFLINE error.
 * A reset or closed link therefore never yields 'confirmed'. Nothing is resent automatically.
 */
import { DeviceError } from '../errors.js';
import { toDeviceError } from '../model/device.js';
import { decodePrinterStatus } from './escpos-status.js';
import type { PrintJobResult } from './print-job.js';
import type { QueuedJob } from './printer-job-queue.js';

/** The link the job goes out on, as seen from one delivery. */
export interface DeliveryLink {
  /** Write in chunks of this many bytes (each drained before the next). */
  chunkSize: number;
  /** True once the link this delivery started on is gone (even if another one replaced it). */
  lost(): boolean;
  write(bytes: Uint8Array): Promise<void>;
  /** Send DLE EOT 1 and answer its byte (rejects E_TIMEOUT when no answer comes in time). */
  confirm(): Promise<number>;
}

/** The result for a job that could not start because the link is down. */
export function linkDownResult(job: QueuedJob): PrintJobResult {
  const error = new DeviceError('E_OFFLINE', 'printer link is down; nothing was sent', true);
  return { jobId: job.jobId, outcome: 'not-sent', copy: job.copy, error };
}

export async function deliverJob(job: QueuedJob, link: DeliveryLink): Promise<PrintJobResult> {
  const { jobId, copy, bytes } = job;
  let started = false;
  try {
    for (let offset = 0; offset < bytes.length; offset += link.chunkSize) {
      if (link.lost()) throw new DeviceError('E_FAILURE', 'printer link lost while sending', false);
      started = true;
      await link.write(bytes.subarray(offset, offset + link.chunkSize));
    }
  } catch (thrown) {
    const error = toDeviceError(thrown, 'E_FAILURE', 'sending the job failed');
    return started
      ? { jobId, outcome: 'partial', copy, error: notRetryable(error, 'the job may be partly printed') }
      : { jobId, outcome: 'not-sent', copy, error };
  }
  let answer: number;
  try {
    answer = await link.confirm();
  } catch (thrown) {
    const error = toDeviceError(thrown, 'E_FAILURE', 'confirming the job failed');
    if (error.code === 'E_TIMEOUT') return { jobId, outcome: 'sent-unconfirmed', copy, error };
    return {
      jobId,
      outcome: 'partial',
      copy,
      error: notRetryable(error, 'the link broke before confirmation'),
    };
  }
  const status = decodePrinterStatus(answer);
  if (status.online) return { jobId, outcome: 'confirmed', copy, status };
  const error = new DeviceError(
    'E_OFFLINE',
    'printer received the job but reports offline (paper out, cover open or error); it prints on recovery',
    false,
    { status: status.bytes },
  );
  return { jobId, outcome: 'confirmed', copy, status, error };
}

/** A job that may be partly printed must not be resent automatically (only reprinted as COPY by a person). */
function notRetryable(error: DeviceError, why: string): DeviceError {
  if (!error.retryable) return error;
  return new DeviceError(
    error.code === 'E_OFFLINE' ? 'E_FAILURE' : error.code,
    `${error.message} (${why})`,
    false,
    error.details,
    {
      cause: error,
    },
  );
}
