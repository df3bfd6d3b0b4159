/**
 * Single-byte code pages for receipt text. Printers do not speak UTF-8: text is mapped to the printer's active
 * page (selected with `ESC t n`). Supported: CP437 (the power-on default, n=0) and CP858 (CP850 with € at 0xD5;
 * Western European accents, n=19 on Epson). Bytes 0x20–0x7E are ASCII on both; the tables below are the upper
 * halves 0x80–0xFF, generated from Python's codecs and checked by tests.
 */
export type CodePageName = 'cp437' | 'cp858';

export const CODE_PAGE_NAMES: readonly CodePageName[] = Object.freeze(['cp437', 'cp858']);

const CP437_HIGH =
  '\u00C7\u00FC\u00E9\u00E2\u00E4\u00E0\u00E5\u00E7\u00EA\u00EB\u00E8\u00EF\u00EE\u00EC\u00C4\u00C5' +
  '\u00C9\u00E6\u00C6\u00F4\u00F6\u00F2\u00FB\u00F9\u00FF\u00D6\u00DC\u00A2\u00A3\u00A5\u20A7\u0192' +
  '\u00E1\u00ED\u00F3\u00FA\u00F1\u00D1\u00AA\u00BA\u00BF\u2310\u00AC\u00BD\u00BC\u00A1\u00AB\u00BB' +
  '\u2591\u2592\u2593\u2502\u2524\u2561\u2562\u2556\u2555\u2563\u2551\u2557\u255D\u255C\u255B\u2510' +
  '\u2514\u2534\u252C\u251C\u2500\u253C\u255E\u255F\u255A\u2554\u2569\u2566\u2560\u2550\u256C\u2567' +
  '\u2568\u2564\u2565\u2559\u2558\u2552\u2553\u256B\u256A\u2518\u250C\u2588\u2584\u258C\u2590\u2580' +
  '\u03B1\u00DF\u0393\u03C0\u03A3\u03C3\u00B5\u03C4\u03A6\u0398\u03A9\u03B4\u221E\u03C6\u03B5\u2229' +
  '\u2261\u00B1\u2265\u2264\u2320\u2321\u00F7\u2248\u00B0\u2219\u00B7\u221A\u207F\u00B2\u25A0\u00A0';
const CP858_HIGH =
  '\u00C7\u00FC\u00E9\u00E2\u00E4\u00E0\u00E5\u00E7\u00EA\u00EB\u00E8\u00EF\u00EE\u00EC\u00C4\u00C5' +
  '\u00C9\u00E6\u00C6\u00F4\u00F6\u00F2\u00FB\u00F9\u00FF\u00D6\u00DC\u00F8\u00A3\u00D8\u00D7\u0192' +
  '\u00E1\u00ED\u00F3\u00FA\u00F1\u00D1\u00AA\u00BA\u00BF\u00AE\u00AC\u00BD\u00BC\u00A1\u00AB\u00BB' +
  '\u2591\u2592\u2593\u2502\u2524\u00C1\u00C2\u00C0\u00A9\u2563\u2551\u2557\u255D\u00A2\u00A5\u2510' +
  '\u2514\u2534\u252C\u251C\u2500\u253C\u00E3\u00C3\u255A\u2554\u2569\u2566\u2560\u2550\u256C\u00A4' +
  '\u00F0\u00D0\u00CA\u00CB\u00C8\u20AC\u00CD\u00CE\u00CF\u2518\u250C\u2588\u2584\u00A6\u00CC\u2580' +
  '\u00D3\u00DF\u00D4\u00D2\u00F5\u00D5\u00B5\u00FE\u00DE\u00DA\u00DB\u00D9\u00FD\u00DD\u00AF\u00B4' +
  '\u00AD\u00B1\u2017\u00BE\u00B6\u00A7\u00F7\u00B8\u00B0\u00A8\u00B7\u00B9\u00B3\u00B2\u25A0\u00A0';

const HIGH_HALVES: Readonly<Record<CodePageName, string>> = Object.freeze({
  cp437: CP437_HIGH,
  cp858: CP858_HIGH,
});

function reverseTable(high: string): ReadonlyMap<number, number> {
  const map = new Map<number, number>();
  for (let i = 0; i < high.length; i++) map.set(high.charCodeAt(i), 0x80 + i);
  return map;
}

const REVERSE: Readonly<Record<CodePageName, ReadonlyMap<number, number>>> = Object.freeze({
  cp437: reverseTable(CP437_HIGH),
  cp858: reverseTable(CP858_HIGH),
});

/** The byte for one Unicode code point on `page`, or undefined when the page has no such glyph. */
export function encodeCodePoint(page: CodePageName, codePoint: number): number | undefined {
  if (codePoint >= 0x20 && codePoint <= 0x7e) return codePoint;
  return REVERSE[page].get(codePoint);
}

/** The Unicode character for a printable byte (0x20–0x7E, 0x80–0xFF) on `page`; undefined for control bytes. */
export function decodeByte(page: CodePageName, byte: number): string | undefined {
  if (byte >= 0x20 && byte <= 0x7e) return String.fromCharCode(byte);
  if (byte >= 0x80 && byte <= 0xff) return HIGH_HALVES[page].charAt(byte - 0x80);
  return undefined;
}

/**
 * Encode one line of text to bytes on `page`. Text is NFC-normalised; a character the page lacks falls back to
 * its base letter when it has one (ő → o on CP437), otherwise to '?'. Control characters become '?' so that
 * receipt data can never inject printer commands. One output byte per code point, so length = print columns.
 */
export function encodeText(page: CodePageName, text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0x3f;
    const direct = encodeCodePoint(page, cp);
    if (direct !== undefined) {
      out.push(direct);
      continue;
    }
    const base = ch.normalize('NFD').replace(/\p{M}+/gu, '');
    const baseCp = base.length === 1 ? base.codePointAt(0) : undefined;
    const fallback = baseCp === undefined ? undefined : encodeCodePoint(page, baseCp);
    out.push(fallback ?? 0x3f);
  }
  return Uint8Array.from(out);
}

/** Number of print columns `text` occupies once encoded (one per code point after NFC). */
export function printWidth(text: string): number {
  return Array.from(text.normalize('NFC')).length;
}
