/**
 * A receipt as data: a list of blocks that any printer profile can lay out. The encoder turns it into ESC/POS
 * bytes; nothing here knows about bytes. Printer profiles live in profiles.ts (re-exported here).
 */
import type { CodePageName } from './codepages.js';
import { EPSON_CODE_PAGES } from './profiles.js';

export {
  type CodePageProfile,
  type DrawerSupport,
  decoderCodePages,
  EPSON_CODE_PAGES,
  PRINTER_PROFILES,
  PROFILE_58MM,
  PROFILE_80MM,
  type PrinterProfile,
  type StatusSupport,
} from './profiles.js';

export type TextAlign = 'left' | 'center' | 'right';
export type TextSize = 'normal' | 'double';

/** A bitmap: `width` × `height` RGBA pixels, row-major (the shape of a canvas ImageData). */
export interface ReceiptImage {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

export type ReceiptBlock =
  /** Wrapped at word boundaries to the printable width (half the columns when `size` is 'double'). */
  | { kind: 'text'; text: string; align?: TextAlign; bold?: boolean; size?: TextSize }
  /** One line: `left` flush left, `right` flush right; `left` is truncated if both do not fit. */
  | { kind: 'columns'; left: string; right: string; bold?: boolean }
  /** A full-width line of '-'. */
  | { kind: 'rule' }
  /** A QR code (model 2), centred; falls back to the data as centred text when the profile has no QR. */
  | { kind: 'qr'; data: string }
  /** A centred bitmap (a logo), thresholded to black and white; width a multiple of 8, at most the paper. */
  | { kind: 'image'; image: ReceiptImage }
  /** Blank lines, 0–255. */
  | { kind: 'feed'; lines: number }
  /** Feed the paper past the cutter and cut partially. */
  | { kind: 'cut' };

export interface ReceiptDocument {
  blocks: ReceiptBlock[];
}

/** @deprecated kept for callers of the first API; profiles now carry `codepages` (see profiles.ts). */
export interface CodePageSelection {
  readonly name: CodePageName;
  readonly number: number;
}

/** Epson numbering for `ESC t n`, number → page: the decoder's default table. */
export const EPSON_CODE_PAGE_NUMBERS: Readonly<Record<number, CodePageName>> = Object.freeze(
  Object.fromEntries(Object.entries(EPSON_CODE_PAGES).map(([name, n]) => [n, name as CodePageName])),
);
