/**
 * HID POS bar code scanners (usage page 0x8C, usage 0x02) through node-hid. The report parser is pure and
 * tested on recorded fixtures (hid-pos.fixtures.ts); node-hid sits behind the tiny HidReportDevice interface
 * and the adapter (`openNodeHidDevice`) is a few lines.
 *
 * Scanned Data Report layout (research §1.2; Honeywell/Zebra in HID POS mode, WebHidBarcodeScanner), offsets
 * WITHOUT the report id byte (hidapi puts the report id first, so node-hid buffers are shifted by one):
 *   [0]            payload length n in this report: 3 symbology bytes + data (usages 0xFB–0xFE)
 *   [1..3]         symbology identifier bytes 1–3: an AIM id "]xy", or 00 00 00 when the scanner sends none
 *   [4..4+n-3)     decoded data (at most 56 bytes per report)
 *   [60]           vendor code id (Honeywell's own symbology letter); not used when an AIM id is present
 *   [62]           Decode Data Continued (usage 0xFF): 1 = the barcode continues in the next report
 */
import { DeviceError } from '../errors.js';
import type { BackoffPolicy } from '../model/backoff.js';
import type { Clock } from '../model/clock.js';
import { type ScanDecoder, type ScanDecoderResult, type ScanLink, ScannerDevice } from './scanner.js';

export interface HidPosLayout {
  /** Report id of the Scanned Data Report. */
  reportId: number;
  /** True when buffers start with the report id (hidapi/node-hid with numbered reports). */
  reportIdFirst: boolean;
  lengthOffset: number;
  symbologyOffset: number;
  dataOffset: number;
  continuationOffset: number;
  /** Longest reassembled barcode accepted (a stuck continuation flag must not grow without bound). */
  maxLength: number;
}

export const HID_POS_DEFAULT_LAYOUT: Readonly<HidPosLayout> = {
  reportId: 0x02,
  reportIdFirst: true,
  lengthOffset: 0,
  symbologyOffset: 1,
  dataOffset: 4,
  continuationOffset: 62,
  maxLength: 8192,
};

/** Reassembles Scanned Data Reports into barcodes (AIM id + data bytes), the ScanDecoder for HID POS. */
export class HidPosReportAssembler implements ScanDecoder {
  readonly #layout: HidPosLayout;
  #parts: number[] = [];
  #symbology: number[] | undefined;

  constructor(layout: Partial<HidPosLayout> = {}) {
    this.#layout = { ...HID_POS_DEFAULT_LAYOUT, ...layout };
  }

  reset(): void {
    this.#parts = [];
    this.#symbology = undefined;
  }

  /** One input report per call (node-hid delivers whole reports). */
  push(report: Uint8Array): ScanDecoderResult[] {
    const layout = this.#layout;
    let body = report;
    if (layout.reportIdFirst) {
      if (report[0] !== layout.reportId) return []; // another report (status, settings): not scan data
      body = report.subarray(1);
    }
    const length = body[layout.lengthOffset];
    const dataBytes = (length ?? 0) - 3;
    const dataEnd = layout.dataOffset + dataBytes;
    const maxEnd = Math.min(body.length, layout.continuationOffset - 2);
    if (
      length === undefined ||
      dataBytes < 0 ||
      dataEnd > maxEnd ||
      body.length <= layout.continuationOffset
    ) {
      this.reset();
      return [{ kind: 'reject', reason: 'bad-report', raw: Uint8Array.from(report) }];
    }
    this.#symbology ??= Array.from(body.subarray(layout.symbologyOffset, layout.symbologyOffset + 3));
    this.#parts.push(...body.subarray(layout.dataOffset, dataEnd));
    if (this.#parts.length > layout.maxLength) {
      const raw = Uint8Array.from(this.#parts);
      this.reset();
      return [{ kind: 'reject', reason: 'too-long', raw }];
    }
    if (body[layout.continuationOffset] !== 0) return [];
    const symbology = this.#symbology[0] === 0x5d ? this.#symbology : [];
    const bytes = Uint8Array.from([...symbology, ...this.#parts]);
    this.reset();
    return bytes.length === symbology.length ? [] : [{ kind: 'scan', bytes }];
  }
}

/** The part of a HID device the scanner needs; node-hid's HIDAsync is adapted to it. */
export interface HidReportDevice {
  onReport(fn: (report: Uint8Array) => void): () => void;
  onError(fn: (error: Error) => void): () => void;
  close(): Promise<void>;
}

/** Wrap a HidReportDevice as a scanner link: a read error (unplug) closes the link with E_OFFLINE. */
export function hidLink(device: HidReportDevice): ScanLink {
  const closeListeners = new Set<(error?: DeviceError) => void>();
  let closed = false;
  const finish = (error?: DeviceError) => {
    if (closed) return;
    closed = true;
    for (const fn of [...closeListeners]) fn(error);
  };
  device.onError((error) =>
    finish(new DeviceError('E_OFFLINE', `HID device lost: ${error.message}`, true, {}, { cause: error })),
  );
  return {
    onData: (fn) => device.onReport(fn),
    onClose: (fn) => {
      closeListeners.add(fn);
      return () => closeListeners.delete(fn);
    },
    close: async () => {
      if (closed) return;
      await device.close();
      finish(undefined);
    },
  };
}

/** The node-hid adapter: open by hidraw path (from discovery) with HIDAsync. */
export async function openNodeHidDevice(path: string): Promise<HidReportDevice> {
  const { HIDAsync } = await import('node-hid');
  const device = await HIDAsync.open(path);
  return {
    onReport(fn) {
      const listener = (data: Buffer) => fn(new Uint8Array(data));
      device.on('data', listener);
      return () => device.off('data', listener);
    },
    onError(fn) {
      device.on('error', fn);
      return () => device.off('error', fn);
    },
    close: () => device.close(),
  };
}

export interface HidPosScannerOptions {
  /** Opens the device; default: node-hid at `path`. */
  open?: () => Promise<HidReportDevice>;
  path?: string;
  layout?: Partial<HidPosLayout>;
  clock?: Clock;
  backoff?: BackoffPolicy;
}

export function createHidPosScanner(options: HidPosScannerOptions): ScannerDevice {
  const path = options.path;
  const open =
    options.open ??
    (() => {
      if (path === undefined) throw new TypeError('createHidPosScanner needs a path or an open function');
      return openNodeHidDevice(path);
    });
  return new ScannerDevice({
    source: 'hid-pos',
    connect: async () => hidLink(await open()),
    decoder: new HidPosReportAssembler(options.layout),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });
}
