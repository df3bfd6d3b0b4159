/**
 * A simulated drawer on the far end of a byte link (the other pty of a socat pair, for the tests and `npm start`).
 * Two wirings:
 * - 'serial': a standalone serial drawer; `kickBytes` open it, `status.request` is answered with the status byte,
 *   and with `reportChanges` it sends the status byte by itself whenever the drawer opens or closes.
 * - 'printer': a drawer on an ESC/POS printer's kick-out connector; the printer decodes ESC p / DLE DC4 kicks and
 *   answers DLE EOT n with real status bytes (the sensor is DLE EOT 1 bit 2, polarity `openLevel`).
 * `jammed` makes kicks arrive but the drawer stay shut (the DRAWER_FAILED_TO_OPEN case).
 */
import { EventEmitter } from 'node:events';
import { EscPosDecoder } from '../printer/escpos-decoder.js';
import { statusReplyByte } from '../printer/escpos-status.js';
import type { ByteTransport } from '../transport/transport.js';
import { SERIAL_DRAWER_DEFAULT_KICK, type SerialDrawerStatus } from './links.js';

export type DrawerSimulatorOptions =
  | {
      wiring: 'serial';
      kickBytes?: Uint8Array;
      status?: SerialDrawerStatus;
      /** Send the status byte on every change. Default true. */
      reportChanges?: boolean;
      jammed?: boolean;
    }
  | { wiring: 'printer'; openLevel?: 'high' | 'low'; jammed?: boolean };

export interface DrawerSimulatorEvents {
  kick: [info: { count: number; realtime?: boolean }];
  change: [open: boolean];
}

export class DrawerSimulator extends EventEmitter<DrawerSimulatorEvents> {
  readonly #transport: ByteTransport;
  readonly #options: DrawerSimulatorOptions;
  readonly #decoder = new EscPosDecoder();
  #open = false;
  #kicks = 0;
  #jammed: boolean;
  #matched = 0; // serial: bytes of kickBytes matched so far
  #unsubscribe: (() => void) | undefined;

  constructor(transport: ByteTransport, options: DrawerSimulatorOptions) {
    super();
    this.#transport = transport;
    this.#options = options;
    this.#jammed = options.jammed ?? false;
  }

  get open(): boolean {
    return this.#open;
  }
  /** Kicks received so far. */
  get kicks(): number {
    return this.#kicks;
  }

  async start(): Promise<void> {
    this.#unsubscribe = this.#transport.onData((chunk) => this.#receive(chunk));
    await this.#transport.open();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#transport.close();
  }

  setJammed(jammed: boolean): void {
    this.#jammed = jammed;
  }

  /** Someone pushes the drawer shut (or pulls it open by hand). */
  async setOpen(open: boolean): Promise<void> {
    if (this.#open === open) return;
    this.#open = open;
    this.emit('change', open);
    const options = this.#options;
    if (options.wiring === 'serial' && options.status !== undefined && (options.reportChanges ?? true)) {
      await this.#transport.write(Uint8Array.of(this.#serialStatusByte(options.status)));
    }
  }

  #receive(chunk: Uint8Array): void {
    const options = this.#options;
    if (options.wiring === 'printer') {
      for (const event of this.#decoder.push(chunk)) {
        if (event.type === 'drawer-kick') this.#kicked(event.realtime);
        else if (event.type === 'status-request') {
          const high = this.#open === ((options.openLevel ?? 'high') === 'high');
          const byte = statusReplyByte(event.kind, {
            paperOut: false,
            paperNearEnd: false,
            coverOpen: false,
            drawerSensorHigh: high,
          });
          void this.#transport.write(Uint8Array.of(byte)).catch(() => undefined);
        }
      }
      return;
    }
    const kick = options.kickBytes ?? SERIAL_DRAWER_DEFAULT_KICK;
    const request = options.status?.request;
    for (const byte of chunk) {
      if (request !== undefined && request.length === 1 && byte === request[0] && options.status) {
        void this.#transport
          .write(Uint8Array.of(this.#serialStatusByte(options.status)))
          .catch(() => undefined);
        continue;
      }
      this.#matched = byte === kick[this.#matched] ? this.#matched + 1 : byte === kick[0] ? 1 : 0;
      if (this.#matched === kick.length) {
        this.#matched = 0;
        this.#kicked(undefined);
      }
    }
  }

  #kicked(realtime: boolean | undefined): void {
    this.#kicks += 1;
    this.emit('kick', realtime === undefined ? { count: this.#kicks } : { count: this.#kicks, realtime });
    if (!this.#jammed) void this.setOpen(true).catch(() => undefined);
  }

  #serialStatusByte(status: SerialDrawerStatus): number {
    const set = this.#open === (status.openWhen === 'set');
    return set ? status.openMask : 0;
  }
}
