/**
 * USB receipt printers (USB printer class 7, or vendor class with bulk endpoints) through `usb` 3.x, which only
 * has the WebUSB-style API (`usb.findDeviceByIds`, `device.open/claimInterface/transferOut/transferIn`).
 *
 * The USB I/O sits behind `UsbPrinterIo`, a tiny interface (claim the interface, write to the bulk OUT endpoint,
 * read from the bulk IN endpoint, release). `webUsbPrinterIo` is the real adapter over `usb`;
 * `MemoryUsbPrinterIo` is the in-memory binding the tests use.
 *
 * NOTE: USB is only tested at the byte level (the bytes written to the OUT endpoint and the status bytes read
 * from the IN endpoint, through MemoryUsbPrinterIo). There is no USB printer on the test machine, so the
 * `webUsbPrinterIo` adapter itself (endpoint discovery, kernel driver detach, transfer errors on unplug) has
 * not been exercised against hardware.
 */
import { DeviceError } from '../errors.js';
import { Listeners } from '../transport/transport.js';
import type { PrinterTransport } from './printer-transport.js';

/** The USB operations a printer needs. Reads resolve with the bytes of one bulk IN transfer (may be empty). */
export interface UsbPrinterIo {
  /** Open the device and claim the printer interface. Rejects with a DeviceError. */
  claim(): Promise<void>;
  /** One bulk OUT transfer; resolves with the number of bytes the device accepted. */
  bulkOut(bytes: Uint8Array): Promise<number>;
  /** One bulk IN transfer of up to `length` bytes. Rejects when the device is gone. */
  bulkIn(length: number): Promise<Uint8Array>;
  /** Release the interface and close the device. Never rejects. */
  release(): Promise<void>;
}

/** The subset of a WebUSB `USBDevice` (as `usb` 3.x returns) the adapter uses. */
export interface WebUsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly opened: boolean;
  readonly configuration: WebUsbConfigurationLike | null | undefined;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(value: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  transferOut(endpointNumber: number, data: Uint8Array): Promise<{ bytesWritten: number; status: string }>;
  transferIn(endpointNumber: number, length: number): Promise<{ data?: DataView; status: string }>;
}

interface WebUsbConfigurationLike {
  readonly configurationValue: number;
  readonly interfaces: readonly {
    readonly interfaceNumber: number;
    readonly alternates: readonly {
      readonly interfaceClass: number;
      readonly endpoints: readonly { endpointNumber: number; direction: string; type: string }[];
    }[];
  }[];
}

const USB_CLASS_PRINTER = 7;

/** The real adapter: finds a bulk OUT (and optional bulk IN) endpoint on the printer-class interface. */
export function webUsbPrinterIo(device: WebUsbDeviceLike): UsbPrinterIo {
  let iface: number | undefined;
  let outEndpoint = 0;
  let inEndpoint: number | undefined;
  const where = `usb ${hex(device.vendorId)}:${hex(device.productId)}`;
  return {
    async claim() {
      try {
        if (!device.opened) await device.open();
        if (!device.configuration) await device.selectConfiguration(1);
        const interfaces = device.configuration?.interfaces ?? [];
        const chosen =
          interfaces.find((i) => i.alternates.some((a) => a.interfaceClass === USB_CLASS_PRINTER)) ??
          interfaces.find((i) =>
            i.alternates.some((a) => a.endpoints.some((e) => e.type === 'bulk' && e.direction === 'out')),
          );
        const alternate = chosen?.alternates[0];
        const bulkOut = alternate?.endpoints.find((e) => e.type === 'bulk' && e.direction === 'out');
        if (!chosen || !bulkOut) {
          throw new DeviceError('E_NOHARDWARE', `${where} has no bulk OUT endpoint`, false);
        }
        await device.claimInterface(chosen.interfaceNumber);
        iface = chosen.interfaceNumber;
        outEndpoint = bulkOut.endpointNumber;
        inEndpoint = alternate?.endpoints.find(
          (e) => e.type === 'bulk' && e.direction === 'in',
        )?.endpointNumber;
      } catch (error) {
        if (error instanceof DeviceError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new DeviceError('E_CLAIMED', `cannot claim ${where}: ${message}`, true, {}, { cause: error });
      }
    },
    async bulkOut(bytes) {
      const result = await device.transferOut(outEndpoint, bytes);
      if (result.status !== 'ok') throw new Error(`bulk OUT ${result.status}`);
      return result.bytesWritten;
    },
    async bulkIn(length) {
      if (inEndpoint === undefined) return new Promise<Uint8Array>(() => undefined); // write-only printer
      const result = await device.transferIn(inEndpoint, length);
      if (result.status !== 'ok' || !result.data) return new Uint8Array(0);
      return new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength).slice();
    },
    async release() {
      if (iface !== undefined) await device.releaseInterface(iface).catch(() => undefined);
      iface = undefined;
      await device.close().catch(() => undefined);
    },
  };
}

/** Find the first attached device with this vendor and product id through `usb` (loaded on demand). */
export async function findUsbPrinter(vendorId: number, productId: number): Promise<UsbPrinterIo> {
  const { usb } = await import('usb');
  const device = await usb.findDeviceByIds(vendorId, productId);
  if (!device) {
    throw new DeviceError('E_NOHARDWARE', `no usb device ${hex(vendorId)}:${hex(productId)}`, true, {
      vendorId,
      productId,
    });
  }
  return webUsbPrinterIo(device as unknown as WebUsbDeviceLike);
}

export interface UsbPrinterTransportOptions {
  /** Makes the USB I/O for one connection (claim → … → release). */
  io: () => Promise<UsbPrinterIo> | UsbPrinterIo;
  /** Bulk IN transfer size. Default 64 (one full-speed packet). */
  readLength?: number;
}

/**
 * A PrinterTransport over UsbPrinterIo: writes are bulk OUT transfers (looped until the device took every
 * byte), and a read loop keeps one bulk IN transfer pending and delivers what it returns. A failed transfer is
 * a lost link (E_OFFLINE, retryable): the printer was unplugged or powered off.
 */
export class UsbPrinterTransport implements PrinterTransport {
  readonly kind = 'usb';
  readonly #options: UsbPrinterTransportOptions;
  readonly #data = new Listeners<[Uint8Array]>();
  readonly #closed = new Listeners<[DeviceError | undefined]>();
  #io: UsbPrinterIo | undefined;

  constructor(options: UsbPrinterTransportOptions) {
    this.#options = options;
  }

  async open(): Promise<void> {
    if (this.#io) throw new DeviceError('E_ILLEGAL', 'usb transport already open', false);
    const io = await this.#options.io();
    await io.claim();
    this.#io = io;
    void this.#readLoop(io);
  }

  async write(bytes: Uint8Array): Promise<void> {
    const io = this.#io;
    if (!io) throw new DeviceError('E_OFFLINE', 'usb printer is not open', true);
    let offset = 0;
    try {
      while (offset < bytes.length) {
        const written = await io.bulkOut(bytes.subarray(offset));
        if (written <= 0) throw new Error('bulk OUT accepted no bytes');
        offset += written;
      }
    } catch (error) {
      const lost = this.#lose(error);
      throw new DeviceError('E_FAILURE', `usb write failed after ${offset} bytes: ${lost.message}`, false, {
        written: offset,
      });
    }
  }

  onData(fn: (chunk: Uint8Array) => void): () => void {
    return this.#data.add(fn);
  }

  onClose(fn: (error?: DeviceError) => void): () => void {
    return this.#closed.add(fn);
  }

  async close(): Promise<void> {
    const io = this.#io;
    if (!io) return;
    this.#io = undefined;
    await io.release(); // the pending bulk IN ends with the release; the read loop then stops
    this.#closed.emit(undefined);
  }

  async #readLoop(io: UsbPrinterIo): Promise<void> {
    const length = this.#options.readLength ?? 64;
    while (this.#io === io) {
      let chunk: Uint8Array;
      try {
        chunk = await io.bulkIn(length);
      } catch (error) {
        if (this.#io === io) this.#lose(error);
        return;
      }
      if (this.#io !== io) return;
      if (chunk.length > 0) this.#data.emit(chunk);
    }
  }

  #lose(cause: unknown): DeviceError {
    const message = cause instanceof Error ? cause.message : String(cause);
    const error = new DeviceError('E_OFFLINE', `usb printer lost: ${message}`, true, {}, { cause });
    const io = this.#io;
    if (!io) return error;
    this.#io = undefined;
    void io.release();
    this.#closed.emit(error);
    return error;
  }
}

/**
 * The in-memory UsbPrinterIo for tests: records every bulk OUT transfer, lets the test queue bytes for bulk IN,
 * and can be unplugged (pending and later transfers fail).
 */
export class MemoryUsbPrinterIo implements UsbPrinterIo {
  readonly transfers: Uint8Array[] = [];
  claimed = false;
  /** Largest bulk OUT transfer the fake device accepts at once (to exercise short writes). */
  maxPacket = 512;
  #inbox: Uint8Array[] = [];
  #pendingIn: { resolve(bytes: Uint8Array): void; reject(error: Error): void } | undefined;
  #unplugged = false;
  /** Called with each bulk OUT transfer; the test answers by calling deviceSends(). */
  onTransferOut: ((bytes: Uint8Array) => void) | undefined;

  async claim(): Promise<void> {
    if (this.#unplugged) throw new DeviceError('E_NOHARDWARE', 'usb device unplugged', true);
    this.claimed = true;
  }

  async bulkOut(bytes: Uint8Array): Promise<number> {
    if (this.#unplugged || !this.claimed) throw new Error('LIBUSB_ERROR_NO_DEVICE');
    const taken = bytes.slice(0, this.maxPacket);
    this.transfers.push(taken);
    this.onTransferOut?.(taken);
    return taken.length;
  }

  bulkIn(_length: number): Promise<Uint8Array> {
    if (this.#unplugged) return Promise.reject(new Error('LIBUSB_ERROR_NO_DEVICE'));
    const next = this.#inbox.shift();
    if (next) return Promise.resolve(next);
    return new Promise((resolve, reject) => {
      this.#pendingIn = { resolve, reject };
    });
  }

  async release(): Promise<void> {
    this.claimed = false;
    const pending = this.#pendingIn;
    this.#pendingIn = undefined;
    pending?.resolve(new Uint8Array(0));
  }

  /** The device sends bytes to the host (delivered by the next bulk IN transfer). */
  deviceSends(bytes: Uint8Array): void {
    const pending = this.#pendingIn;
    this.#pendingIn = undefined;
    if (pending) setImmediate(() => pending.resolve(bytes));
    else this.#inbox.push(bytes);
  }

  /** Everything written so far, concatenated. */
  written(): Uint8Array {
    return Uint8Array.from(this.transfers.flatMap((t) => [...t]));
  }

  unplug(): void {
    this.#unplugged = true;
    this.claimed = false;
    const pending = this.#pendingIn;
    this.#pendingIn = undefined;
    pending?.reject(new Error('LIBUSB_ERROR_NO_DEVICE'));
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(4, '0');
}
