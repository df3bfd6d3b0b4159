import type { ReceiptBlock } from '@tillwright/receipts';
import { describe, expect, it } from 'vitest';
import { DeviceError, ReceiptEncodeError } from '../errors.js';
import { ascii, bytes, hex } from '../testing/bytes.js';
import { drawerKickBytes, realtimeDrawerKickBytes, statusRequestBytes } from './escpos-commands.js';
import { encodeReceipt, layoutColumns, QR_MAX_BYTES } from './escpos-encoder.js';
import { PROFILE_58MM, PROFILE_80MM, type PrinterProfile } from './profiles.js';

// Every receipt starts with what receipt-printer-encoder 4.0.1 sends first: ESC @ (initialise), FS . (cancel
// Kanji mode, which many clones default to) and ESC M 0 (font A)…
const START = '1b 40 1c 2e 1b 4d 00';
// …switches to CP858 (Epson ESC t 19) lazily, just before the first character that needs a code page…
const CP858 = '1b 74 13';
const CP866 = '1b 74 11';
const CP852 = '1b 74 12';
// …and ends with a feed past the cutter (LF × feedBeforeCut: 4 on 80 mm, 3 on 58 mm), a partial cut (GS V 1),
// and a trailing LF the library adds to flush its line buffer.
const END_80 = '0a 0a 0a 0a 1d 56 01 0a';
const END_58 = '0a 0a 0a 1d 56 01 0a';
const spaces = (n: number): string => ascii(' '.repeat(n));

function encode(blocks: ReceiptBlock[], profile: PrinterProfile = PROFILE_80MM): string {
  return hex(encodeReceipt({ blocks }, profile));
}

describe('encodeReceipt', () => {
  it('an empty document is just initialise, feed and cut', () => {
    expect(encode([])).toBe(bytes(START, END_80));
  });

  it('plain text is the code page, the characters and a line feed', () => {
    expect(encode([{ kind: 'text', text: 'Hi' }])).toBe(bytes(START, CP858, '48 69 0a', END_80));
  });

  it('centred text is padded with spaces; bold and size wrap the characters and reset before LF', () => {
    const doc: ReceiptBlock[] = [
      { kind: 'text', text: 'Café €5', align: 'center', bold: true, size: 'double' },
    ];
    expect(encode(doc)).toBe(
      bytes(
        START,
        spaces(17), // (48 − 7 × 2) / 2 normal-width spaces
        '1b 45 01', // ESC E 1: bold on
        '1d 21 11', // GS ! 0x11: double width and height
        CP858,
        '43 61 66 82 20 d5 35', // "Café €5" in CP858: é = 0x82, € = 0xD5
        '1b 45 00 1d 21 00', // bold off, normal size
        '0a',
        END_80,
      ),
    );
  });

  it('right alignment pads with spaces to the full width', () => {
    expect(encode([{ kind: 'text', text: 'x', align: 'right' }])).toBe(
      bytes(START, CP858, spaces(47), '78 0a', END_80),
    );
  });

  it('columns pad between left and right to the profile width', () => {
    const line = `Coffee${' '.repeat(22)}3.50`; // 32 columns on 58 mm
    expect(encode([{ kind: 'columns', left: 'Coffee', right: '3.50' }], PROFILE_58MM)).toBe(
      bytes(START, CP858, ascii(line), '0a', END_58),
    );
  });

  it('columns truncate the left text so the right text and one space always fit', () => {
    const doc: ReceiptBlock[] = [
      { kind: 'columns', left: 'A very long product name that does not fit', right: '12.00', bold: true },
    ];
    expect(encode(doc, PROFILE_58MM)).toBe(
      bytes(START, '1b 45 01', CP858, ascii('A very long product name t 12.00'), '1b 45 00', '0a', END_58),
    );
  });

  it('a rule is a full-width line of dashes', () => {
    expect(encode([{ kind: 'rule' }], PROFILE_58MM)).toBe(
      bytes(START, CP858, ascii('-'.repeat(32)), '0a', END_58),
    );
    expect(encode([{ kind: 'rule' }])).toBe(bytes(START, CP858, ascii('-'.repeat(48)), '0a', END_80));
  });

  it('a QR code is model 2, centred with ESC a, via GS ( k', () => {
    expect(encode([{ kind: 'qr', data: 'hi' }])).toBe(
      bytes(
        START,
        '1b 61 01', // ESC a 1: centre
        '1d 28 6b 04 00 31 41 32 00', // fn 65: model 2
        '1d 28 6b 03 00 31 43 06', // fn 67: module size 6 (80 mm profile)
        '1d 28 6b 03 00 31 45 31', // fn 69: error correction M
        '1d 28 6b 05 00 31 50 30 68 69', // fn 80: store "hi" (pL = 2 + 3)
        '1d 28 6b 03 00 31 51 30', // fn 81: print
        '0a', // the library ends the QR's line
        '1b 61 00', // ESC a 0: left
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
      bytes(START, CP858, spaces(14), ascii('R-1'), '0a', END_58),
    );
  });

  it('a logo is a raster image (GS v 0), centred, thresholded, padded to 8 rows', () => {
    const black = [0, 0, 0, 255];
    const white = [255, 255, 255, 255];
    const row1 = [black, white, black, white, black, white, black, white].flat(); // 1010 1010
    const row2 = [white, white, white, white, white, white, black, black].flat(); // 0000 0011
    const image = { width: 8, height: 2, data: Uint8Array.from([...row1, ...row2]) };
    expect(encode([{ kind: 'image', image }], PROFILE_58MM)).toBe(
      bytes(
        START,
        '1b 61 01',
        '1d 76 30 00 01 00 08 00', // GS v 0, m 0, 1 byte per row, 8 rows
        'aa 03 00 00 00 00 00 00',
        '0a 1b 61 00',
        END_58,
      ),
    );
  });

  it('feed is that many LFs, and zero lines emit nothing', () => {
    expect(
      encode([
        { kind: 'feed', lines: 2 },
        { kind: 'feed', lines: 0 },
      ]),
    ).toBe(bytes(START, '0a 0a', END_80));
  });

  it('an explicit cut is not doubled at the end, and a cut mid-document splits receipts', () => {
    expect(encode([{ kind: 'text', text: 'A' }, { kind: 'cut' }])).toBe(bytes(START, CP858, '41 0a', END_80));
    expect(encode([{ kind: 'text', text: 'A' }, { kind: 'cut' }, { kind: 'text', text: 'B' }])).toBe(
      bytes(START, CP858, '41 0a', END_80, '42 0a', END_80),
    );
  });

  it('long text wraps at word boundaries to the width, half the width when double size', () => {
    const text = 'The quick brown fox jumps over the lazy dog';
    expect(encode([{ kind: 'text', text }], PROFILE_58MM)).toBe(
      bytes(START, CP858, ascii('The quick brown fox jumps over'), '0a', ascii('the lazy dog'), '0a', END_58),
    );
    expect(encode([{ kind: 'text', text: 'GRAND TOTAL DUE', size: 'double' }], PROFILE_58MM)).toBe(
      bytes(START, '1d 21 11', CP858, ascii('GRAND TOTAL DUE'), '1d 21 00 0a', END_58),
    );
    expect(encode([{ kind: 'text', text: 'GRAND TOTAL AMOUNT', size: 'double' }], PROFILE_58MM)).toBe(
      bytes(
        START,
        '1d 21 11',
        CP858,
        ascii('GRAND TOTAL'),
        '1d 21 00 0a 1d 21 11',
        ascii('AMOUNT'),
        '1d 21 00 0a',
        END_58,
      ),
    );
  });

  it('control characters in receipt data can never become printer commands', () => {
    expect(encode([{ kind: 'text', text: 'A\u001b@B\u0007' }])).toBe(
      bytes(START, CP858, '41 3f 40 42 3f 0a', END_80),
    );
  });

  it('§ and ¶ print as "?" rather than the control bytes the library would send for them', () => {
    expect(encode([{ kind: 'text', text: '§1 ¶' }])).toBe(bytes(START, CP858, '3f 31 20 3f 0a', END_80));
  });

  it('German, French and the euro print on CP858', () => {
    expect(encode([{ kind: 'text', text: 'Grüße Ärger Öl ß € çà éèê' }])).toBe(
      bytes(
        START,
        CP858,
        '47 72 81 e1 65 20', // Grüße
        '8e 72 67 65 72 20', // Ärger
        '99 6c 20 e1 20 d5 20', // Öl ß €
        '87 85 20 82 8a 88', // çà éèê
        '0a',
        END_80,
      ),
    );
  });

  it('Cyrillic switches to CP866 (ESC t 17) mid-line and back for Latin text', () => {
    expect(encode([{ kind: 'text', text: 'Ёлка ü' }])).toBe(
      bytes(START, CP866, 'f0 ab aa a0 20', CP858, '81', '0a', END_80),
    );
  });

  it('Central European letters use CP852 (ESC t 18) where the profile has it', () => {
    expect(encode([{ kind: 'text', text: 'Łódź' }])).toBe(bytes(START, CP852, '9d a2 64 ab', '0a', END_80));
  });

  it('characters missing from every page fall back to the base letter, else "?"', () => {
    const cp437: PrinterProfile = {
      ...PROFILE_80MM,
      id: 'cp437',
      codepages: { mapping: { cp437: 0 }, candidates: ['cp437'] },
    };
    // ő is not in CP437 → o; € is not in CP437 → ?; ü is 0x81.
    expect(encode([{ kind: 'text', text: 'őü€' }], cp437)).toBe(
      bytes(START, '1b 74 00', '6f 81 3f 0a', END_80),
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
    expect(bad([{ kind: 'image', image: { width: 7, height: 1, data: new Uint8Array(28) } }])).toThrowError(
      expect.objectContaining({ code: 'invalid_block' }),
    );
    expect(bad([], { ...PROFILE_80MM, columns: 40 })).toThrowError(
      expect.objectContaining({ code: 'invalid_profile' }),
    );
    expect(bad([], { ...PROFILE_80MM, codepages: { mapping: {}, candidates: ['cp866'] } })).toThrowError(
      expect.objectContaining({ code: 'invalid_profile' }),
    );
  });
});

describe('layoutColumns', () => {
  it('layoutColumns fills exactly the width', () => {
    expect(layoutColumns('a', 'b', 5)).toBe('a   b');
    expect(layoutColumns('', 'b', 3)).toBe('  b');
    expect(layoutColumns('abc', '', 5)).toBe('abc  ');
    expect(layoutColumns('abcdef', 'xyz', 6)).toBe('ab xyz');
    expect(layoutColumns('abc', 'toolongright', 5)).toBe('toolo');
    expect(layoutColumns('Line\nbreak', '1', 12)).toBe('Line break 1');
  });
  // wrapText's test moved with it to packages/receipts/src/text.test.ts.
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
