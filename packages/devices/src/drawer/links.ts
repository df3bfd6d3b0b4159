/**
 * How a cash drawer is reached. A drawer is either wired to a receipt printer's kick-out connector (the kick is
 * an ESC/POS command, the sensor a bit of the printer's real-time status) or a standalone serial drawer (the kick
 * is one or a few bytes, the sensor a status byte it sends or answers). Both are a DrawerLink over a
 * ByteTransport; `kick()` writes its bytes exactly once and never retries.
 */
import { DeviceError } from '../errors.js';
import { type Clock, systemClock } from '../model/clock.js';
import { toDeviceError } from '../model/device.js';
import {
  type DrawerPin,
  drawerKickBytes,
  realtimeDrawerKickBytes,
  statusRequestBytes,
} from '../printer/escpos-commands.js';
import { decodePrinterStatus, isRealtimeStatusByte, type PrinterStatus } from '../printer/escpos-status.js';
import type { PrinterProfile } from '../printer/profiles.js';
import type { ByteTransport } from '../transport/transport.js';

export type DrawerState = 'open' | 'closed';

/** Where the open/closed state comes from: asked with `read()`, and/or pushed on change with `subscribe()`. */
export interface DrawerSensor {
  read(): Promise<DrawerState>;
  subscribe?(fn: (state: DrawerState) => void): () => void;
}

export interface DrawerLink {
  readonly kind: 'printer' | 'serial';
  open(): Promise<void>;
  close(): Promise<void>;
  /** Write the kick once; resolves with the bytes written. Rejects with a DeviceError if they were not. */
  kick(): Promise<Uint8Array>;
  /** The drawer's sensor through this link, when it has one. */
  readonly sensor: DrawerSensor | undefined;
  /** The link was lost (unplugged, pty closed). */
  onLost(fn: (error: DeviceError) => void): () => void;
}

/** The sensor level read from a printer's status, mapped through the profile's polarity. */
export function drawerStateFromStatus(status: PrinterStatus, openLevel: 'high' | 'low'): DrawerState {
  return status.drawerSensorHigh === (openLevel === 'high') ? 'open' : 'closed';
}

/**
 * A sensor fed by any printer status query (e.g. the `status` of a `PrintJobResult`, PrinterDevice's answer to
 * the DLE EOT 1 after a job): the drawer sensor is bit 2 of the first status byte, its polarity from the profile.
 */
export function printerStatusSensor(
  query: () => Promise<PrinterStatus>,
  openLevel: 'high' | 'low',
): DrawerSensor {
  return { read: async () => drawerStateFromStatus(await query(), openLevel) };
}

/** Bytes from a transport, one waiter at a time, with a timeout on the injected clock. */
class ByteReader {
  readonly #clock: Clock;
  #waiter: ((byte: number) => boolean) | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Returns true when a waiter consumed the byte. */
  offer(byte: number): boolean {
    return this.#waiter?.(byte) ?? false;
  }

  next(accept: (byte: number) => boolean, timeoutMs: number, what: string): Promise<number> {
    if (this.#waiter !== undefined) {
      return Promise.reject(new DeviceError('E_ILLEGAL', `a ${what} is already waiting for a reply`, true));
    }
    return new Promise((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        this.#waiter = undefined;
        reject(new DeviceError('E_TIMEOUT', `no ${what} within ${timeoutMs} ms`, true));
      }, timeoutMs);
      this.#waiter = (byte) => {
        if (!accept(byte)) return false;
        this.#waiter = undefined;
        timer.cancel();
        resolve(byte);
        return true;
      };
    });
  }
}

interface TransportLinkOptions {
  transport: ByteTransport;
  clock?: Clock;
  /** How long a sensor read waits for its reply. Default 1000 ms. */
  statusTimeoutMs?: number;
}

abstract class TransportLink implements DrawerLink {
  abstract readonly kind: 'printer' | 'serial';
  abstract readonly sensor: DrawerSensor | undefined;
  protected readonly transport: ByteTransport;
  protected readonly reader: ByteReader;
  protected readonly statusTimeoutMs: number;
  readonly #lost = new Set<(error: DeviceError) => void>();
  #unsubscribe: (() => void)[] = [];

  constructor(options: TransportLinkOptions) {
    this.transport = options.transport;
    this.reader = new ByteReader(options.clock ?? systemClock());
    this.statusTimeoutMs = options.statusTimeoutMs ?? 1000;
  }

  async open(): Promise<void> {
    this.#unsubscribe = [
      this.transport.onData((chunk) => {
        for (const byte of chunk) this.onByte(byte);
      }),
      this.transport.onClose((error) => {
        if (error) for (const fn of [...this.#lost]) fn(error);
      }),
    ];
    try {
      await this.transport.open();
    } catch (error) {
      this.#detach();
      throw error;
    }
  }

  async close(): Promise<void> {
    try {
      await this.transport.close();
    } finally {
      this.#detach();
    }
  }

  async kick(): Promise<Uint8Array> {
    const bytes = this.kickBytes();
    try {
      await this.transport.write(bytes);
    } catch (error) {
      // Never retryable: the bytes may have reached the drawer, and a second kick can open it twice.
      const cause = toDeviceError(error, 'E_FAILURE', 'drawer kick not written');
      throw new DeviceError(cause.code, cause.message, false, { ...cause.details, kick: true }, { cause });
    }
    return bytes;
  }

  onLost(fn: (error: DeviceError) => void): () => void {
    this.#lost.add(fn);
    return () => this.#lost.delete(fn);
  }

  protected abstract kickBytes(): Uint8Array;
  protected abstract onByte(byte: number): void;

  #detach(): void {
    for (const fn of this.#unsubscribe) fn();
    this.#unsubscribe = [];
  }
}

export interface PrinterDrawerLinkOptions extends TransportLinkOptions {
  profile: PrinterProfile;
  /** Kick-out connector: 0 = pin 2, 1 = pin 5. Default: the profile's first pin. */
  pin?: DrawerPin;
  /** Use the real-time kick `DLE DC4 1 m t` (runs even when the printer is offline) where the profile has it. Default true. */
  realtime?: boolean;
}

/** A drawer on a printer's kick-out connector, the printer reached through a serial (or in-memory) transport. */
export class PrinterDrawerLink extends TransportLink {
  readonly kind = 'printer';
  readonly sensor: DrawerSensor | undefined;
  readonly #profile: PrinterProfile;
  readonly #pin: DrawerPin;
  readonly #realtime: boolean;

  constructor(options: PrinterDrawerLinkOptions) {
    super(options);
    const { profile } = options;
    const pin = options.pin ?? profile.drawer.pins[0];
    if (pin === undefined || !profile.drawer.pins.includes(pin)) {
      throw new DeviceError(
        'E_ILLEGAL',
        `profile ${profile.id} has no drawer on pin ${pin ?? '(none)'}`,
        false,
      );
    }
    this.#profile = profile;
    this.#pin = pin;
    this.#realtime = (options.realtime ?? true) && profile.drawer.realtimeKick;
    this.sensor =
      profile.drawer.sensor && profile.status.dleEot ? { read: () => this.#readStatus() } : undefined;
  }

  /** `DLE DC4 1 m t` when real-time kicks are supported and wanted, else `ESC p m t1 t2`. */
  protected kickBytes(): Uint8Array {
    return this.#realtime ? realtimeDrawerKickBytes(this.#pin) : drawerKickBytes(this.#pin);
  }

  protected onByte(byte: number): void {
    this.reader.offer(byte);
  }

  async #readStatus(): Promise<DrawerState> {
    const reply = this.reader.next(isRealtimeStatusByte, this.statusTimeoutMs, 'DLE EOT 1 reply');
    try {
      await this.transport.write(statusRequestBytes(1));
    } catch (error) {
      reply.catch(() => undefined);
      throw toDeviceError(error, 'E_OFFLINE', 'status request not written', true);
    }
    return drawerStateFromStatus(decodePrinterStatus(await reply), this.#profile.drawer.openLevel);
  }
}

/** The status byte of a standalone serial drawer: which bit is the sensor, and which level means open. */
export interface SerialDrawerStatus {
  /** Bytes that ask the drawer for its status byte; absent when the drawer only reports changes by itself. */
  request?: Uint8Array;
  /** The sensor bit(s) in the status byte. */
  openMask: number;
  /** Open when the masked bits are set, or when they are clear. */
  openWhen: 'set' | 'clear';
}

export interface SerialDrawerLinkOptions extends TransportLinkOptions {
  /** What opens the drawer. Many serial drawers open on any byte; default BEL (0x07). */
  kickBytes?: Uint8Array;
  /** The drawer's status byte; absent: a drawer without a sensor. */
  status?: SerialDrawerStatus;
}

export const SERIAL_DRAWER_DEFAULT_KICK: Uint8Array = Uint8Array.of(0x07);

export function serialDrawerState(byte: number, status: SerialDrawerStatus): DrawerState {
  return ((byte & status.openMask) !== 0) === (status.openWhen === 'set') ? 'open' : 'closed';
}

/** A standalone drawer on a serial port: every byte it sends is a status byte. */
export class SerialDrawerLink extends TransportLink {
  readonly kind = 'serial';
  readonly sensor: DrawerSensor | undefined;
  readonly #kick: Uint8Array;
  readonly #status: SerialDrawerStatus | undefined;
  readonly #listeners = new Set<(state: DrawerState) => void>();

  constructor(options: SerialDrawerLinkOptions) {
    super(options);
    this.#kick = Uint8Array.from(options.kickBytes ?? SERIAL_DRAWER_DEFAULT_KICK);
    if (this.#kick.length === 0) throw new DeviceError('E_ILLEGAL', 'kick bytes must not be empty', false);
    const status = options.status;
    this.#status = status;
    if (status === undefined) {
      this.sensor = undefined;
    } else {
      this.sensor = {
        read: () => this.#readStatus(status),
        subscribe: (fn) => {
          this.#listeners.add(fn);
          return () => this.#listeners.delete(fn);
        },
      };
    }
  }

  protected kickBytes(): Uint8Array {
    return this.#kick;
  }

  protected onByte(byte: number): void {
    if (this.reader.offer(byte)) return; // the reply to our own request
    const status = this.#status;
    if (status === undefined) return;
    const state = serialDrawerState(byte, status);
    for (const fn of [...this.#listeners]) fn(state);
  }

  async #readStatus(status: SerialDrawerStatus): Promise<DrawerState> {
    if (status.request === undefined) {
      throw new DeviceError('E_ILLEGAL', 'this drawer only reports changes; it cannot be asked', false);
    }
    const reply = this.reader.next(() => true, this.statusTimeoutMs, 'drawer status byte');
    try {
      await this.transport.write(status.request);
    } catch (error) {
      reply.catch(() => undefined);
      throw toDeviceError(error, 'E_OFFLINE', 'status request not written', true);
    }
    return serialDrawerState(await reply, status);
  }
}
