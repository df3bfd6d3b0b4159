/**
 * The paper side of the ESC/POS decoder: keeps the print mode (align, bold, size) and turns printed characters,
 * line feeds, QR codes and cuts into DecodedReceipts. Knows nothing about bytes.
 */
import type { TextAlign } from '@tillwright/receipts';

export interface DecodedLine {
  /** The printed characters, trailing spaces trimmed. Alignment is not rendered into the text. */
  text: string;
  /** Alignment in force when the line started. */
  align: TextAlign;
  /** True when any character on the line was printed emphasised. */
  bold: boolean;
  /** Largest character width / height multiplier used on the line (1 = normal, 2 = double). */
  widthScale: number;
  heightScale: number;
  /** The width multiplier each character of `text` was printed with, in order (padding is often single width). */
  cellWidths?: number[];
}

/** A bitmap printed with GS v 0 or ESC *: `bits` row-major, 1 = black dot. */
export interface DecodedImage {
  width: number;
  height: number;
  bits: Uint8Array;
  align: TextAlign;
}

/** What was printed, in paper order: the input of the PNG renderer. */
export type DecodedItem =
  | { kind: 'line'; line: DecodedLine }
  | { kind: 'qr'; data: string; moduleSize: number; align: TextAlign }
  | { kind: 'image'; image: DecodedImage };

export interface DecodedReceipt {
  /** Printed lines joined with '\n', trailing spaces trimmed per line, trailing blank lines dropped. */
  text: string;
  lines: DecodedLine[];
  /** Data of every QR code printed, in order. */
  qrCodes: string[];
  /** Bitmaps printed (logos), in order. */
  images: DecodedImage[];
  /** Lines, QR codes and images in paper order. */
  items: DecodedItem[];
  /** True when the receipt ended with a cut; false when the stream ended without one. */
  cut: boolean;
}

interface PrintMode {
  align: TextAlign;
  bold: boolean;
  widthScale: number;
  heightScale: number;
}

const DEFAULT_MODE: Readonly<PrintMode> = Object.freeze({
  align: 'left',
  bold: false,
  widthScale: 1,
  heightScale: 1,
});

export class ReceiptAssembler {
  #mode: PrintMode = { ...DEFAULT_MODE };
  #lines: DecodedLine[] = [];
  #qrCodes: string[] = [];
  #images: DecodedImage[] = [];
  #items: DecodedItem[] = [];
  #pending: DecodedLine | undefined;

  /** ESC @: reset the print mode and discard characters not yet printed (what the printer does). */
  initialize(): void {
    this.#mode = { ...DEFAULT_MODE };
    this.#pending = undefined;
  }

  setAlign(align: TextAlign): void {
    this.#mode.align = align;
  }

  setBold(bold: boolean): void {
    this.#mode.bold = bold;
  }

  setScale(widthScale: number, heightScale: number): void {
    this.#mode.widthScale = widthScale;
    this.#mode.heightScale = heightScale;
  }

  printChar(ch: string): void {
    const line = this.#pending ?? this.#startLine();
    line.text += ch;
    line.cellWidths?.push(this.#mode.widthScale);
    if (this.#mode.bold && ch !== ' ') line.bold = true;
    line.widthScale = Math.max(line.widthScale, this.#mode.widthScale);
    line.heightScale = Math.max(line.heightScale, this.#mode.heightScale);
  }

  /** LF: print the pending line (or a blank one) and move to the next line. */
  lineFeed(): void {
    const line = this.#pending ?? this.#startLine();
    this.#pending = undefined;
    line.text = line.text.replace(/ +$/, '');
    line.cellWidths = line.cellWidths?.slice(0, Array.from(line.text).length);
    this.#lines.push(line);
    this.#items.push({ kind: 'line', line });
  }

  /** ESC d n: print and feed n lines (n = 0 still prints a pending line). */
  feedLines(n: number): void {
    const count = n === 0 && this.#pending !== undefined ? 1 : n;
    for (let i = 0; i < count; i++) this.lineFeed();
  }

  printQr(data: string, moduleSize = 3): void {
    if (this.#pending !== undefined) this.lineFeed();
    this.#qrCodes.push(data);
    this.#items.push({ kind: 'qr', data, moduleSize, align: this.#mode.align });
  }

  /** A bit image prints at the start of a line, like a QR code. */
  printImage(width: number, height: number, bits: Uint8Array): void {
    if (this.#pending !== undefined) this.lineFeed();
    const image: DecodedImage = { width, height, bits, align: this.#mode.align };
    this.#images.push(image);
    this.#items.push({ kind: 'image', image });
  }

  /** GS V: the paper is cut; everything printed since the last cut is one receipt. */
  cut(): DecodedReceipt {
    if (this.#pending !== undefined) this.lineFeed();
    return this.#takeReceipt(true);
  }

  /** The stream ended: a receipt without a cut, if anything visible was printed since the last cut. */
  finish(): DecodedReceipt | undefined {
    if (this.#pending !== undefined) this.lineFeed();
    const visible =
      this.#qrCodes.length > 0 || this.#images.length > 0 || this.#lines.some((line) => line.text.length > 0);
    if (!visible) {
      this.#lines = [];
      this.#items = [];
      return undefined;
    }
    return this.#takeReceipt(false);
  }

  #startLine(): DecodedLine {
    const line: DecodedLine = {
      text: '',
      align: this.#mode.align,
      bold: false,
      widthScale: this.#mode.widthScale,
      heightScale: this.#mode.heightScale,
      cellWidths: [],
    };
    this.#pending = line;
    return line;
  }

  #takeReceipt(cut: boolean): DecodedReceipt {
    const lines = this.#lines;
    while (lines.length > 0 && lines[lines.length - 1]?.text === '') lines.pop();
    const items = this.#items;
    while (items.length > 0) {
      const last = items[items.length - 1];
      if (last?.kind !== 'line' || last.line.text !== '') break;
      items.pop();
    }
    const receipt: DecodedReceipt = {
      text: lines.map((line) => line.text).join('\n'),
      lines,
      qrCodes: this.#qrCodes,
      images: this.#images,
      items,
      cut,
    };
    this.#lines = [];
    this.#qrCodes = [];
    this.#images = [];
    this.#items = [];
    return receipt;
  }
}
