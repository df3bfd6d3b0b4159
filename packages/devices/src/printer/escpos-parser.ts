/**
 * ESC/POS command framing: reads one command at a position in a byte buffer and returns it as a typed op with
 * its length, or undefined when the buffer ends before the command does. Pure and stateless; the decoder keeps
 * the state (code page, stored QR data, the paper).
 *
 * Understood: printable bytes, LF, CR and NUL (both ignored), ESC @, ESC a, ESC E, ESC !, ESC t, ESC d, ESC p,
 * ESC * (column image), GS !, GS V, GS v 0 (raster image), GS a (ASB enable), GS ( k (QR: fn 65/67/69/80/81),
 * DLE EOT n, DLE DC4 1 m t; and, as no-ops, ESC M/-/3/J/G, ESC 2, FS . and FS &. That covers every byte the
 * receipt-printer-encoder library emits for our blocks. Anything else is an 'error' op with a length to skip,
 * so decoding can carry on.
 */

import type { TextAlign } from '@tillwright/receipts';
import type { EscPosDecodeErrorCode } from '../errors.js';
import {
  CR,
  DC4,
  DLE,
  type DrawerPin,
  EOT,
  ESC,
  FS,
  GS,
  LF,
  type StatusRequestKind,
} from './escpos-commands.js';

export type EscPosOp =
  | { op: 'print'; byte: number }
  | { op: 'line-feed' }
  | { op: 'initialize' }
  | { op: 'align'; align: TextAlign }
  | { op: 'bold'; bold: boolean }
  /** ESC !: bold and size in one command. */
  | { op: 'print-mode'; bold: boolean; widthScale: number; heightScale: number }
  | { op: 'scale'; widthScale: number; heightScale: number }
  | { op: 'code-page'; number: number }
  | { op: 'feed'; lines: number }
  | { op: 'cut' }
  | { op: 'qr-store'; data: Uint8Array }
  | { op: 'qr-print' }
  | { op: 'qr-module-size'; size: number }
  /** GS v 0 / ESC *: a bitmap, 1 bit per dot, MSB first, `bits[y][x]` flattened row-major (1 = black). */
  | { op: 'image'; width: number; height: number; bits: Uint8Array }
  | { op: 'asb-enable'; mask: number }
  | { op: 'drawer-kick'; pin: DrawerPin; realtime: boolean }
  | { op: 'status-request'; kind: StatusRequestKind }
  | { op: 'no-op' }
  | { op: 'error'; code: EscPosDecodeErrorCode; message: string };

export interface ParsedCommand {
  op: EscPosOp;
  length: number;
}

const ALIGNS: readonly TextAlign[] = ['left', 'center', 'right'];
const ONE_PARAM_NO_OPS: ReadonlySet<number> = new Set([0x4d, 0x2d, 0x33, 0x4a, 0x47]); // ESC M - 3 J G
const ESC_ONE_PARAM: ReadonlySet<number> = new Set([0x61, 0x45, 0x21, 0x74, 0x64, ...ONE_PARAM_NO_OPS]);

/** The command starting at `buf[i]`, or undefined when more bytes are needed to frame it. */
export function parseCommand(buf: Uint8Array, i: number): ParsedCommand | undefined {
  const b = buf[i] ?? 0;
  if (b >= 0x20 && b !== 0x7f) return { op: { op: 'print', byte: b }, length: 1 };
  switch (b) {
    case LF:
      return { op: { op: 'line-feed' }, length: 1 };
    case CR:
    case 0x00:
      return { op: { op: 'no-op' }, length: 1 };
    case ESC:
      return parseEsc(buf, i);
    case GS:
      return parseGs(buf, i);
    case DLE:
      return parseDle(buf, i);
    case FS:
      if (!has(buf, i, 2)) return undefined;
      return buf[i + 1] === 0x2e || buf[i + 1] === 0x26
        ? { op: { op: 'no-op' }, length: 2 }
        : unknown(buf, i, 2);
    default:
      return error('unexpected_byte', `unexpected control byte 0x${hex(b)}`, 1);
  }
}

function parseEsc(buf: Uint8Array, i: number): ParsedCommand | undefined {
  if (!has(buf, i, 2)) return undefined;
  const cmd = buf[i + 1] ?? 0;
  if (cmd === 0x40) return { op: { op: 'initialize' }, length: 2 };
  if (cmd === 0x32) return { op: { op: 'no-op' }, length: 2 }; // ESC 2: default line spacing
  if (cmd === 0x70) {
    if (!has(buf, i, 5)) return undefined;
    const m = buf[i + 2] ?? 0;
    const pin = m >= 0x30 ? m - 0x30 : m;
    if (pin !== 0 && pin !== 1) return error('malformed_command', `ESC p ${m}: pin must be 0 or 1`, 5);
    return { op: { op: 'drawer-kick', pin, realtime: false }, length: 5 };
  }
  if (cmd === 0x2a) return parseColumnImage(buf, i);
  if (!ESC_ONE_PARAM.has(cmd)) return unknown(buf, i, 2);
  if (!has(buf, i, 3)) return undefined;
  const n = buf[i + 2] ?? 0;
  switch (cmd) {
    case 0x61: {
      const align = ALIGNS[n >= 0x30 ? n - 0x30 : n];
      return align === undefined
        ? error('malformed_command', `ESC a ${n}: alignment must be 0–2`, 3)
        : { op: { op: 'align', align }, length: 3 };
    }
    case 0x45:
      return { op: { op: 'bold', bold: (n & 1) === 1 }, length: 3 };
    case 0x21: // bit 3 emphasised, bit 4 double height, bit 5 double width
      return {
        op: {
          op: 'print-mode',
          bold: (n & 0x08) !== 0,
          widthScale: n & 0x20 ? 2 : 1,
          heightScale: n & 0x10 ? 2 : 1,
        },
        length: 3,
      };
    case 0x74:
      return { op: { op: 'code-page', number: n }, length: 3 };
    case 0x64:
      return { op: { op: 'feed', lines: n }, length: 3 };
    default:
      return { op: { op: 'no-op' }, length: 3 };
  }
}

function parseGs(buf: Uint8Array, i: number): ParsedCommand | undefined {
  if (!has(buf, i, 2)) return undefined;
  const cmd = buf[i + 1];
  if (cmd === 0x28) return parseGsParen(buf, i);
  if (cmd === 0x76) return parseRasterImage(buf, i);
  if (cmd !== 0x21 && cmd !== 0x56 && cmd !== 0x61) return unknown(buf, i, 2);
  if (!has(buf, i, 3)) return undefined;
  const n = buf[i + 2] ?? 0;
  if (cmd === 0x61) return { op: { op: 'asb-enable', mask: n }, length: 3 };
  if (cmd === 0x21) {
    return { op: { op: 'scale', widthScale: ((n >> 4) & 0x07) + 1, heightScale: (n & 0x07) + 1 }, length: 3 };
  }
  if (n === 0 || n === 1 || n === 0x30 || n === 0x31) return { op: { op: 'cut' }, length: 3 };
  if (n === 0x41 || n === 0x42) return has(buf, i, 4) ? { op: { op: 'cut' }, length: 4 } : undefined; // feed, cut
  return error('malformed_command', `GS V ${n}: unknown cut mode`, 3);
}

/** GS ( x pL pH …: every GS ( command carries its own length, so even unknown ones are skipped exactly. */
function parseGsParen(buf: Uint8Array, i: number): ParsedCommand | undefined {
  if (!has(buf, i, 5)) return undefined;
  const length = 5 + (buf[i + 3] ?? 0) + (buf[i + 4] ?? 0) * 256;
  if (!has(buf, i, length)) return undefined;
  if (buf[i + 2] !== 0x6b) return unknown(buf, i, length);
  if (length < 7) return error('malformed_command', 'GS ( k with fewer than 2 parameter bytes', length);
  const cn = buf[i + 5];
  const fn = buf[i + 6];
  if (cn !== 0x31)
    return error('unsupported_symbol', `GS ( k for symbol cn=${cn}; only QR (49) is supported`, length);
  switch (fn) {
    case 0x43: {
      const size = buf[i + 7] ?? 0;
      if (length !== 8 || size < 1 || size > 16)
        return error('malformed_command', 'GS ( k fn 67: size 1–16', length);
      return { op: { op: 'qr-module-size', size }, length };
    }
    case 0x41: // model
    case 0x45: // error correction level
      return { op: { op: 'no-op' }, length };
    case 0x50:
      if (length < 8 || buf[i + 7] !== 0x30)
        return error('malformed_command', 'GS ( k fn 80 without m=48', length);
      return { op: { op: 'qr-store', data: buf.slice(i + 8, i + length) }, length };
    case 0x51:
      return { op: { op: 'qr-print' }, length };
    default:
      return unknown(buf, i, length);
  }
}

/** GS v 0 m xL xH yL yH d…: raster bit image, (xL + xH·256) bytes per row, (yL + yH·256) rows. */
function parseRasterImage(buf: Uint8Array, i: number): ParsedCommand | undefined {
  if (!has(buf, i, 3)) return undefined;
  if (buf[i + 2] !== 0x30) return unknown(buf, i, 3);
  if (!has(buf, i, 8)) return undefined;
  const m = buf[i + 3] ?? 0;
  const rowBytes = (buf[i + 4] ?? 0) + (buf[i + 5] ?? 0) * 256;
  const height = (buf[i + 6] ?? 0) + (buf[i + 7] ?? 0) * 256;
  const length = 8 + rowBytes * height;
  if ((m !== 0 && m !== 0x30) || rowBytes === 0 || height === 0) {
    return error('malformed_command', `GS v 0 m=${m} x=${rowBytes} y=${height}`, 8);
  }
  if (!has(buf, i, length)) return undefined;
  const width = rowBytes * 8;
  const bits = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const byte = buf[i + 8 + y * rowBytes + (x >> 3)] ?? 0;
      bits[y * width + x] = (byte >> (7 - (x & 7))) & 1;
    }
  }
  return { op: { op: 'image', width, height, bits }, length };
}

/** ESC * m nL nH d…: one band of a column image; m 0/1 are 8 dots high (1 byte per column), 32/33 24 dots (3). */
function parseColumnImage(buf: Uint8Array, i: number): ParsedCommand | undefined {
  if (!has(buf, i, 5)) return undefined;
  const m = buf[i + 2] ?? 0;
  const width = (buf[i + 3] ?? 0) + (buf[i + 4] ?? 0) * 256;
  const rowsPerColumn = m === 0 || m === 1 ? 1 : m === 32 || m === 33 ? 3 : 0;
  if (rowsPerColumn === 0) return error('malformed_command', `ESC * m=${m}: mode must be 0, 1, 32 or 33`, 5);
  const length = 5 + width * rowsPerColumn;
  if (!has(buf, i, length)) return undefined;
  const height = rowsPerColumn * 8;
  const bits = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    for (let k = 0; k < rowsPerColumn; k++) {
      const byte = buf[i + 5 + x * rowsPerColumn + k] ?? 0;
      for (let b = 0; b < 8; b++) bits[(k * 8 + b) * width + x] = (byte >> (7 - b)) & 1;
    }
  }
  return { op: { op: 'image', width, height, bits }, length };
}

function parseDle(buf: Uint8Array, i: number): ParsedCommand | undefined {
  if (!has(buf, i, 2)) return undefined;
  const cmd = buf[i + 1];
  if (cmd !== EOT && cmd !== DC4) return unknown(buf, i, 2);
  if (!has(buf, i, 3)) return undefined;
  const n = buf[i + 2] ?? 0;
  if (cmd === EOT) {
    if (n !== 1 && n !== 2 && n !== 3 && n !== 4)
      return error('malformed_command', `DLE EOT ${n}: n must be 1–4`, 3);
    return { op: { op: 'status-request', kind: n }, length: 3 };
  }
  if (n !== 1) return unknown(buf, i, 3);
  if (!has(buf, i, 5)) return undefined;
  const m = buf[i + 3] ?? 0;
  const t = buf[i + 4] ?? 0;
  if ((m !== 0 && m !== 1) || t < 1 || t > 8) return error('malformed_command', `DLE DC4 1 ${m} ${t}`, 5);
  return { op: { op: 'drawer-kick', pin: m, realtime: true }, length: 5 };
}

function unknown(buf: Uint8Array, i: number, length: number): ParsedCommand {
  const shown = Array.from(buf.subarray(i, Math.min(i + length, i + 3)), hex).join(' ');
  return error('unknown_command', `unknown command ${shown}`, length);
}

function error(code: EscPosDecodeErrorCode, message: string, length: number): ParsedCommand {
  return { op: { op: 'error', code, message }, length };
}

function has(buf: Uint8Array, i: number, length: number): boolean {
  return buf.length - i >= length;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
