/**
 * A print job as the queue sees it: an id, the bytes (or a document to encode with the printer's profile), and
 * whether it is a reprint. A reprint always carries a "*** COPY ***" banner at the top, so a customer can never
 * hold two originals of one receipt.
 */

import { COPY_BANNER, type ReceiptBlock, type ReceiptDocument } from '@tillwright/receipts';
import { DeviceError, type PrintOutcome } from '../errors.js';
import { ESC, LF } from './escpos-commands.js';
import { encodeReceipt } from './escpos-encoder.js';
import type { PrinterStatus } from './escpos-status.js';
import type { PrinterProfile } from './profiles.js';

/** The reprint banner, the receipts package's (the layouts print it on a reprinted receipt too). */
export const COPY_BANNER_TEXT = COPY_BANNER;

export interface PrintJob {
  /** Stable across a reprint so the journal can tie them together; generated when absent. */
  id?: string;
  /** A document, encoded with the printer's profile. Exactly one of `document` and `bytes`. */
  document?: ReceiptDocument;
  /** Ready ESC/POS bytes (copied at submit time). */
  bytes?: Uint8Array;
  /** A reprint: the job is printed with a COPY banner first. */
  copy?: boolean;
}

export interface PrintJobResult {
  jobId: string;
  outcome: PrintOutcome;
  copy: boolean;
  error?: DeviceError;
  /** Present when confirmed: the printer's answer to the DLE EOT 1 sent after the job. */
  status?: PrinterStatus;
}

/** The COPY banner as a receipt block (centred, bold, double size). */
export function copyBannerBlock(): ReceiptBlock {
  return { kind: 'text', text: COPY_BANNER_TEXT, align: 'center', bold: true, size: 'double' };
}

/** A document with the COPY banner prepended (the input is not changed). */
export function withCopyBanner(document: ReceiptDocument): ReceiptDocument {
  return { ...document, blocks: [copyBannerBlock(), ...document.blocks] };
}

/**
 * The COPY banner as raw ESC/POS for byte jobs: `ESC @`, centred bold "*** COPY ***", LF, then alignment and
 * emphasis back to normal. It goes in front of the job's own bytes (which normally start with their own `ESC @`).
 */
export function copyBannerBytes(): Uint8Array {
  return Uint8Array.from([
    ESC,
    0x40,
    ESC,
    0x61,
    1,
    ESC,
    0x45,
    1,
    ...Buffer.from(COPY_BANNER_TEXT, 'latin1'),
    LF,
    ESC,
    0x45,
    0,
    ESC,
    0x61,
    0,
  ]);
}

/** The bytes a job puts on the wire. Throws DeviceError E_ILLEGAL for a malformed job. */
export function jobBytes(job: PrintJob, profile: PrinterProfile): Uint8Array {
  const hasDocument = job.document !== undefined;
  const hasBytes = job.bytes !== undefined;
  if (hasDocument === hasBytes) {
    throw new DeviceError('E_ILLEGAL', 'a print job needs exactly one of document and bytes', false);
  }
  if (job.document) {
    return encodeReceipt(job.copy ? withCopyBanner(job.document) : job.document, profile);
  }
  const bytes = job.bytes ?? new Uint8Array(0);
  if (bytes.length === 0) throw new DeviceError('E_ILLEGAL', 'a print job must not be empty', false);
  if (!job.copy) return bytes.slice();
  const banner = copyBannerBytes();
  const out = new Uint8Array(banner.length + bytes.length);
  out.set(banner, 0);
  out.set(bytes, banner.length);
  return out;
}
