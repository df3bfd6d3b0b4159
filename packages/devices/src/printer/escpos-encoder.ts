/**
 * Pure ESC/POS encoder: ReceiptDocument (@tillwright/receipts) + PrinterProfile → bytes. A thin layer over
 * `@point-of-sale/receipt-printer-encoder` 4.0.1, pinned exactly (docs/decisions/0006-receipt-encoder.md): the
 * library emits every byte of a receipt; this module owns the layout rules (word wrap, with the receipts package's
 * `wrapText`; two-column lines; the rule as '-'; QR fallback), the safety pass on text (control characters never
 * reach the printer) and the mapping from our profile data to the library's options.
 *
 * Output shape (library 4.0.1): ESC @ · FS . · ESC M 0 · blocks… · [LF × feedBeforeCut · GS V 1 · LF]. Text
 * alignment is done by the library with leading spaces; QR codes and images use ESC a. Code pages are switched
 * with ESC t n (the profile's numbers) only when a character needs it, starting from the first candidate.
 */
import ReceiptPrinterEncoder, {
  type ReceiptPrinterEncoderOptions,
} from '@point-of-sale/receipt-printer-encoder';
import { type ReceiptBlock, type ReceiptDocument, type ReceiptImage, wrapText } from '@tillwright/receipts';
import { ReceiptEncodeError } from '../errors.js';
import { type CodePageName, encodeCodePoint, printableText } from './codepages.js';
import type { PrinterProfile } from './profiles.js';

/** Byte capacity of a model 2 QR code at version 40, error correction level M. */
export const QR_MAX_BYTES = 2331;
/** Column counts the library lays out (it refuses others). */
const LIBRARY_COLUMNS: ReadonlySet<number> = new Set([32, 35, 42, 44, 48]);

type Encoder = ReceiptPrinterEncoder;
type Candidates = NonNullable<ReceiptPrinterEncoderOptions['codepageCandidates']>;
type LibraryCodepage = Parameters<Encoder['codepage']>[0];

export function encodeReceipt(doc: ReceiptDocument, profile: PrinterProfile): Uint8Array {
  validateProfile(profile);
  const pages = profile.codepages.candidates;
  const enc = new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns: profile.columns,
    feedBeforeCut: profile.feedBeforeCut,
    newline: '\n',
    imageMode: profile.imageMode,
    codepageMapping: { ...profile.codepages.mapping } as Record<string, number>,
    codepageCandidates: [...pages] as unknown as Candidates,
    errors: 'relaxed',
  });
  enc.initialize();
  doc.blocks.forEach((block, index) => {
    encodeBlock(enc, block, index, profile, pages);
  });
  if (doc.blocks.at(-1)?.kind !== 'cut') encodeCut(enc, profile);
  return enc.encode();
}

function encodeBlock(
  enc: Encoder,
  block: ReceiptBlock,
  index: number,
  profile: PrinterProfile,
  pages: readonly CodePageName[],
): void {
  switch (block.kind) {
    case 'text': {
      const double = block.size === 'double';
      const align = block.align ?? 'left';
      if (align !== 'left') enc.align(align);
      if (block.bold === true) enc.bold(true);
      if (double) enc.size(2, 2);
      const width = Math.floor(profile.columns / (double ? 2 : 1));
      for (const line of wrapText(printableText(pages, block.text), width)) {
        textInPages(enc, line, pages).newline();
      }
      if (double) enc.size(1, 1);
      if (block.bold === true) enc.bold(false);
      if (align !== 'left') enc.align('left');
      return;
    }
    case 'columns': {
      if (block.bold === true) enc.bold(true);
      const line = layoutColumns(
        printableText(pages, block.left),
        printableText(pages, block.right),
        profile.columns,
      );
      textInPages(enc, line, pages).newline();
      if (block.bold === true) enc.bold(false);
      return;
    }
    case 'rule':
      textInPages(enc, '-'.repeat(profile.columns), pages).newline();
      return;
    case 'qr':
      encodeQr(enc, block.data, index, profile, pages);
      return;
    case 'image':
      encodeImage(enc, block.image, index, profile);
      return;
    case 'feed':
      if (!Number.isInteger(block.lines) || block.lines < 0 || block.lines > 255) {
        throw new ReceiptEncodeError('invalid_block', 'feed lines must be an integer 0–255', index);
      }
      if (block.lines > 0) enc.newline(block.lines);
      return;
    case 'cut':
      encodeCut(enc, profile);
      return;
  }
}

/**
 * Text in runs of one code page each, chosen as the library's 'auto' mode would (stay on the run's page while it
 * has the character, else the first candidate that has it), but from our own tables: the library's auto mode
 * deep-copies a code-page definition for every character, which made a 50-line receipt take about 65 ms.
 */
function textInPages(enc: Encoder, line: string, pages: readonly CodePageName[]): Encoder {
  let run = '';
  let runPage: CodePageName | undefined;
  for (const ch of line) {
    const cp = ch.codePointAt(0) ?? 0x3f;
    const page =
      runPage !== undefined && encodeCodePoint(runPage, cp) !== undefined
        ? runPage
        : (pages.find((candidate) => encodeCodePoint(candidate, cp) !== undefined) ?? runPage ?? pages[0]);
    if (page !== runPage && run !== '') {
      enc.codepage(runPage as LibraryCodepage).text(run);
      run = '';
    }
    runPage = page;
    run += ch;
  }
  if (run !== '' && runPage !== undefined) enc.codepage(runPage as LibraryCodepage).text(run);
  return enc;
}

function encodeCut(enc: Encoder, profile: PrinterProfile): void {
  if (profile.cutter.present) {
    enc.cut(profile.cutter.mode); // the library feeds `feedBeforeCut` lines first
  } else if (profile.feedBeforeCut > 0) {
    enc.newline(profile.feedBeforeCut); // tear-off: feed past the tear bar
  }
}

function encodeQr(
  enc: Encoder,
  data: string,
  index: number,
  profile: PrinterProfile,
  pages: readonly CodePageName[],
): void {
  const payload = new TextEncoder().encode(data);
  if (payload.length === 0 || payload.length > QR_MAX_BYTES) {
    throw new ReceiptEncodeError('invalid_block', `QR data must be 1–${QR_MAX_BYTES} UTF-8 bytes`, index);
  }
  if (!profile.supportsQr) {
    encodeBlock(enc, { kind: 'text', text: data, align: 'center' }, index, profile, pages);
    return;
  }
  // The library stores QR data as ISO-8859-1, one byte per character; we store UTF-8 (what phone scanners
  // expect), so hand it the UTF-8 bytes as Latin-1 characters.
  const bytesAsLatin1 = Array.from(payload, (b) => String.fromCharCode(b)).join('');
  enc
    .align('center')
    .qrcode(bytesAsLatin1, { model: 2, size: profile.qrModuleSize, errorlevel: 'm' })
    .align('left');
}

function encodeImage(enc: Encoder, image: ReceiptImage, index: number, profile: PrinterProfile): void {
  const { width, height, data } = image;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 8 ||
    width % 8 !== 0 ||
    width > profile.dotsPerLine ||
    height < 1 ||
    height > 2400 ||
    data.length !== width * height * 4
  ) {
    throw new ReceiptEncodeError(
      'invalid_block',
      `image must be RGBA, width a multiple of 8 up to ${profile.dotsPerLine} dots, height 1–2400`,
      index,
    );
  }
  const pixels = data instanceof Uint8ClampedArray ? data : new Uint8ClampedArray(data);
  enc.align('center').image({ width, height, data: pixels }, width, height, 'threshold', 128).align('left');
}

/** `left` flush left and `right` flush right on one line of `width`; `left` gives way when both do not fit. */
export function layoutColumns(left: string, right: string, width: number): string {
  const r = Array.from(oneLine(right).normalize('NFC')).slice(0, width);
  const gap = r.length > 0 ? 1 : 0;
  const l = Array.from(oneLine(left).normalize('NFC')).slice(0, Math.max(0, width - r.length - gap));
  return l.join('') + ' '.repeat(width - l.length - r.length) + r.join('');
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

function validateProfile(profile: PrinterProfile): void {
  const problems: string[] = [];
  if (!LIBRARY_COLUMNS.has(profile.columns)) problems.push('columns (32, 35, 42, 44 or 48)');
  const { mapping, candidates } = profile.codepages;
  if (candidates.length === 0) problems.push('codepages.candidates (empty)');
  for (const page of candidates) {
    const n = mapping[page];
    if (n === undefined || !Number.isInteger(n) || n < 0 || n > 255)
      problems.push(`codepages.mapping.${page}`);
  }
  if (!Number.isInteger(profile.qrModuleSize) || profile.qrModuleSize < 1 || profile.qrModuleSize > 16) {
    problems.push('qrModuleSize');
  }
  if (!Number.isInteger(profile.feedBeforeCut) || profile.feedBeforeCut < 0 || profile.feedBeforeCut > 255) {
    problems.push('feedBeforeCut');
  }
  if (!Number.isInteger(profile.dotsPerLine) || profile.dotsPerLine < 8) problems.push('dotsPerLine');
  if (problems.length > 0) {
    throw new ReceiptEncodeError(
      'invalid_profile',
      `profile ${profile.id} has invalid ${problems.join(', ')}`,
    );
  }
}
