/**
 * A TCP 9100 receipt printer for tests and `npm start`: decodes each connection's ESC/POS bytes back into
 * receipts, counts drawer kicks, and answers `DLE EOT n` from its simulated state. Loopback by default.
 *
 * Model: a kick (ESC p or DLE DC4 1) opens the drawer, and the drawer sensor (DLE EOT 1 bit 2) reads high while
 * it is open; close it with setDrawerOpen(false). Paper out makes the printer report offline; jobs are still
 * decoded (a real printer buffers them until the paper is replaced).
 *
 * Status switches (paper near-end, paper out, cover open, drawer open) change what it answers to `DLE EOT n`,
 * and, on every connection that enabled Automatic Status Back (`GS a n`, n ≠ 0), it sends a 4-byte ASB frame at
 * once on enabling and again whenever the status changes, like an Epson TM printer.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { EscPosDecodeError } from '../errors.js';
import type { CodePageName } from '../printer/codepages.js';
import type { DrawerPin, StatusRequestKind } from '../printer/escpos-commands.js';
import { EscPosDecoder, type EscPosEvent } from '../printer/escpos-decoder.js';
import { asbFrameBytes, type SimulatedPrinterState, statusReplyByte } from '../printer/escpos-status.js';
import type { DecodedReceipt } from '../printer/receipt-assembler.js';

export interface PrinterEmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  paperOut?: boolean;
  paperNearEnd?: boolean;
  coverOpen?: boolean;
  drawerOpen?: boolean;
  /** Answer DLE EOT (default true). False simulates a printer that never reports status. */
  answerStatus?: boolean;
  /** Test-only fault: after this many bytes on a connection, reset it (TCP RST) mid-job. */
  resetAfterBytes?: number;
  /** `ESC t n` numbering; default Epson's. */
  codePages?: Readonly<Record<number, CodePageName>>;
}

export interface DrawerKick {
  pin: DrawerPin;
  /** True for DLE DC4 1 (real-time), false for ESC p. */
  realtime: boolean;
}

export interface PrinterEmulatorEvents {
  receipt: [receipt: DecodedReceipt];
  'drawer-kick': [kick: DrawerKick];
  'status-request': [kind: StatusRequestKind, reply: number | undefined];
  /** An ASB frame was sent on a connection (after `GS a n` enabled it, or on a status change). */
  'asb-frame': [frame: Uint8Array];
  'decode-error': [error: EscPosDecodeError];
  /** A client connection failed (e.g. the client reset it). The emulator carries on. */
  'connection-error': [error: Error];
}

export class PrinterEmulator extends EventEmitter<PrinterEmulatorEvents> {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  /** Connections that enabled ASB, with the last frame sent on each (a frame goes out only on change). */
  readonly #asb = new Map<net.Socket, string>();
  readonly #receipts: DecodedReceipt[] = [];
  readonly #decodeErrors: EscPosDecodeError[] = [];
  readonly #state: SimulatedPrinterState;
  readonly #options: PrinterEmulatorOptions;
  #drawerKicks = 0;
  #connections = 0;
  #answerStatus: boolean;
  #closing: Promise<void> | undefined;

  /** Use startPrinterEmulator(); the constructor does not listen. */
  constructor(options: PrinterEmulatorOptions = {}) {
    super();
    this.#options = options;
    this.#answerStatus = options.answerStatus ?? true;
    this.#state = {
      paperOut: options.paperOut ?? false,
      paperNearEnd: options.paperNearEnd ?? false,
      coverOpen: options.coverOpen ?? false,
      drawerSensorHigh: options.drawerOpen ?? false,
    };
    this.#server = net.createServer((socket) => this.#accept(socket));
  }

  get port(): number {
    const address = this.#server.address();
    return address !== null && typeof address === 'object' ? address.port : 0;
  }
  get host(): string {
    return this.#options.host ?? '127.0.0.1';
  }
  /** Every receipt decoded so far, across connections (a copy). */
  get receipts(): DecodedReceipt[] {
    return [...this.#receipts];
  }
  get drawerKicks(): number {
    return this.#drawerKicks;
  }
  get drawerOpen(): boolean {
    return this.#state.drawerSensorHigh;
  }
  get decodeErrors(): EscPosDecodeError[] {
    return [...this.#decodeErrors];
  }
  /** Connections accepted so far. */
  get connections(): number {
    return this.#connections;
  }

  /** The simulated status (a copy). */
  get state(): SimulatedPrinterState {
    return { ...this.#state };
  }

  setPaperOut(paperOut: boolean): void {
    this.#state.paperOut = paperOut;
    this.#statusChanged();
  }
  setPaperNearEnd(nearEnd: boolean): void {
    this.#state.paperNearEnd = nearEnd;
    this.#statusChanged();
  }
  setCoverOpen(open: boolean): void {
    this.#state.coverOpen = open;
    this.#statusChanged();
  }
  setDrawerOpen(open: boolean): void {
    this.#state.drawerSensorHigh = open;
    this.#statusChanged();
  }
  /** Whether DLE EOT is answered (and ASB sent) from now on; false simulates a printer that stops reporting status. */
  setAnswerStatus(answer: boolean): void {
    this.#answerStatus = answer;
  }

  /** Send an ASB frame on every ASB-enabled connection whose last frame differs from the current status. */
  #statusChanged(): void {
    for (const socket of this.#asb.keys()) this.#sendAsb(socket, false);
  }

  #sendAsb(socket: net.Socket, force: boolean): void {
    const frame = asbFrameBytes(this.#state);
    const key = Buffer.from(frame).toString('hex');
    if (!force && this.#asb.get(socket) === key) return;
    this.#asb.set(socket, key);
    if (!socket.writable) return;
    socket.write(frame);
    this.emit('asb-frame', frame);
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.#server.once('error', onError);
      this.#server.listen(this.#options.port ?? 0, this.host, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
  }

  /** Destroy open connections and stop listening; resolves when the server is closed. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve, reject) => {
      for (const socket of this.#sockets) socket.destroy();
      if (!this.#server.listening) {
        resolve();
        return;
      }
      this.#server.close((err) => (err ? reject(err) : resolve()));
    });
    return this.#closing;
  }

  #accept(socket: net.Socket): void {
    this.#connections += 1;
    this.#sockets.add(socket);
    const decoder = new EscPosDecoder(this.#options.codePages ? { codePages: this.#options.codePages } : {});
    const limit = this.#options.resetAfterBytes;
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      if (socket.destroyed) return;
      const room = limit === undefined ? chunk.length : Math.max(0, limit - received);
      const data = chunk.subarray(0, room);
      received += data.length;
      this.#handle(socket, decoder.push(data));
      if (limit !== undefined && received >= limit) socket.resetAndDestroy();
    });
    socket.on('error', (err) => this.emit('connection-error', err));
    socket.on('close', () => {
      this.#sockets.delete(socket);
      this.#asb.delete(socket);
      this.#handle(socket, decoder.end());
    });
    if (limit === 0) socket.resetAndDestroy();
  }

  #handle(socket: net.Socket, events: EscPosEvent[]): void {
    for (const event of events) {
      switch (event.type) {
        case 'receipt':
          this.#receipts.push(event.receipt);
          this.emit('receipt', event.receipt);
          break;
        case 'drawer-kick':
          this.#drawerKicks += 1;
          this.#state.drawerSensorHigh = true;
          this.emit('drawer-kick', { pin: event.pin, realtime: event.realtime });
          this.#statusChanged();
          break;
        case 'asb-enable':
          if (event.mask === 0) this.#asb.delete(socket);
          else if (this.#answerStatus) this.#sendAsb(socket, true);
          break;
        case 'status-request': {
          const answer = this.#answerStatus;
          const reply = answer ? statusReplyByte(event.kind, this.#state) : undefined;
          if (reply !== undefined && socket.writable) socket.write(Uint8Array.of(reply));
          this.emit('status-request', event.kind, reply);
          break;
        }
        case 'error':
          this.#decodeErrors.push(event.error);
          this.emit('decode-error', event.error);
          break;
      }
    }
  }
}

/** Start an emulator listening on `host:port` (default 127.0.0.1, a free port). */
export async function startPrinterEmulator(options: PrinterEmulatorOptions = {}): Promise<PrinterEmulator> {
  const emulator = new PrinterEmulator(options);
  await emulator.listen();
  return emulator;
}
