/**
 * Pure ESC/POS encoder: ReceiptDocument + PrinterProfile → bytes. Our own small encoder rather than a library
 * (docs/decisions/0002-escpos-encoder.md). Every block starts and ends in the default state (left, not bold,
 * normal size), so a block's bytes never depend on the block before it.
 *
 * Output shape: ESC @ · ESC t n · blocks… · ESC d feedBeforeCut · GS V 1 (added unless the last block is a cut).
 */
import { ReceiptEncodeError } from '../errors.js';
import { encodeText } from './codepages.js';
import { ESC, GS, LF } from './escpos-commands.js';
import type { PrinterProfile, ReceiptBlock, ReceiptDocument, TextAlign } from './receipt-document.js';

/** Byte capacity of a model 2 QR code at version 40, error correction level M. */
export const QR_MAX_BYTES = 2331;
/** QR error correction level M (≈15 % recovery): GS ( k fn 69 n=49. */
const QR_ECC_M = 0x31;

const ALIGN_CODE: Readonly<Record<TextAlign, number>> = Object.freeze({ left: 0, center: 1, right: 2 });

export function encodeReceipt(doc: ReceiptDocument, profile: PrinterProfile): Uint8Array {
  validateProfile(profile);
  const out = new ByteSink();
  out.push(ESC, 0x40); // ESC @: initialise (clears styles, page 0)
  out.push(ESC, 0x74, profile.codepage.number); // ESC t n: select the profile's code page
  doc.blocks.forEach((block, index) => {
    encodeBlock(out, block, index, profile);
  });
  if (doc.blocks.at(-1)?.kind !== 'cut') encodeCut(out, profile);
  return out.toUint8Array();
}

function encodeBlock(out: ByteSink, block: ReceiptBlock, index: number, profile: PrinterProfile): void {
  const page = profile.codepage.name;
  switch (block.kind) {
    case 'text': {
      const double = block.size === 'double';
      const align = block.align ?? 'left';
      if (align !== 'left') out.push(ESC, 0x61, ALIGN_CODE[align]);
      if (block.bold === true) out.push(ESC, 0x45, 1);
      if (double) out.push(GS, 0x21, 0x11); // GS ! n: width ×2 (high nibble 1), height ×2 (low nibble 1)
      for (const line of wrapText(block.text, Math.floor(profile.columns / (double ? 2 : 1)))) {
        out.pushBytes(encodeText(page, line));
        out.push(LF);
      }
      if (double) out.push(GS, 0x21, 0);
      if (block.bold === true) out.push(ESC, 0x45, 0);
      if (align !== 'left') out.push(ESC, 0x61, 0);
      return;
    }
    case 'columns': {
      if (block.bold === true) out.push(ESC, 0x45, 1);
      out.pushBytes(encodeText(page, layoutColumns(block.left, block.right, profile.columns)));
      out.push(LF);
      if (block.bold === true) out.push(ESC, 0x45, 0);
      return;
    }
    case 'rule':
      out.pushBytes(encodeText(page, '-'.repeat(profile.columns)));
      out.push(LF);
      return;
    case 'qr':
      encodeQr(out, block.data, index, profile);
      return;
    case 'feed':
      if (!Number.isInteger(block.lines) || block.lines < 0 || block.lines > 255) {
        throw new ReceiptEncodeError('invalid_block', `feed lines must be an integer 0–255`, index);
      }
      if (block.lines > 0) out.push(ESC, 0x64, block.lines); // ESC d n: print and feed n lines
      return;
    case 'cut':
      encodeCut(out, profile);
      return;
  }
}

function encodeCut(out: ByteSink, profile: PrinterProfile): void {
  if (profile.feedBeforeCut > 0) out.push(ESC, 0x64, profile.feedBeforeCut);
  out.push(GS, 0x56, 0x01); // GS V 1: partial cut
}

function encodeQr(out: ByteSink, data: string, index: number, profile: PrinterProfile): void {
  const payload = new TextEncoder().encode(data);
  if (payload.length === 0 || payload.length > QR_MAX_BYTES) {
    throw new ReceiptEncodeError('invalid_block', `QR data must be 1–${QR_MAX_BYTES} UTF-8 bytes`, index);
  }
  if (!profile.supportsQr) {
    encodeBlock(out, { kind: 'text', text: data, align: 'center' }, index, profile);
    return;
  }
  const storeLength = payload.length + 3; // cn fn m + data
  out.push(ESC, 0x61, 1);
  out.push(GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0); // fn 65: model 2
  out.push(GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, profile.qrModuleSize); // fn 67: module size
  out.push(GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, QR_ECC_M); // fn 69: error correction M
  out.push(GS, 0x28, 0x6b, storeLength & 0xff, storeLength >> 8, 0x31, 0x50, 0x30); // fn 80: store
  out.pushBytes(payload);
  out.push(GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30); // fn 81: print the stored symbol
  out.push(ESC, 0x61, 0);
}

/** `left` flush left and `right` flush right on one line of `width`; `left` gives way when both do not fit. */
export function layoutColumns(left: string, right: string, width: number): string {
  const r = Array.from(oneLine(right).normalize('NFC')).slice(0, width);
  const gap = r.length > 0 ? 1 : 0;
  const l = Array.from(oneLine(left).normalize('NFC')).slice(0, Math.max(0, width - r.length - gap));
  return l.join('') + ' '.repeat(width - l.length - r.length) + r.join('');
}

/**
 * Greedy word wrap to `width` print columns. Paragraphs split on '\n'; runs of spaces collapse; a word longer
 * than the line is broken hard. An empty paragraph is one blank line.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line: string[] = [];
    for (const word of paragraph.replace(/\t/g, ' ').split(' ')) {
      let chars = Array.from(word.normalize('NFC'));
      if (chars.length === 0) continue;
      if (line.length > 0 && line.length + 1 + chars.length <= width) {
        line.push(' ', ...chars);
        continue;
      }
      if (line.length > 0) lines.push(line.join(''));
      while (chars.length > width) {
        lines.push(chars.slice(0, width).join(''));
        chars = chars.slice(width);
      }
      line = chars;
    }
    lines.push(line.join(''));
  }
  return lines;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

function validateProfile(profile: PrinterProfile): void {
  const problems: string[] = [];
  if (!Number.isInteger(profile.columns) || profile.columns < 8 || profile.columns > 255)
    problems.push('columns');
  if (
    !Number.isInteger(profile.codepage.number) ||
    profile.codepage.number < 0 ||
    profile.codepage.number > 255
  ) {
    problems.push('codepage.number');
  }
  if (!Number.isInteger(profile.qrModuleSize) || profile.qrModuleSize < 1 || profile.qrModuleSize > 16) {
    problems.push('qrModuleSize');
  }
  if (!Number.isInteger(profile.feedBeforeCut) || profile.feedBeforeCut < 0 || profile.feedBeforeCut > 255) {
    problems.push('feedBeforeCut');
  }
  if (problems.length > 0) {
    throw new ReceiptEncodeError(
      'invalid_profile',
      `profile ${profile.id} has invalid ${problems.join(', ')}`,
    );
  }
}

class ByteSink {
  readonly #bytes: number[] = [];
  push(...bytes: number[]): void {
    for (const b of bytes) this.#bytes.push(b);
  }
  pushBytes(bytes: Uint8Array): void {
    for (const b of bytes) this.#bytes.push(b);
  }
  toUint8Array(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}
