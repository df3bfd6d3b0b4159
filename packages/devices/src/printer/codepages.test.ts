import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { describe, expect, it } from 'vitest';
import { CODE_PAGE_NAMES, decodeByte, encodeCodePoint, encodeText, printWidth } from './codepages.js';

/** Windows-1252 leaves five bytes undefined. */
const UNDEFINED: Readonly<Record<string, readonly number[]>> = {
  windows1252: [0x81, 0x8d, 0x8f, 0x90, 0x9d],
};

describe('code pages', () => {
  it.each(CODE_PAGE_NAMES)('%s maps every printable byte to a distinct character and back', (page) => {
    const seen = new Set<string>();
    const undefinedBytes = UNDEFINED[page] ?? [];
    for (let byte = 0x20; byte <= 0xff; byte++) {
      if (byte === 0x7f || undefinedBytes.includes(byte)) continue;
      const ch = decodeByte(page, byte);
      expect(ch, `byte 0x${byte.toString(16)}`).toBeDefined();
      seen.add(ch ?? '');
      expect(encodeCodePoint(page, ch?.codePointAt(0) ?? -1)).toBe(byte);
    }
    expect(seen.size).toBe(0xff - 0x20 - undefinedBytes.length); // printable bytes, no duplicates
  });

  it.each(CODE_PAGE_NAMES)('%s agrees with the encoder library byte for byte (0x80–0xFF)', (page) => {
    // Our decode tables (from Python's codecs) and the library's encode tables are independent sources.
    const undefinedBytes = UNDEFINED[page] ?? [];
    const bytesHigh = Array.from({ length: 128 }, (_, i) => 0x80 + i).filter(
      (b) => !undefinedBytes.includes(b),
    );
    const text = bytesHigh.map((b) => decodeByte(page, b) ?? '').join('');
    const encoder = new ReceiptPrinterEncoder({ language: 'esc-pos', codepageMapping: { [page]: 7 } });
    const out = Array.from(
      encoder
        .initialize()
        .codepage(page as never)
        .text(text)
        .encode(),
    );
    // After ESC @ FS . ESC M 0 ESC t 7; the library wraps long text with LF CR, which we drop.
    const printed = out.slice(out.indexOf(0x74) + 2).filter((b) => b !== 0x0a && b !== 0x0d);
    // Known library quirk: ¶ and § come out as the control bytes 0x14/0x15 (see printableText).
    const quirk = (b: number): number => {
      if (page === 'windows1252') return b;
      const ch = decodeByte(page, b);
      return ch === '¶' ? 0x14 : ch === '§' ? 0x15 : b;
    };
    expect(printed).toEqual(bytesHigh.map(quirk));
  });

  it('control bytes have no character', () => {
    expect(decodeByte('cp437', 0x1b)).toBeUndefined();
    expect(decodeByte('cp858', 0x7f)).toBeUndefined();
  });

  it('CP858 has the euro sign at 0xD5 where CP850 had ı', () => {
    expect(decodeByte('cp858', 0xd5)).toBe('€');
    expect(encodeCodePoint('cp858', 0x20ac)).toBe(0xd5);
    expect(encodeCodePoint('cp437', 0x20ac)).toBeUndefined();
  });

  it('spot checks against the published tables', () => {
    expect(decodeByte('cp437', 0x9b)).toBe('¢');
    expect(decodeByte('cp437', 0xe1)).toBe('ß');
    expect(decodeByte('cp437', 0xc4)).toBe('─');
    expect(decodeByte('cp858', 0x9d)).toBe('Ø');
    expect(decodeByte('cp858', 0xb7)).toBe('À');
    expect(decodeByte('cp858', 0xe1)).toBe('ß');
    expect(decodeByte('cp866', 0x80)).toBe('А');
    expect(decodeByte('cp852', 0x9d)).toBe('Ł');
    expect(decodeByte('windows1252', 0x80)).toBe('€');
    for (const page of ['cp437', 'cp850', 'cp858'] as const) {
      expect(Array.from(encodeText(page, 'ÄÖÜäöüéèàç'))).toEqual([
        0x8e, 0x99, 0x9a, 0x84, 0x94, 0x81, 0x82, 0x8a, 0x85, 0x87,
      ]);
    }
  });

  it('encodeText normalises decomposed accents before mapping', () => {
    expect(Array.from(encodeText('cp858', 'e\u0301'))).toEqual([0x82]);
    expect(printWidth('e\u0301x')).toBe(2);
  });

  it('encodeText falls back to the base letter, then to "?"', () => {
    // ó is in CP858 (0xA2); ź decomposes to z + accent → z; Ł does not decompose, so it becomes '?'.
    expect(Array.from(encodeText('cp858', 'Łódź'))).toEqual([0x3f, 0xa2, 0x64, 0x7a]);
  });
});
