/**
 * Printer profiles as data: what the encoder, the transports and the drawer need to know about a model. Nothing
 * here is code; add a model by adding an object. Code page numbers are the model's own `ESC t n` numbers
 * (they differ by vendor: research/devices.md §2.2); `candidates` lists the pages the model really has, in the
 * order the encoder should prefer them, and every candidate must have a number in `mapping`.
 */
import type { CodePageName } from './codepages.js';
import type { DrawerPin } from './escpos-commands.js';

export interface CodePageProfile {
  /** `ESC t n` number for each page this model has. */
  readonly mapping: Readonly<Partial<Record<CodePageName, number>>>;
  /** Pages the encoder may switch to, preferred first. The first is the receipt's starting page. */
  readonly candidates: readonly CodePageName[];
}

export interface StatusSupport {
  /** Answers real-time `DLE EOT n` (n = 1..4). */
  readonly dleEot: boolean;
  /** Supports Automatic Status Back (`GS a n`, 4-byte frames on every change). */
  readonly asb: boolean;
}

export interface DrawerSupport {
  /** Kick-out connector pins wired on this model (0 = connector pin 2, 1 = pin 5). Empty: no drawer port. */
  readonly pins: readonly DrawerPin[];
  /** Accepts the real-time kick `DLE DC4 1 m t` (runs even when offline); otherwise only buffered `ESC p`. */
  readonly realtimeKick: boolean;
  /** Reports the drawer sensor (connector pin 3) in DLE EOT 1 bit 2 / ASB byte 1 bit 2. */
  readonly sensor: boolean;
  /** Sensor level that means "open". Depends on the drawer: many read high when open. */
  readonly openLevel: 'high' | 'low';
}

export interface PrinterProfile {
  readonly id: string;
  readonly paperWidthMm: 58 | 80;
  /** Characters per line in font A at normal size. The encoder library accepts 32, 35, 42, 44 or 48. */
  readonly columns: number;
  /** Printable width in dots (images are scaled to at most this). */
  readonly dotsPerLine: number;
  readonly codepages: CodePageProfile;
  readonly supportsQr: boolean;
  /** QR module size in dots, 1–16 (GS ( k fn 67). */
  readonly qrModuleSize: number;
  /** `GS v 0` raster or `ESC *` column images; some clones only do one (research §2.4). */
  readonly imageMode: 'raster' | 'column';
  readonly cutter: { readonly present: boolean; readonly mode: 'partial' | 'full' };
  /** Lines fed before the cut so the last printed line clears the cutter. */
  readonly feedBeforeCut: number;
  readonly status: StatusSupport;
  readonly drawer: DrawerSupport;
}

/** Epson numbering for `ESC t n` (TM-T20/T88 family and most clones that follow it). */
export const EPSON_CODE_PAGES: Readonly<Partial<Record<CodePageName, number>>> = Object.freeze({
  cp437: 0,
  cp850: 2,
  windows1252: 16,
  cp866: 17,
  cp852: 18,
  cp858: 19,
});

/** Epson numbering for `ESC t n`, number → page: the decoder's default table. */
export const EPSON_CODE_PAGE_NUMBERS: Readonly<Record<number, CodePageName>> = Object.freeze(
  Object.fromEntries(Object.entries(EPSON_CODE_PAGES).map(([name, n]) => [n, name as CodePageName])),
);

/** @deprecated kept for callers of the first API; profiles now carry `codepages` (see `CodePageProfile`). */
export interface CodePageSelection {
  readonly name: CodePageName;
  readonly number: number;
}

/** 80 mm paper, font A: 48 columns, 576 dots (Epson TM-T20 class). */
export const PROFILE_80MM: PrinterProfile = Object.freeze({
  id: 'escpos-80mm',
  paperWidthMm: 80,
  columns: 48,
  dotsPerLine: 576,
  codepages: Object.freeze({
    mapping: EPSON_CODE_PAGES,
    candidates: Object.freeze(['cp858', 'cp852', 'cp866'] as const),
  }),
  supportsQr: true,
  qrModuleSize: 6,
  imageMode: 'raster',
  cutter: Object.freeze({ present: true, mode: 'partial' }),
  feedBeforeCut: 4,
  status: Object.freeze({ dleEot: true, asb: true }),
  drawer: Object.freeze({
    pins: Object.freeze([0, 1] as const),
    realtimeKick: true,
    sensor: true,
    openLevel: 'high',
  }),
} satisfies PrinterProfile);

/** 58 mm paper, font A: 32 columns, 384 dots (POS-5890 class clones): no ASB, no real-time kick, one drawer pin. */
export const PROFILE_58MM: PrinterProfile = Object.freeze({
  id: 'escpos-58mm',
  paperWidthMm: 58,
  columns: 32,
  dotsPerLine: 384,
  codepages: Object.freeze({
    mapping: EPSON_CODE_PAGES,
    candidates: Object.freeze(['cp858', 'cp866'] as const),
  }),
  supportsQr: true,
  qrModuleSize: 4,
  imageMode: 'raster',
  cutter: Object.freeze({ present: true, mode: 'partial' }),
  feedBeforeCut: 3,
  status: Object.freeze({ dleEot: true, asb: false }),
  drawer: Object.freeze({
    pins: Object.freeze([0] as const),
    realtimeKick: false,
    sensor: false,
    openLevel: 'high',
  }),
} satisfies PrinterProfile);

export const PRINTER_PROFILES: readonly PrinterProfile[] = Object.freeze([PROFILE_80MM, PROFILE_58MM]);

/** `ESC t n` number → page, for the decoder, from a profile's mapping. */
export function decoderCodePages(profile: PrinterProfile): Readonly<Record<number, CodePageName>> {
  const table: Record<number, CodePageName> = {};
  for (const [name, number] of Object.entries(profile.codepages.mapping)) {
    if (number !== undefined) table[number] = name as CodePageName;
  }
  return table;
}
