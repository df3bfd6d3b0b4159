/** What every scanner emits as a UPOS DataEvent, whatever the transport. */
import { splitAim } from './aim.js';
import { classifySymbology, type Symbology } from './barcode.js';
import { type Gs1Element, parseGs1 } from './gs1.js';

export type ScanSource = 'serial' | 'hid-pos' | 'wedge' | 'simulated';

export interface ScanData {
  /** The barcode data without AIM identifier, prefix or suffix (bytes as Latin-1; GS1 separators kept as GS). */
  data: string;
  symbology: Symbology;
  /** Milliseconds since the epoch (from the injected clock). */
  receivedAt: number;
  /** The AIM symbology identifier when the scanner sent one, e.g. "]E0". */
  aim?: string;
  /** The frame as received (after transport framing), kept for audit. */
  raw?: Uint8Array;
  source?: ScanSource;
  /** GS1 application identifiers, when the AIM id says GS1 (]C1, ]d2, ]Q3, ]e0, ]J1) and the data parses. */
  gs1?: Gs1Element[];
}

/** Build ScanData from a frame's bytes: strip and resolve a leading AIM identifier, else guess by check digit. */
export function decodeScan(bytes: Uint8Array, source: ScanSource, receivedAt: number): ScanData {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const { aim, data } = splitAim(text);
  const scan: ScanData = {
    data,
    symbology: aim ? aim.symbology : classifySymbology(data),
    receivedAt,
    raw: Uint8Array.from(bytes),
    source,
  };
  if (aim) scan.aim = aim.id;
  if (aim?.gs1) {
    const parsed = parseGs1(text);
    if (parsed.ok) scan.gs1 = parsed.elements;
  }
  return scan;
}
