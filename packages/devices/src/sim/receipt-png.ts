/**
 * Renders a decoded receipt (what the ESC/POS decoder saw printed) into a PNG, the way the paper would look: text
 * in font A cells (12 × 24 dots) drawn with the built-in 5×7 font at 2× (double-size lines at 4×), bold as a
 * one-dot overstrike, QR codes regenerated from the decoded GS ( k data with the printed module size, raster
 * images dot for dot. The PNG is 1-bit greyscale, exactly the printer's width in dots (576 for 80 mm, 384 for
 * 58 mm), written by hand: signature, IHDR, IDAT (node:zlib deflate), IEND, each with its CRC-32. The same
 * receipt always gives the same bytes.
 */
import { deflateSync } from 'node:zlib';
import type { TextAlign } from '@tillwright/receipts';
import QRCode from 'qrcode';
import type { DecodedImage, DecodedItem, DecodedLine, DecodedReceipt } from '../printer/receipt-assembler.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphFor } from './bitmap-font.js';

export interface ReceiptRenderOptions {
  /** Printable width in dots: the PNG's width (PrinterProfile.dotsPerLine). */
  dotsPerLine: number;
  /** Characters per line in font A (PrinterProfile.columns); sets the cell width. */
  columns: number;
  /** Blank paper above and below the print, in dots. Default 24. */
  marginDots?: number;
}

/** A 1-bit picture: `bits` row-major, 1 = black dot. */
export interface Bitmap {
  width: number;
  height: number;
  bits: Uint8Array;
}

const LINE_HEIGHT = 30; // ESC/POS default line spacing (1/6 inch at 180 dpi)
const GLYPH_SCALE = 2;
const GLYPH_TOP = 5;

export function renderReceiptBitmap(receipt: DecodedReceipt, options: ReceiptRenderOptions): Bitmap {
  const width = options.dotsPerLine;
  if (!Number.isInteger(width) || width < 8 || !Number.isInteger(options.columns) || options.columns < 1) {
    throw new RangeError('dotsPerLine and columns must be positive integers');
  }
  const cellWidth = Math.max(6, Math.floor(width / options.columns));
  const margin = options.marginDots ?? 24;
  const qrs = new Map<DecodedItem, Bitmap>();
  let height = margin * 2;
  for (const item of receipt.items) {
    if (item.kind === 'qr') {
      const qr = qrBitmap(item.data, item.moduleSize);
      qrs.set(item, qr);
      height += qr.height + item.moduleSize * 4;
    } else height += itemHeight(item);
  }
  if (receipt.cut) height += LINE_HEIGHT;
  const canvas: Bitmap = { width, height, bits: new Uint8Array(width * height) };
  let y = margin;
  for (const item of receipt.items) {
    switch (item.kind) {
      case 'line':
        drawLine(canvas, item.line, y, cellWidth);
        break;
      case 'qr': {
        const qr = qrs.get(item) as Bitmap;
        blit(canvas, qr, alignX(width, qr.width, item.align), y + item.moduleSize * 2);
        y += qr.height + item.moduleSize * 4;
        continue;
      }
      case 'image':
        blit(canvas, item.image, alignX(width, item.image.width, item.image.align), y);
        break;
    }
    y += itemHeight(item);
  }
  if (receipt.cut) {
    // The cut: a dashed line across the paper.
    const cutY = y + Math.floor(LINE_HEIGHT / 2);
    for (let x = 0; x < width; x++) if (x % 12 < 6) setDot(canvas, x, cutY);
  }
  return canvas;
}

/** The receipt as PNG bytes (1-bit greyscale, width = dotsPerLine). */
export function renderReceiptPng(receipt: DecodedReceipt, options: ReceiptRenderOptions): Uint8Array {
  return encodePng(renderReceiptBitmap(receipt, options));
}

function itemHeight(item: DecodedItem): number {
  switch (item.kind) {
    case 'line':
      return LINE_HEIGHT * item.line.heightScale;
    case 'image':
      return item.image.height;
    case 'qr':
      return 0; // measured from its bitmap
  }
}

function alignX(width: number, itemWidth: number, align: TextAlign): number {
  if (align === 'center') return Math.max(0, Math.floor((width - itemWidth) / 2));
  if (align === 'right') return Math.max(0, width - itemWidth);
  return 0;
}

function drawLine(canvas: Bitmap, line: DecodedLine, top: number, cellWidth: number): void {
  // Each character takes its own width (alignment padding is usually printed at single width before a
  // double-size title); a line aligned with ESC a is placed by its printed width without its outer spaces.
  let chars = Array.from(line.text);
  let widths = chars.map((_, i) => line.cellWidths?.[i] ?? line.widthScale);
  if (line.align !== 'left') {
    const first = chars.findIndex((ch) => ch !== ' ');
    chars = first < 0 ? [] : chars.slice(first);
    widths = first < 0 ? [] : widths.slice(first);
  }
  const total = widths.reduce((sum, w) => sum + w * cellWidth, 0);
  let x = alignX(canvas.width, total, line.align);
  const sy = GLYPH_SCALE * line.heightScale;
  const glyphTop = top + GLYPH_TOP * line.heightScale;
  chars.forEach((ch, i) => {
    const scale = widths[i] ?? 1;
    const cw = cellWidth * scale;
    const left = x + Math.max(0, Math.floor((cw - GLYPH_WIDTH * GLYPH_SCALE * scale) / 2));
    x += cw;
    if (ch === ' ') return;
    const sx = GLYPH_SCALE * scale;
    const { rows, accent } = glyphFor(ch);
    for (let r = 0; r < GLYPH_HEIGHT; r++) {
      const row = rows[r] ?? 0;
      for (let c = 0; c < GLYPH_WIDTH; c++) {
        if (((row >> (GLYPH_WIDTH - 1 - c)) & 1) === 0) continue;
        fillRect(canvas, left + c * sx, glyphTop + r * sy, sx + (line.bold ? 1 : 0), sy);
      }
    }
    if (accent)
      fillRect(canvas, left + 2 * sx - 1, glyphTop - 2 * line.heightScale - 2, sx + 2, line.heightScale + 1);
  });
}

function qrBitmap(data: string, moduleSize: number): Bitmap {
  const matrix = QRCode.create(data, { errorCorrectionLevel: 'M' }).modules;
  const size = matrix.size * moduleSize;
  const bitmap: Bitmap = { width: size, height: size, bits: new Uint8Array(size * size) };
  for (let r = 0; r < matrix.size; r++) {
    for (let c = 0; c < matrix.size; c++) {
      if (matrix.get(r, c)) fillRect(bitmap, c * moduleSize, r * moduleSize, moduleSize, moduleSize);
    }
  }
  return bitmap;
}

function blit(canvas: Bitmap, image: Bitmap | DecodedImage, x0: number, y0: number): void {
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.bits[y * image.width + x]) setDot(canvas, x0 + x, y0 + y);
    }
  }
}

function fillRect(canvas: Bitmap, x0: number, y0: number, w: number, h: number): void {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) setDot(canvas, x, y);
}

function setDot(canvas: Bitmap, x: number, y: number): void {
  if (x >= 0 && y >= 0 && x < canvas.width && y < canvas.height) canvas.bits[y * canvas.width + x] = 1;
}

// ── PNG ─────────────────────────────────────────────────────────────────────────────────────────────────────────

export const PNG_SIGNATURE: Uint8Array = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309 / ITU-T V.42, the PNG and zlib polynomial 0xEDB88320, reflected). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (CRC_TABLE[(c ^ (bytes[i] ?? 0)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A 1-bit greyscale PNG of `bitmap` (black dots black, paper white). */
export function encodePng(bitmap: Bitmap): Uint8Array {
  const { width, height, bits } = bitmap;
  const stride = Math.ceil(width / 8);
  const raw = new Uint8Array((stride + 1) * height); // each row: filter type 0, then the packed dots
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    for (let x = 0; x < width; x++) {
      if (!bits[y * width + x]) raw[row + 1 + (x >> 3)]! |= 0x80 >> (x & 7); // 1 = white in greyscale
    }
    for (let x = width; x < stride * 8; x++) raw[row + 1 + (x >> 3)]! |= 0x80 >> (x & 7);
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, colour type 0 (greyscale), deflate, adaptive filter, no interlace
  const idat = new Uint8Array(deflateSync(raw, { level: 9 }));
  return concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
