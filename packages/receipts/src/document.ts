/**
 * A receipt as data: a list of blocks that any printer can lay out. The layouts produce it; the devices package's
 * ESC/POS encoder turns it into bytes for a printer profile. Nothing here knows about bytes or code pages: text
 * is Unicode, and the printer's profile chooses the code pages that print it.
 */

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
  /** A QR code (model 2), centred; falls back to the data as centred text when the printer has no QR. */
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
