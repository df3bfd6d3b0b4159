import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { saleReceiptLayout } from '@tillwright/receipts';
import { sampleSale } from '@tillwright/receipts/samples';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../printer/escpos-decoder.js';
import { encodeReceipt } from '../printer/escpos-encoder.js';
import { decoderCodePages, PROFILE_58MM, PROFILE_80MM, type PrinterProfile } from '../printer/profiles.js';
import type { DecodedReceipt } from '../printer/receipt-assembler.js';
import { crc32, encodePng, PNG_SIGNATURE, renderReceiptBitmap, renderReceiptPng } from './receipt-png.js';
import { renderSampleReceipt, writeSampleReceipt } from './render-sample.js';

interface Chunk {
  type: string;
  data: Uint8Array;
  crc: number;
  computed: number;
}

function chunks(png: Uint8Array): Chunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    out.push({
      type,
      data,
      crc: view.getUint32(offset + 8 + length),
      computed: crc32(png, offset + 4, offset + 8 + length),
    });
    offset += 12 + length;
  }
  return out;
}

function decoded(profile: PrinterProfile): DecodedReceipt {
  const bytes = encodeReceipt(saleReceiptLayout(sampleSale(), { columns: profile.columns }), profile);
  return decodeEscPos(bytes, { codePages: decoderCodePages(profile) }).receipts[0]!;
}

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe.each([PROFILE_80MM, PROFILE_58MM])('receipt PNG on $id', (profile) => {
  const options = { dotsPerLine: profile.dotsPerLine, columns: profile.columns };

  it('is a valid PNG: signature, IHDR/IDAT/IEND with good CRCs, the printer width, 1-bit greyscale', () => {
    const png = renderReceiptPng(decoded(profile), options);
    expect(Array.from(png.subarray(0, 8))).toEqual(Array.from(PNG_SIGNATURE));
    const list = chunks(png);
    expect(list.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    for (const c of list) expect(c.crc).toBe(c.computed);
    const ihdr = new DataView(list[0]!.data.buffer, list[0]!.data.byteOffset, 13);
    const width = ihdr.getUint32(0);
    const height = ihdr.getUint32(4);
    expect(width).toBe(profile.dotsPerLine);
    expect(width).toBe(profile === PROFILE_80MM ? 576 : 384);
    expect(Array.from(list[0]!.data.subarray(8))).toEqual([1, 0, 0, 0, 0]);
    const raw = inflateSync(list[1]!.data);
    expect(raw.length).toBe((Math.ceil(width / 8) + 1) * height);
    expect(height).toBeGreaterThan(600);
  });

  it('is deterministic: the same receipt gives the same bytes', () => {
    const a = renderReceiptPng(decoded(profile), options);
    const b = renderReceiptPng(decoded(profile), options);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(renderSampleReceipt(profile)).equals(Buffer.from(a))).toBe(true);
  });

  it('draws the QR code from the decoded data and the logo dot for dot', () => {
    const receipt = decoded(profile);
    const bitmap = renderReceiptBitmap(receipt, options);
    const qrItem = receipt.items.find((item) => item.kind === 'qr');
    if (qrItem?.kind !== 'qr') throw new Error('no QR in the sample');
    const matrix = QRCode.create(qrItem.data, { errorCorrectionLevel: 'M' }).modules;
    const size = matrix.size * qrItem.moduleSize;
    // Find the QR's top-left finder pattern: the first black dot at the centred x position below the text.
    const x0 = Math.floor((bitmap.width - size) / 2);
    let y0 = -1;
    for (let y = 0; y < bitmap.height && y0 < 0; y++) {
      let run = 0;
      for (let x = x0; x < x0 + 7 * qrItem.moduleSize; x++) run += bitmap.bits[y * bitmap.width + x]!;
      if (run === 7 * qrItem.moduleSize && bitmap.bits[y * bitmap.width + x0 - 1] === 0) y0 = y;
    }
    expect(y0).toBeGreaterThan(0);
    for (let r = 0; r < matrix.size; r++) {
      for (let c = 0; c < matrix.size; c++) {
        const dot = bitmap.bits[(y0 + r * qrItem.moduleSize) * bitmap.width + x0 + c * qrItem.moduleSize];
        expect(dot).toBe(matrix.get(r, c) ? 1 : 0);
      }
    }
    const logo = receipt.images[0]!;
    const lx = Math.floor((bitmap.width - logo.width) / 2);
    let ly = -1;
    for (let y = 0; y < bitmap.height && ly < 0; y++) if (bitmap.bits[y * bitmap.width + lx]) ly = y;
    let same = 0;
    for (let y = 0; y < logo.height; y++) {
      for (let x = 0; x < logo.width; x++) {
        if (bitmap.bits[(ly + y) * bitmap.width + lx + x] === logo.bits[y * logo.width + x]) same++;
      }
    }
    expect(same).toBe(logo.width * logo.height);
  });
});

describe('text rendering', () => {
  const line = (text: string, widthScale = 1) => ({
    kind: 'line' as const,
    line: { text, align: 'left' as const, bold: false, widthScale, heightScale: widthScale },
  });
  const receipt = (items: DecodedReceipt['items']): DecodedReceipt => ({
    text: '',
    lines: [],
    qrCodes: [],
    images: [],
    items,
    cut: false,
  });
  const ink = (r: DecodedReceipt) =>
    renderReceiptBitmap(r, { dotsPerLine: 384, columns: 32 }).bits.reduce((n, b) => n + b, 0);

  it('double-size text uses four times the dots; unknown glyphs render as a box, accents as a mark', () => {
    expect(ink(receipt([line('A', 2)]))).toBe(4 * ink(receipt([line('A')])));
    expect(ink(receipt([line('Ж')]))).toBe(20 * 4); // 5×7 box outline (20 dots) at 2×
    expect(ink(receipt([line('é')]))).toBeGreaterThan(ink(receipt([line('e')])));
    expect(ink(receipt([line(' ')]))).toBe(0);
  });

  it('a hand-made bitmap encodes to a minimal valid PNG', () => {
    const png = encodePng({ width: 3, height: 2, bits: Uint8Array.of(1, 0, 1, 0, 1, 0) });
    const [ihdr, idat] = chunks(png);
    expect(ihdr!.crc).toBe(ihdr!.computed);
    expect(Array.from(inflateSync(idat!.data))).toEqual([0, 0b01011111, 0, 0b10111111]);
  });
});

describe('render-sample script', () => {
  it('writes the sample receipt PNG to the given path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tillwright-png-'));
    try {
      const path = writeSampleReceipt(join(dir, 'nested', 'sample.png'));
      expect(Buffer.from(readFileSync(path)).equals(Buffer.from(renderSampleReceipt()))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('draws a double-size title centred although its padding was printed at single width', () => {
    const profile = PROFILE_80MM;
    const bytes = encodeReceipt(
      { blocks: [{ kind: 'text', text: 'TILLWRIGHT', align: 'center', size: 'double' }] },
      profile,
    );
    const [receipt] = decodeEscPos(bytes, { codePages: decoderCodePages(profile) }).receipts;
    const bitmap = renderReceiptBitmap(receipt!, {
      dotsPerLine: profile.dotsPerLine,
      columns: profile.columns,
    });
    // The title is the first band of inked rows (the cut mark drawn below it spans the whole width).
    let minX = bitmap.width;
    let maxX = -1;
    let inBand = false;
    for (let y = 0; y < bitmap.height; y++) {
      const row = bitmap.bits.subarray(y * bitmap.width, (y + 1) * bitmap.width);
      const first = row.indexOf(1);
      if (first < 0) {
        if (inBand) break;
        continue;
      }
      inBand = true;
      minX = Math.min(minX, first);
      maxX = Math.max(maxX, row.lastIndexOf(1));
    }
    // The ink's margins differ by less than one double-width cell (24 dots); before, the title ended at the edge.
    expect(Math.abs(minX - (bitmap.width - 1 - maxX))).toBeLessThan(24);
  });
});
