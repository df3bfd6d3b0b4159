/**
 * Splits a serial scanner's byte stream into barcodes (pure, no I/O). Framing comes from configuration: a
 * CR/LF/CRLF suffix, an optional fixed prefix, or STX … ETX. A frame with bytes a barcode never contains
 * (control characters other than GS/RS/EOT, which GS1 and ISO 15434 data use) is rejected as garbage; a frame
 * longer than `maxLength` is rejected as too long, and the framer skips to the next terminator to resync.
 */
import type { ScanFraming } from '../discovery/config.js';

export type FrameRejectReason = 'garbage' | 'too-long' | 'missing-prefix';

export type FrameResult =
  | { kind: 'frame'; data: Uint8Array; raw: Uint8Array }
  | { kind: 'reject'; reason: FrameRejectReason; raw: Uint8Array };

const STX = 0x02;
const ETX = 0x03;
const CR = 0x0d;
const LF = 0x0a;

/** Printable ASCII and Latin-1, plus GS (FNC1 in GS1 data), RS and EOT (ISO/IEC 15434 envelopes). */
function allowedInBarcode(byte: number): boolean {
  return (byte >= 0x20 && byte !== 0x7f) || byte === 0x1d || byte === 0x1e || byte === 0x04;
}

export class ScanFramer {
  readonly #framing: ScanFraming;
  readonly #prefix: Uint8Array;
  readonly #limit: number;
  #buffer: number[] = [];
  /** Inside an over-long frame: drop bytes until the next terminator. */
  #discarding = false;
  /** STX/ETX mode: between STX and ETX. */
  #inFrame = false;
  /** CRLF mode: the CR has been seen, expect LF. */
  #sawCr = false;

  constructor(framing: ScanFraming) {
    this.#framing = framing;
    this.#prefix = Uint8Array.from(Buffer.from(framing.prefix ?? '', 'latin1'));
    this.#limit = framing.maxLength + this.#prefix.length;
  }

  /** Forget a partial frame (after a reconnect, the rest of it will never come). */
  reset(): void {
    this.#buffer = [];
    this.#discarding = false;
    this.#inFrame = false;
    this.#sawCr = false;
  }

  push(chunk: Uint8Array): FrameResult[] {
    const out: FrameResult[] = [];
    for (const byte of chunk) {
      if (this.#framing.stxEtx) this.#pushStxEtx(byte, out);
      else this.#pushSuffixed(byte, out);
    }
    return out;
  }

  #pushSuffixed(byte: number, out: FrameResult[]): void {
    const suffix = this.#framing.suffix;
    if (suffix === 'CRLF' && this.#sawCr) {
      this.#sawCr = false;
      if (byte === LF) {
        this.#end(out);
        return;
      }
      this.#append(CR, out); // a lone CR inside the data: garbage, judged at the end of the frame
    }
    if ((suffix === 'CR' && byte === CR) || (suffix === 'LF' && byte === LF)) {
      this.#end(out);
      return;
    }
    if (suffix === 'CRLF' && byte === CR) {
      this.#sawCr = true;
      return;
    }
    this.#append(byte, out);
  }

  #pushStxEtx(byte: number, out: FrameResult[]): void {
    if (!this.#inFrame) {
      if (byte === STX) {
        this.#inFrame = true;
        this.#buffer = [];
        this.#discarding = false;
      } else if (byte !== CR && byte !== LF) {
        out.push({ kind: 'reject', reason: 'garbage', raw: Uint8Array.of(byte) });
      }
      return;
    }
    if (byte === ETX) {
      this.#inFrame = false;
      this.#end(out);
      return;
    }
    this.#append(byte, out);
  }

  #append(byte: number, out: FrameResult[]): void {
    if (this.#discarding) return;
    this.#buffer.push(byte);
    if (this.#buffer.length > this.#limit) {
      out.push({ kind: 'reject', reason: 'too-long', raw: Uint8Array.from(this.#buffer) });
      this.#buffer = [];
      this.#discarding = true;
    }
  }

  #end(out: FrameResult[]): void {
    const bytes = this.#buffer;
    const wasDiscarding = this.#discarding;
    this.#buffer = [];
    this.#discarding = false;
    if (wasDiscarding || bytes.length === 0) return; // over-long already reported; empty line ignored
    const raw = Uint8Array.from(bytes);
    if (!bytes.every(allowedInBarcode)) {
      out.push({ kind: 'reject', reason: 'garbage', raw });
      return;
    }
    const prefix = this.#prefix;
    if (prefix.length > 0 && !prefix.every((b, i) => bytes[i] === b)) {
      out.push({ kind: 'reject', reason: 'missing-prefix', raw });
      return;
    }
    out.push({ kind: 'frame', data: raw.subarray(prefix.length), raw });
  }
}
