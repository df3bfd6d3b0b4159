import { describe, expect, it } from 'vitest';
import { DeviceError, ReceiptEncodeError } from '../errors.js';
import { ascii, bytes, hex } from '../testing/bytes.js';
import { drawerKickBytes, realtimeDrawerKickBytes, statusRequestBytes } from './escpos-commands.js';
import { encodeReceipt, layoutColumns, QR_MAX_BYTES, wrapText } from './escpos-encoder.js';
import { PROFILE_58MM, PROFILE_80MM, type PrinterProfile, type ReceiptBlock } from './receipt-document.js';

// Every receipt starts with ESC @ (initialise) and ESC t 19 (CP858 on Epson numbering)…
const START = '1b 40 1b 74 13';
// …and ends with a feed past the cutter and a partial cut: ESC d 4 (80 mm) or ESC d 3 (58 mm), GS V 1.
const END_80 = '1b 64 04 1d 56 01';
const END_58 = '1b 64 03 1d 56 01';

function encode(blocks: ReceiptBlock[], profile: PrinterProfile = PROFILE_80MM): string {
  return hex(encodeReceipt({ blocks }, profile));
}

describe('encodeReceipt', () => {
  it('an empty document is just initialise, code page, feed and cut', () => {
    expect(encode([])).toBe(bytes(START, END_80));
  });

  it('plain text is the characters and a line feed', () => {
    expect(encode([{ kind: 'text', text: 'Hi' }])).toBe(bytes(START, '48 69 0a', END_80));
  });

  it('styled text sets align, bold and size before its lines and resets them after', () => {
    const doc: ReceiptBlock[] = [
      { kind: 'text', text: 'Café €5', align: 'center', bold: true, size: 'double' },
    ];
    expect(encode(doc)).toBe(
      bytes(
        START,
        '1b 61 01', // ESC a 1: centre
        '1b 45 01', // ESC E 1: bold on
        '1d 21 11', // GS ! 0x11: double width and height
        '43 61 66 82 20 d5 35 0a', // "Café €5" in CP858: é = 0x82, € = 0xD5
        '1d 21 00 1b 45 00 1b 61 00', // back to normal size, bold off, left
        END_80,
      ),
    );
  });

  it('right alignment is ESC a 2', () => {
    expect(encode([{ kind: 'text', text: 'x', align: 'right' }])).toBe(
      bytes(START, '1b 61 02 78 0a 1b 61 00', END_80),
    );
  });

  it('columns pad between left and right to the profile width', () => {
    const line = `Coffee${' '.repeat(22)}3.50`; // 32 columns on 58 mm
    expect(encode([{ kind: 'columns', left: 'Coffee', right: '3.50' }], PROFILE_58MM)).toBe(
      bytes(START, ascii(line), '0a', END_58),
    );
  });

  it('columns truncate the left text so the right text and one space always fit', () => {
    const doc: ReceiptBlock[] = [
      { kind: 'columns', left: 'A very long product name that does not fit', right: '12.00', bold: true },
    ];
    expect(encode(doc, PROFILE_58MM)).toBe(
      bytes(START, '1b 45 01', ascii('A very long product name t 12.00'), '0a', '1b 45 00', END_58),
    );
  });

  it('a rule is a full-width line of dashes', () => {
    expect(encode([{ kind: 'rule' }], PROFILE_58MM)).toBe(bytes(START, ascii('-'.repeat(32)), '0a', END_58));
    expect(encode([{ kind: 'rule' }])).toBe(bytes(START, ascii('-'.repeat(48)), '0a', END_80));
  });

  it('a QR code is model 2, centred, via GS ( k', () => {
    expect(encode([{ kind: 'qr', data: 'hi' }])).toBe(
      bytes(
        START,
        '1b 61 01',
        '1d 28 6b 04 00 31 41 32 00', // fn 65: model 2
        '1d 28 6b 03 00 31 43 06', // fn 67: module size 6 (80 mm profile)
        '1d 28 6b 03 00 31 45 31', // fn 69: error correction M
        '1d 28 6b 05 00 31 50 30 68 69', // fn 80: store "hi" (pL = 2 + 3)
        '1d 28 6b 03 00 31 51 30', // fn 81: print
        '1b 61 00',
        END_80,
      ),
    );
  });

  it('QR data is stored as UTF-8 with a two-byte length', () => {
    const data = 'é'.repeat(150); // 300 bytes → pL pH = 303 = 0x2f 0x01
    const out = encode([{ kind: 'qr', data }]);
    expect(out).toContain(`1d 28 6b 2f 01 31 50 30 ${'c3 a9 '.repeat(150).trim()}`);
  });

  it('a profile without QR support prints the data as centred text', () => {
    const noQr: PrinterProfile = { ...PROFILE_58MM, id: 'no-qr', supportsQr: false };
    expect(encode([{ kind: 'qr', data: 'R-1' }], noQr)).toBe(
      bytes(START, '1b 61 01', ascii('R-1'), '0a 1b 61 00', END_58),
    );
  });

  it('feed is ESC d n, and zero lines emit nothing', () => {
    expect(
      encode([
        { kind: 'feed', lines: 2 },
        { kind: 'feed', lines: 0 },
      ]),
    ).toBe(bytes(START, '1b 64 02', END_80));
  });

  it('an explicit cut is not doubled at the end, and a cut mid-document splits receipts', () => {
    expect(encode([{ kind: 'text', text: 'A' }, { kind: 'cut' }])).toBe(bytes(START, '41 0a', END_80));
    expect(encode([{ kind: 'text', text: 'A' }, { kind: 'cut' }, { kind: 'text', text: 'B' }])).toBe(
      bytes(START, '41 0a', END_80, '42 0a', END_80),
    );
  });

  it('long text wraps at word boundaries to the width, half the width when double size', () => {
    const text = 'The quick brown fox jumps over the lazy dog';
    expect(encode([{ kind: 'text', text }], PROFILE_58MM)).toBe(
      bytes(START, ascii('The quick brown fox jumps over'), '0a', ascii('the lazy dog'), '0a', END_58),
    );
    expect(encode([{ kind: 'text', text: 'GRAND TOTAL DUE', size: 'double' }], PROFILE_58MM)).toBe(
      bytes(START, '1d 21 11', ascii('GRAND TOTAL DUE'), '0a', '1d 21 00', END_58),
    );
    expect(encode([{ kind: 'text', text: 'GRAND TOTAL AMOUNT', size: 'double' }], PROFILE_58MM)).toBe(
      bytes(START, '1d 21 11', ascii('GRAND TOTAL'), '0a', ascii('AMOUNT'), '0a', '1d 21 00', END_58),
    );
  });

  it('control characters in receipt data can never become printer commands', () => {
    expect(encode([{ kind: 'text', text: 'A\u001b@B\u0007' }])).toBe(
      bytes(START, '41 3f 40 42 3f 0a', END_80),
    );
  });

  it('characters missing from the code page fall back to the base letter, else "?"', () => {
    const cp437: PrinterProfile = { ...PROFILE_80MM, id: 'cp437', codepage: { name: 'cp437', number: 0 } };
    // ő is not in CP437 → o; € is not in CP437 → ?; ü is 0x81 in both pages.
    expect(encode([{ kind: 'text', text: 'őü€' }], cp437)).toBe(
      bytes('1b 40 1b 74 00', '6f 81 3f 0a', END_80),
    );
  });

  it('rejects invalid blocks and profiles with a typed error', () => {
    const bad =
      (blocks: ReceiptBlock[], profile = PROFILE_80MM) =>
      () =>
        encodeReceipt({ blocks }, profile);
    expect(bad([{ kind: 'rule' }, { kind: 'feed', lines: 256 }])).toThrowError(
      expect.objectContaining({ code: 'invalid_block', blockIndex: 1, retryable: false }),
    );
    expect(bad([{ kind: 'feed', lines: 1.5 }])).toThrowError(ReceiptEncodeError);
    expect(bad([{ kind: 'qr', data: '' }])).toThrowError(expect.objectContaining({ code: 'invalid_block' }));
    expect(bad([{ kind: 'qr', data: 'x'.repeat(QR_MAX_BYTES + 1) }])).toThrowError(ReceiptEncodeError);
    expect(bad([], { ...PROFILE_80MM, columns: 4 })).toThrowError(
      expect.objectContaining({ code: 'invalid_profile' }),
    );
  });
});

describe('layoutColumns and wrapText', () => {
  it('layoutColumns fills exactly the width', () => {
    expect(layoutColumns('a', 'b', 5)).toBe('a   b');
    expect(layoutColumns('', 'b', 3)).toBe('  b');
    expect(layoutColumns('abc', '', 5)).toBe('abc  ');
    expect(layoutColumns('abcdef', 'xyz', 6)).toBe('ab xyz');
    expect(layoutColumns('abc', 'toolongright', 5)).toBe('toolo');
    expect(layoutColumns('Line\nbreak', '1', 12)).toBe('Line break 1');
  });

  it('wrapText breaks words longer than a line and keeps blank paragraphs', () => {
    expect(wrapText('abcdefgh ij', 3)).toEqual(['abc', 'def', 'gh', 'ij']);
    expect(wrapText('a\n\nb', 10)).toEqual(['a', '', 'b']);
    expect(wrapText('', 10)).toEqual(['']);
    expect(wrapText('a   b', 10)).toEqual(['a b']);
  });
});

describe('raw commands', () => {
  it('drawerKickBytes is ESC p m t1 t2 with 50 ms on, 500 ms off', () => {
    expect(hex(drawerKickBytes())).toBe('1b 70 00 19 fa');
    expect(hex(drawerKickBytes(0))).toBe('1b 70 00 19 fa');
    expect(hex(drawerKickBytes(1))).toBe('1b 70 01 19 fa');
  });

  it('realtimeDrawerKickBytes is DLE DC4 1 m t', () => {
    expect(hex(realtimeDrawerKickBytes(1))).toBe('10 14 01 01 01');
  });

  it('statusRequestBytes is DLE EOT n', () => {
    expect(hex(statusRequestBytes(1))).toBe('10 04 01');
    expect(hex(statusRequestBytes(4))).toBe('10 04 04');
  });

  it('refuses a pin other than 0 or 1 from untyped callers', () => {
    const pin = 2 as 0 | 1;
    expect(() => drawerKickBytes(pin)).toThrowError(DeviceError);
    expect(() => drawerKickBytes(pin)).toThrowError(
      expect.objectContaining({ code: 'E_ILLEGAL', retryable: false }),
    );
  });
});
