/**
 * AIM symbology identifiers (ISO/IEC 15424): `]` + code character + modifier, sent by a scanner in front of
 * the data when so programmed. The table maps code character (and, where it matters, the modifier) to a
 * symbology name; GS1-carrying identifiers (]C1, ]e0, ]d2, ]Q3, ]J1) mean "parse the data as a GS1 element
 * string" (research §1.4; jodal/biip symbology.py; NielsLeenheer/BarcodeParser aim.js).
 */
import type { Symbology } from './barcode.js';

export interface AimIdentifier {
  /** The three characters as sent, e.g. "]E0". */
  id: string;
  symbology: Symbology;
  /** True when the data is a GS1 element string (FNC1 in first position). */
  gs1: boolean;
}

/** code character → modifier → symbology. '*' is any other modifier. */
const AIM_TABLE: Readonly<Record<string, Readonly<Record<string, readonly [Symbology, boolean]>>>> = {
  A: { '*': ['Code 39', false] },
  C: { '0': ['Code 128', false], '1': ['GS1-128', true], '*': ['Code 128', false] },
  d: { '2': ['GS1 DataMatrix', true], '*': ['DataMatrix', false] },
  E: {
    '0': ['EAN/UPC', false],
    '1': ['EAN/UPC', false],
    '2': ['EAN/UPC', false],
    '3': ['EAN/UPC', false],
    '4': ['EAN-8', false],
    '*': ['EAN/UPC', false],
  },
  e: { '*': ['GS1 DataBar', true] },
  F: { '*': ['Codabar', false] },
  G: { '*': ['Code 93', false] },
  I: { '1': ['ITF-14', false], '*': ['ITF', false] },
  J: { '1': ['GS1 DotCode', true], '*': ['DotCode', false] },
  L: { '*': ['PDF417', false] },
  Q: { '3': ['GS1 QR Code', true], '*': ['QR Code', false] },
  z: { '*': ['Aztec', false] },
};

/** Parse a leading AIM identifier; undefined when `text` does not start with a known one. */
export function parseAimIdentifier(text: string): AimIdentifier | undefined {
  if (text.length < 3 || text[0] !== ']') return undefined;
  const code = text[1] ?? '';
  const modifier = text[2] ?? '';
  if (!/^[0-9A-Za-z]$/.test(modifier)) return undefined;
  const entry = AIM_TABLE[code]?.[modifier] ?? AIM_TABLE[code]?.['*'];
  if (!entry) return undefined;
  return { id: text.slice(0, 3), symbology: entry[0], gs1: entry[1] };
}

/**
 * Split a scanned string into its AIM identifier and data, and resolve ]E0 (EAN-13 or UPC-A, told apart by
 * length, research §1.4) and ]E4 to a precise symbology.
 */
export function splitAim(text: string): { aim: AimIdentifier | undefined; data: string } {
  const aim = parseAimIdentifier(text);
  if (!aim) return { aim: undefined, data: text };
  const data = text.slice(3);
  if (aim.symbology === 'EAN/UPC') {
    const precise: Symbology =
      data.length === 13 ? 'EAN-13' : data.length === 12 ? 'UPC-A' : data.length === 8 ? 'UPC-E' : 'EAN/UPC';
    return { aim: { ...aim, symbology: precise }, data };
  }
  return { aim, data };
}
