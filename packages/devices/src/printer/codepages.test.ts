import { describe, expect, it } from 'vitest';
import { CODE_PAGE_NAMES, decodeByte, encodeCodePoint, encodeText, printWidth } from './codepages.js';

describe('code pages', () => {
  it.each(CODE_PAGE_NAMES)('%s maps every printable byte to a distinct character and back', (page) => {
    const seen = new Set<string>();
    for (let byte = 0x20; byte <= 0xff; byte++) {
      if (byte === 0x7f) continue;
      const ch = decodeByte(page, byte);
      expect(ch, `byte 0x${byte.toString(16)}`).toBeDefined();
      seen.add(ch ?? '');
      expect(encodeCodePoint(page, ch?.codePointAt(0) ?? -1)).toBe(byte);
    }
    expect(seen.size).toBe(0xff - 0x20); // 224 printable bytes, no duplicates
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
    for (const page of CODE_PAGE_NAMES) {
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
