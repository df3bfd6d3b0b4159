/**
 * Streaming ESC/POS decoder, the test oracle and the emulator's brain. Feed it chunks split anywhere (even in
 * the middle of a command); a command is acted on only once all of its bytes have arrived, so the result does
 * not depend on how the stream was chunked. Which commands are understood: see escpos-parser.ts. Anything
 * else becomes an EscPosDecodeError entry, and decoding carries on after it.
 */
import { EscPosDecodeError, type EscPosDecodeErrorCode } from '../errors.js';
import { type CodePageName, decodeByte } from './codepages.js';
import type { DrawerPin, StatusRequestKind } from './escpos-commands.js';
import { type EscPosOp, parseCommand } from './escpos-parser.js';
import { EPSON_CODE_PAGE_NUMBERS } from './profiles.js';
import { type DecodedReceipt, ReceiptAssembler } from './receipt-assembler.js';

export type EscPosEvent =
  | { type: 'receipt'; receipt: DecodedReceipt }
  | { type: 'drawer-kick'; pin: DrawerPin; realtime: boolean }
  | { type: 'status-request'; kind: StatusRequestKind }
  /** GS a n: the host enabled (mask ≠ 0) or disabled Automatic Status Back. */
  | { type: 'asb-enable'; mask: number }
  | { type: 'error'; error: EscPosDecodeError };

export interface EscPosDecoderOptions {
  /** `ESC t n` number → code page; defaults to Epson's numbering (0 = CP437, 17 = CP866, 19 = CP858, …). */
  codePages?: Readonly<Record<number, CodePageName>>;
}

export interface EscPosDecodeResult {
  receipts: DecodedReceipt[];
  drawerKicks: number;
  statusRequests: StatusRequestKind[];
  errors: EscPosDecodeError[];
}

export class EscPosDecoder {
  readonly #codePages: Readonly<Record<number, CodePageName>>;
  readonly #paper = new ReceiptAssembler();
  /** undefined after `ESC t n` with an n we have no table for: high bytes then decode as U+FFFD. */
  #page: CodePageName | undefined;
  #qrStored: string | undefined;
  #qrModuleSize = 3;
  #pending: Uint8Array = new Uint8Array(0);
  #offset = 0; // stream offset of #pending[0]
  #events: EscPosEvent[] = [];
  readonly #result: EscPosDecodeResult = { receipts: [], drawerKicks: 0, statusRequests: [], errors: [] };

  constructor(options: EscPosDecoderOptions = {}) {
    this.#codePages = options.codePages ?? EPSON_CODE_PAGE_NUMBERS;
    this.#page = this.#codePages[0] ?? 'cp437';
  }

  get receipts(): readonly DecodedReceipt[] {
    return this.#result.receipts;
  }
  get drawerKicks(): number {
    return this.#result.drawerKicks;
  }
  get statusRequests(): readonly StatusRequestKind[] {
    return this.#result.statusRequests;
  }
  get errors(): readonly EscPosDecodeError[] {
    return this.#result.errors;
  }

  /** Decode the next chunk; returns what it completed, in stream order. */
  push(chunk: Uint8Array): EscPosEvent[] {
    const buf = concat(this.#pending, chunk);
    let i = 0;
    while (i < buf.length) {
      const command = parseCommand(buf, i);
      if (command === undefined) break; // incomplete: wait for the rest
      this.#apply(command.op, buf.subarray(i, i + command.length), this.#offset + i);
      i += command.length;
    }
    this.#pending = buf.slice(i);
    this.#offset += i;
    return this.#drain();
  }

  /** The stream ended: report a command cut short and any receipt printed but not cut. */
  end(): EscPosEvent[] {
    if (this.#pending.length > 0) {
      this.#error('truncated_command', 'stream ended inside a command', this.#offset, this.#pending);
      this.#offset += this.#pending.length;
      this.#pending = new Uint8Array(0);
    }
    const receipt = this.#paper.finish();
    if (receipt !== undefined) this.#emit({ type: 'receipt', receipt });
    return this.#drain();
  }

  #apply(op: EscPosOp, bytes: Uint8Array, offset: number): void {
    const paper = this.#paper;
    switch (op.op) {
      case 'print':
        paper.printChar(this.#decode(op.byte));
        return;
      case 'line-feed':
        paper.lineFeed();
        return;
      case 'initialize':
        paper.initialize();
        this.#qrModuleSize = 3;
        this.#page = this.#codePages[0] ?? 'cp437';
        return;
      case 'align':
        paper.setAlign(op.align);
        return;
      case 'bold':
        paper.setBold(op.bold);
        return;
      case 'print-mode':
        paper.setBold(op.bold);
        paper.setScale(op.widthScale, op.heightScale);
        return;
      case 'scale':
        paper.setScale(op.widthScale, op.heightScale);
        return;
      case 'code-page':
        this.#page = this.#codePages[op.number];
        if (this.#page === undefined)
          this.#error('unsupported_code_page', `no table for ESC t ${op.number}`, offset, bytes);
        return;
      case 'feed':
        paper.feedLines(op.lines);
        return;
      case 'cut':
        this.#qrStored = undefined;
        this.#emit({ type: 'receipt', receipt: paper.cut() });
        return;
      case 'qr-store':
        this.#qrStored = new TextDecoder().decode(op.data);
        return;
      case 'qr-print':
        if (this.#qrStored === undefined)
          this.#error('malformed_command', 'QR print with no stored data', offset, bytes);
        else paper.printQr(this.#qrStored, this.#qrModuleSize);
        return;
      case 'qr-module-size':
        this.#qrModuleSize = op.size;
        return;
      case 'image':
        paper.printImage(op.width, op.height, op.bits);
        return;
      case 'asb-enable':
        this.#emit({ type: 'asb-enable', mask: op.mask });
        return;
      case 'drawer-kick':
        this.#result.drawerKicks += 1;
        this.#emit({ type: 'drawer-kick', pin: op.pin, realtime: op.realtime });
        return;
      case 'status-request':
        this.#result.statusRequests.push(op.kind);
        this.#emit({ type: 'status-request', kind: op.kind });
        return;
      case 'no-op':
        return;
      case 'error':
        this.#error(op.code, op.message, offset, bytes);
        return;
    }
  }

  #decode(byte: number): string {
    if (this.#page !== undefined) return decodeByte(this.#page, byte) ?? '\uFFFD';
    return byte < 0x80 ? String.fromCharCode(byte) : '\uFFFD';
  }

  #error(code: EscPosDecodeErrorCode, message: string, offset: number, bytes: Uint8Array): void {
    const error = new EscPosDecodeError(code, `${message} at offset ${offset}`, offset, bytes.slice());
    this.#result.errors.push(error);
    this.#emit({ type: 'error', error });
  }

  #emit(event: EscPosEvent): void {
    if (event.type === 'receipt') this.#result.receipts.push(event.receipt);
    this.#events.push(event);
  }

  #drain(): EscPosEvent[] {
    const events = this.#events;
    this.#events = [];
    return events;
  }
}

/** Decode a complete stream in one go. */
export function decodeEscPos(bytes: Uint8Array, options?: EscPosDecoderOptions): EscPosDecodeResult {
  const decoder = new EscPosDecoder(options);
  decoder.push(bytes);
  decoder.end();
  return {
    receipts: [...decoder.receipts],
    drawerKicks: decoder.drawerKicks,
    statusRequests: [...decoder.statusRequests],
    errors: [...decoder.errors],
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
