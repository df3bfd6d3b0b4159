/**
 * A scanner as a UPOS device, independent of the bus: a `connect()` that yields a link (serial port, HID
 * device, in-memory line) and a decoder that turns the link's chunks into scans or rejects. The lifecycle:
 * claim() connects (exclusive), enable() starts delivering 'data' events, disable() stops them (bytes read
 * while disabled are dropped), release() disconnects. A lost link makes the device 'offline', emits an E_OFFLINE
 * error event, and hands over to the reconnect supervisor; when it is back the decoder is reset (a half frame
 * never completes) and the device is 'online' again, still enabled.
 */
import { DeviceError } from '../errors.js';
import { type BackoffPolicy, fullJitterBackoff } from '../model/backoff.js';
import { type Clock, systemClock } from '../model/clock.js';
import { PosDeviceBase, toDeviceError } from '../model/device.js';
import { ReconnectSupervisor } from '../model/supervisor.js';
import type { DeviceStatusEvent } from '../model/types.js';
import { decodeScan, type ScanData, type ScanSource } from './scan-data.js';

export interface ScanLink {
  onData(fn: (chunk: Uint8Array) => void): () => void;
  onClose(fn: (error?: DeviceError) => void): () => void;
  close(): Promise<void>;
}

export type ScanRejectReason = 'garbage' | 'too-long' | 'missing-prefix' | 'bad-report';

export type ScanDecoderResult =
  | { kind: 'scan'; bytes: Uint8Array }
  | { kind: 'reject'; reason: ScanRejectReason; raw: Uint8Array };

export interface ScanDecoder {
  push(chunk: Uint8Array): ScanDecoderResult[];
  reset(): void;
}

export interface ScannerDeviceOptions {
  source: ScanSource;
  connect: () => Promise<ScanLink>;
  decoder: ScanDecoder;
  clock?: Clock;
  /** Reconnect backoff; default full jitter 500 ms → 30 s. */
  backoff?: BackoffPolicy;
}

const EXTENDED: Record<ScanRejectReason, string> = {
  garbage: 'SCAN_GARBAGE',
  'too-long': 'SCAN_TOO_LONG',
  'missing-prefix': 'SCAN_MISSING_PREFIX',
  'bad-report': 'SCAN_BAD_REPORT',
};

export class ScannerDevice extends PosDeviceBase<ScanData, DeviceStatusEvent> {
  readonly source: ScanSource;
  readonly #connect: () => Promise<ScanLink>;
  readonly #decoder: ScanDecoder;
  readonly #backoff: BackoffPolicy;
  #link: ScanLink | undefined;
  #unsubscribe: (() => void)[] = [];
  #enabled = false;
  #bytesReceived = 0;
  #supervisor: ReconnectSupervisor<void> | undefined;

  constructor(options: ScannerDeviceOptions) {
    super(options.clock ?? systemClock());
    this.source = options.source;
    this.#connect = options.connect;
    this.#decoder = options.decoder;
    this.#backoff = options.backoff ?? fullJitterBackoff();
  }

  /** The supervisor while claimed (listen to its events to observe reconnects). */
  get supervisor(): ReconnectSupervisor<void> | undefined {
    return this.#supervisor;
  }

  /** Bytes read from the link so far, delivered or dropped (while disabled), over every reconnect. */
  get bytesReceived(): number {
    return this.#bytesReceived;
  }

  /** A hot-plug signal for this device: reconnect now rather than after the backoff. */
  hotplug(): void {
    this.#supervisor?.hotplug();
  }

  protected async onOpen(): Promise<void> {}

  protected async onClaim(): Promise<void> {
    await this.#attach();
    this.#supervisor = new ReconnectSupervisor<void>({
      clock: this.clock,
      backoff: this.#backoff,
      hooks: {
        connect: () => this.#attach(),
        resume: () => this.setPower('online', 'reconnected'),
        disconnect: () => this.#detach(),
      },
    });
    this.setPower('online');
  }

  protected async onEnable(): Promise<void> {
    this.#enabled = true;
  }

  protected async onDisable(): Promise<void> {
    this.#enabled = false;
  }

  protected async onRelease(): Promise<void> {
    const supervisor = this.#supervisor;
    this.#supervisor = undefined;
    await supervisor?.stop();
    await this.#detach();
  }

  protected async onClose(): Promise<void> {}

  async #attach(): Promise<void> {
    let link: ScanLink;
    try {
      link = await this.#connect();
    } catch (error) {
      throw toDeviceError(error, 'E_NOHARDWARE', 'cannot connect to the scanner', true);
    }
    this.#decoder.reset();
    this.#link = link;
    this.#unsubscribe = [
      link.onData((chunk) => this.#onChunk(chunk)),
      link.onClose((error) => this.#onLinkClosed(link, error)),
    ];
  }

  async #detach(): Promise<void> {
    const link = this.#link;
    this.#link = undefined;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    await link?.close();
  }

  #onChunk(chunk: Uint8Array): void {
    this.#bytesReceived += chunk.length;
    const results = this.#decoder.push(chunk);
    if (!this.#enabled) return;
    for (const result of results) {
      if (result.kind === 'scan') {
        this.emit('data', decodeScan(result.bytes, this.source, this.clock.now()));
      } else {
        const error = new DeviceError('E_EXTENDED', `scan rejected: ${result.reason}`, false, {
          extended: EXTENDED[result.reason],
          reason: result.reason,
          raw: Buffer.from(result.raw).toString('hex'),
        });
        this.emitError(error, 'input-data');
      }
    }
  }

  #onLinkClosed(link: ScanLink, error: DeviceError | undefined): void {
    if (this.#link !== link) return; // our own detach
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    this.#link = undefined;
    const lost = error ?? new DeviceError('E_OFFLINE', 'scanner link closed', true);
    this.setPower('offline', lost.message);
    this.emitError(lost, 'input');
    this.#supervisor?.connectionLost();
  }
}

/** Adapt a ByteTransport-like factory (open() then use) into a ScannerDevice connect function. */
export function connectVia(factory: () => ScanLink & { open(): Promise<void> }): () => Promise<ScanLink> {
  return async () => {
    const link = factory();
    await link.open();
    return link;
  };
}
