import type { ReceiptDocument } from '@tillwright/receipts';
import { describe, expect, it } from 'vitest';
import { EscPosDecodeError } from '../errors.js';
import { seededRandom } from '../testing/bytes.js';
import { drawerKickBytes, realtimeDrawerKickBytes, statusRequestBytes } from './escpos-commands.js';
import { decodeEscPos, type EscPosDecodeResult, EscPosDecoder } from './escpos-decoder.js';
import { encodeReceipt } from './escpos-encoder.js';
import { PROFILE_58MM, PROFILE_80MM } from './profiles.js';

function fromHex(text: string): Uint8Array {
  return Uint8Array.from(text.split(/\s+/).filter(Boolean), (h) => Number.parseInt(h, 16));
}

function join(...parts: (Uint8Array | string)[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p));
  return Uint8Array.from(chunks.flatMap((c) => Array.from(c)));
}

/** Decode `bytes` fed in the given chunk sizes (cycled), to prove the result is independent of chunking. */
function decodeChunked(bytes: Uint8Array, sizes: number[]): EscPosDecodeResult {
  const decoder = new EscPosDecoder();
  let i = 0;
  for (let k = 0; i < bytes.length; k++) {
    const size = sizes[k % sizes.length] ?? 1;
    decoder.push(bytes.subarray(i, i + size));
    i += size;
  }
  decoder.end();
  return {
    receipts: [...decoder.receipts],
    drawerKicks: decoder.drawerKicks,
    statusRequests: [...decoder.statusRequests],
    errors: [...decoder.errors],
  };
}

const SALE: ReceiptDocument = {
  blocks: [
    { kind: 'text', text: 'TILLWRIGHT CAFÉ', align: 'center', bold: true, size: 'double' },
    { kind: 'text', text: 'Rue de la Paix 2, Zürich', align: 'center' },
    { kind: 'rule' },
    { kind: 'columns', left: '2 × Crème brûlée', right: '€ 9,00' },
    { kind: 'columns', left: 'Espresso doppio with oat milk and extra foam', right: '€ 3,50' },
    { kind: 'rule' },
    { kind: 'columns', left: 'TOTAL', right: '€ 12,50', bold: true },
    { kind: 'feed', lines: 1 },
    { kind: 'qr', data: 'https://tillwright.example/r/0190-ÄÖ' },
    { kind: 'text', text: 'Merci · Danke · Grazie', align: 'right' },
  ],
};

describe('EscPosDecoder', () => {
  it('decodes a hand-written stream into lines with their print mode', () => {
    const stream = join(
      fromHex('1b 40 1b 74 13 1b 61 01 1b 45 01 1d 21 11'),
      'TITLE',
      fromHex('0a 1d 21 00 1b 45 00 1b 61 00'),
      'Caf',
      fromHex('82 20 d5 0d 0a'), // "é €" in CP858, CR ignored
      fromHex('1b 64 02 1d 56 01'),
    );
    const { receipts, errors } = decodeEscPos(stream);
    expect(errors).toEqual([]);
    expect(receipts).toEqual([
      {
        text: 'TITLE\nCafé €',
        lines: [
          {
            text: 'TITLE',
            align: 'center',
            bold: true,
            widthScale: 2,
            heightScale: 2,
            cellWidths: [2, 2, 2, 2, 2],
          },
          {
            text: 'Café €',
            align: 'left',
            bold: false,
            widthScale: 1,
            heightScale: 1,
            cellWidths: [1, 1, 1, 1, 1, 1],
          },
        ],
        qrCodes: [],
        images: [],
        items: [
          { kind: 'line', line: expect.objectContaining({ text: 'TITLE' }) },
          { kind: 'line', line: expect.objectContaining({ text: 'Café €' }) },
        ],
        cut: true,
      },
    ]);
  });

  it('round-trips an encoded receipt: same text lines, QR data, and a cut', () => {
    const { receipts, errors } = decodeEscPos(encodeReceipt(SALE, PROFILE_58MM));
    expect(errors).toEqual([]);
    expect(receipts).toHaveLength(1);
    // The library aligns text with leading spaces (centre and right), so they are part of the decoded text.
    expect(receipts[0]?.text.split('\n')).toEqual([
      ' TILLWRIGHT CAFÉ', // 15 double-width characters in 32 columns: one space of padding
      '    Rue de la Paix 2, Zürich',
      '-'.repeat(32),
      `2 × Crème brûlée${' '.repeat(10)}€ 9,00`, // × is 0x9E in CP858
      'Espresso doppio with oat  € 3,50', // left cut to 25 columns ("…oat "), one space, right
      '-'.repeat(32),
      `TOTAL${' '.repeat(20)}€ 12,50`,
      '', // the feed
      '', // the LF the library sends after the QR symbol
      `${' '.repeat(10)}Merci · Danke · Grazie`,
    ]);
    expect(receipts[0]?.qrCodes).toEqual(['https://tillwright.example/r/0190-ÄÖ']);
    expect(receipts[0]?.cut).toBe(true);
    expect(receipts[0]?.lines[0]).toMatchObject({ align: 'left', bold: true, widthScale: 2 });
    expect(receipts[0]?.lines.at(-1)).toMatchObject({ align: 'left', bold: false });
    expect(receipts[0]?.items.filter((item) => item.kind === 'qr')).toEqual([
      { kind: 'qr', data: 'https://tillwright.example/r/0190-ÄÖ', moduleSize: 4, align: 'center' },
    ]);
  });

  it('gives the same result however the stream is split, even mid-command', () => {
    const bytes = join(encodeReceipt(SALE, PROFILE_80MM), drawerKickBytes(1), statusRequestBytes(1));
    const whole = decodeEscPos(bytes);
    expect(whole.errors).toEqual([]);
    for (let split = 1; split < bytes.length; split++) {
      const decoder = new EscPosDecoder();
      decoder.push(bytes.subarray(0, split));
      decoder.push(bytes.subarray(split));
      decoder.end();
      expect(
        { receipts: decoder.receipts, kicks: decoder.drawerKicks, errors: decoder.errors },
        `split at ${split}`,
      ).toEqual({ receipts: whole.receipts, kicks: 1, errors: [] });
    }
    expect(decodeChunked(bytes, [1])).toEqual(whole);
    expect(decodeChunked(bytes, [3, 7, 1, 64])).toEqual(whole);
  });

  it('counts drawer kicks (ESC p and DLE DC4 1) and records status requests', () => {
    const decoder = new EscPosDecoder();
    const events = decoder.push(
      join(drawerKickBytes(0), realtimeDrawerKickBytes(1), statusRequestBytes(1), statusRequestBytes(4)),
    );
    expect(events).toEqual([
      { type: 'drawer-kick', pin: 0, realtime: false },
      { type: 'drawer-kick', pin: 1, realtime: true },
      { type: 'status-request', kind: 1 },
      { type: 'status-request', kind: 4 },
    ]);
    expect(decoder.drawerKicks).toBe(2);
    expect(decoder.statusRequests).toEqual([1, 4]);
    expect(decoder.end()).toEqual([]); // nothing printed, so no receipt
  });

  it('emits a receipt at each cut, and one without a cut if the stream ends mid-receipt', () => {
    const { receipts } = decodeEscPos(
      join('one\n', fromHex('1d 56 01'), 'two\n', fromHex('1d 56 42 03'), 'three'),
    );
    expect(receipts.map((r) => [r.text, r.cut])).toEqual([
      ['one', true],
      ['two', true],
      ['three', false],
    ]);
  });

  it('ESC @ discards text not yet printed and resets the mode', () => {
    const { receipts } = decodeEscPos(
      join(fromHex('1b 45 01'), 'lost', fromHex('1b 40'), 'kept\n', fromHex('1d 56 00')),
    );
    expect(receipts[0]?.lines).toEqual([
      { text: 'kept', align: 'left', bold: false, widthScale: 1, heightScale: 1, cellWidths: [1, 1, 1, 1] },
    ]);
  });

  it('understands ESC ! print modes and trims trailing spaces and blank lines', () => {
    const { receipts } = decodeEscPos(
      join(fromHex('1b 21 38'), 'BIG   \n', fromHex('1b 21 00 0a 0a 1d 56 01')),
    );
    expect(receipts[0]?.lines).toEqual([
      { text: 'BIG', align: 'left', bold: true, widthScale: 2, heightScale: 2, cellWidths: [2, 2, 2] },
    ]);
  });

  it('records unknown and malformed bytes as typed errors and keeps decoding', () => {
    const stream = join(
      fromHex('1b 7a'), // ESC z: unknown
      'a',
      fromHex('07'), // BEL: not a command
      fromHex('1b 61 07'), // ESC a 7: out of range
      fromHex('10 04 09'), // DLE EOT 9: out of range
      fromHex('1d 28 6b 03 00 30 41 00'), // PDF417 (cn 0x30): skipped by its length
      'b\n',
      fromHex('1d 56 01'),
    );
    const { receipts, errors } = decodeEscPos(stream);
    expect(receipts[0]?.text).toBe('ab');
    expect(errors.map((e) => [e.code, e.offset])).toEqual([
      ['unknown_command', 0],
      ['unexpected_byte', 3],
      ['malformed_command', 4],
      ['malformed_command', 7],
      ['unsupported_symbol', 10],
    ]);
    expect(errors.every((e) => e instanceof EscPosDecodeError && e.retryable === false)).toBe(true);
    expect(Array.from(errors[0]?.bytes ?? [])).toEqual([0x1b, 0x7a]);
  });

  it('marks text in an unknown code page as replacement characters', () => {
    const { receipts, errors } = decodeEscPos(join(fromHex('1b 74 63 41 d5 0a 1d 56 01')));
    expect(errors.map((e) => e.code)).toEqual(['unsupported_code_page']);
    expect(receipts[0]?.text).toBe('A\uFFFD');
  });

  it('printing a QR code before storing its data is malformed', () => {
    const { errors } = decodeEscPos(fromHex('1d 28 6b 03 00 31 51 30'));
    expect(errors.map((e) => e.code)).toEqual(['malformed_command']);
  });

  it('a stream that stops inside a command reports it as truncated', () => {
    const decoder = new EscPosDecoder();
    expect(decoder.push(fromHex('41 0a 1d 28 6b 10 00 31'))).toEqual([]);
    const events = decoder.end();
    expect(events.map((e) => e.type)).toEqual(['error', 'receipt']);
    expect(decoder.errors[0]).toMatchObject({ code: 'truncated_command', offset: 2 });
  });

  it('never throws on arbitrary bytes (seeded, deterministic)', () => {
    const random = seededRandom(9100);
    for (let run = 0; run < 300; run++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 400) }, () => Math.floor(random() * 256));
      const decoder = new EscPosDecoder();
      expect(() => {
        decoder.push(bytes.subarray(0, 100));
        decoder.push(bytes.subarray(100));
        decoder.end();
      }).not.toThrow();
      expect(decoder.errors.every((e) => e instanceof EscPosDecodeError)).toBe(true);
    }
  });
});
