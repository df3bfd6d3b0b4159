/**
 * A receipt as data: a list of blocks that any printer profile can lay out. The encoder turns it into ESC/POS
 * bytes; nothing here knows about bytes.
 */
import type { CodePageName } from './codepages.js';

export type TextAlign = 'left' | 'center' | 'right';
export type TextSize = 'normal' | 'double';

export type ReceiptBlock =
  /** Wrapped at word boundaries to the printable width (half the columns when `size` is 'double'). */
  | { kind: 'text'; text: string; align?: TextAlign; bold?: boolean; size?: TextSize }
  /** One line: `left` flush left, `right` flush right; `left` is truncated if both do not fit. */
  | { kind: 'columns'; left: string; right: string; bold?: boolean }
  /** A full-width line of '-'. */
  | { kind: 'rule' }
  /** A QR code (model 2), centred; falls back to the data as centred text when the profile has no QR. */
  | { kind: 'qr'; data: string }
  /** Blank lines, 0–255. */
  | { kind: 'feed'; lines: number }
  /** Feed the paper past the cutter and cut partially. */
  | { kind: 'cut' };

export interface ReceiptDocument {
  blocks: ReceiptBlock[];
}

/** The code page the printer is switched to with `ESC t n`; `number` is the model's own n for that page. */
export interface CodePageSelection {
  readonly name: CodePageName;
  readonly number: number;
}

export interface PrinterProfile {
  readonly id: string;
  /** Characters per line in font A at normal size. */
  readonly columns: number;
  readonly codepage: CodePageSelection;
  readonly supportsQr: boolean;
  /** QR module size in dots, 1–16 (GS ( k fn 67). */
  readonly qrModuleSize: number;
  /** Lines fed before the cut so the last printed line clears the cutter (ESC d n). */
  readonly feedBeforeCut: number;
}

/**
 * Epson numbering for `ESC t n` (TM-T88 family and most clones that follow it). Other vendors number the same
 * pages differently, which is why a profile carries the number rather than the decoder guessing it.
 */
export const EPSON_CODE_PAGE_NUMBERS: Readonly<Record<number, CodePageName>> = Object.freeze({
  0: 'cp437',
  19: 'cp858',
});

/** 80 mm paper, font A: 48 columns (Epson TM-T20/T88 class). CP858 so that € and Western accents print. */
export const PROFILE_80MM: PrinterProfile = Object.freeze({
  id: 'escpos-80mm',
  columns: 48,
  codepage: Object.freeze({ name: 'cp858', number: 19 }),
  supportsQr: true,
  qrModuleSize: 6,
  feedBeforeCut: 4,
});

/** 58 mm paper, font A: 32 columns (common 58 mm clones, e.g. POS-5890 class). */
export const PROFILE_58MM: PrinterProfile = Object.freeze({
  id: 'escpos-58mm',
  columns: 32,
  codepage: Object.freeze({ name: 'cp858', number: 19 }),
  supportsQr: true,
  qrModuleSize: 4,
  feedBeforeCut: 3,
});

export const PRINTER_PROFILES: readonly PrinterProfile[] = Object.freeze([PROFILE_80MM, PROFILE_58MM]);
