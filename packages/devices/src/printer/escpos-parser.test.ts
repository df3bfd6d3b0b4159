import { describe, expect, it } from 'vitest';
import { parseCommand } from './escpos-parser.js';

function fromHex(text: string): Uint8Array {
  return Uint8Array.from(text.split(/\s+/).filter(Boolean), (h) => Number.parseInt(h, 16));
}

// Every command the encoder emits (and the raw commands), each with the op it frames to.
const COMMANDS: [string, unknown][] = [
  ['41', { op: 'print', byte: 0x41 }],
  ['d5', { op: 'print', byte: 0xd5 }],
  ['0a', { op: 'line-feed' }],
  ['1b 40', { op: 'initialize' }],
  ['1b 61 01', { op: 'align', align: 'center' }],
  ['1b 61 32', { op: 'align', align: 'right' }],
  ['1b 45 01', { op: 'bold', bold: true }],
  ['1b 21 30', { op: 'print-mode', bold: false, widthScale: 2, heightScale: 2 }],
  ['1d 21 11', { op: 'scale', widthScale: 2, heightScale: 2 }],
  ['1b 74 13', { op: 'code-page', number: 19 }],
  ['1b 64 04', { op: 'feed', lines: 4 }],
  ['1d 56 01', { op: 'cut' }],
  ['1d 56 42 00', { op: 'cut' }],
  ['1d 28 6b 04 00 31 41 32 00', { op: 'no-op' }],
  ['1d 28 6b 05 00 31 50 30 68 69', { op: 'qr-store', data: fromHex('68 69') }],
  ['1d 28 6b 03 00 31 51 30', { op: 'qr-print' }],
  ['1b 70 00 19 fa', { op: 'drawer-kick', pin: 0, realtime: false }],
  ['10 14 01 01 01', { op: 'drawer-kick', pin: 1, realtime: true }],
  ['10 04 02', { op: 'status-request', kind: 2 }],
  ['1c 2e', { op: 'no-op' }],
];

describe('parseCommand', () => {
  it.each(COMMANDS)('frames %s as one command', (hex, op) => {
    const bytes = fromHex(hex);
    expect(parseCommand(bytes, 0)).toEqual({ op, length: bytes.length });
  });

  it.each(COMMANDS)('asks for more bytes on every proper prefix of %s', (hex) => {
    const bytes = fromHex(hex);
    for (let n = 1; n < bytes.length; n++) expect(parseCommand(bytes.subarray(0, n), 0)).toBeUndefined();
  });

  it('parses at an offset and ignores what follows the command', () => {
    expect(parseCommand(fromHex('41 1b 45 00 41'), 1)).toEqual({
      op: { op: 'bold', bold: false },
      length: 3,
    });
  });

  it('skips an unknown GS ( command by its own length', () => {
    expect(parseCommand(fromHex('1d 28 4c 02 00 30 32 41'), 0)).toEqual({
      op: { op: 'error', code: 'unknown_command', message: 'unknown command 1d 28 4c' },
      length: 7,
    });
  });

  it('decodes a GS v 0 raster image to bits, MSB first', () => {
    const parsed = parseCommand(fromHex('1d 76 30 00 01 00 02 00 a0 01'), 0);
    expect(parsed?.length).toBe(10);
    expect(parsed?.op).toEqual({
      op: 'image',
      width: 8,
      height: 2,
      bits: Uint8Array.from([1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
    });
    expect(parseCommand(fromHex('1d 76 30 00 01 00 02 00 a0'), 0)).toBeUndefined(); // waits for the data
  });

  it('decodes an ESC * column band (8-dot mode)', () => {
    const parsed = parseCommand(fromHex('1b 2a 00 02 00 80 01'), 0);
    expect(parsed?.length).toBe(7);
    expect(parsed?.op).toMatchObject({ op: 'image', width: 2, height: 8 });
  });

  it('understands GS a n (ASB enable) and the QR module size, and still rejects unknown GS commands', () => {
    expect(parseCommand(fromHex('1d 61 0f'), 0)).toEqual({ op: { op: 'asb-enable', mask: 15 }, length: 3 });
    expect(parseCommand(fromHex('1d 28 6b 03 00 31 43 05'), 0)).toEqual({
      op: { op: 'qr-module-size', size: 5 },
      length: 8,
    });
    expect(parseCommand(fromHex('1d 7a 01'), 0)?.op).toMatchObject({ op: 'error', code: 'unknown_command' });
    expect(parseCommand(fromHex('1d 76 31 00'), 0)?.op).toMatchObject({
      op: 'error',
      code: 'unknown_command',
    });
  });
});
