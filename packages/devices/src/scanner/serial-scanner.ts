/** A serial (RS-232 / USB-CDC) scanner: a serial transport, the configured framing, and the scanner device. */
import { type ScanFramingInput, type SerialSettings, scanFramingSchema } from '../discovery/config.js';
import type { BackoffPolicy } from '../model/backoff.js';
import type { Clock } from '../model/clock.js';
import { SerialTransport } from '../transport/serial.js';
import type { TransportFactory } from '../transport/transport.js';
import { ScanFramer } from './framing.js';
import { connectVia, type ScanDecoder, type ScanDecoderResult, ScannerDevice } from './scanner.js';

export interface SerialScannerOptions {
  /** Serial path; ignored when `transport` is given. */
  path?: string;
  serial?: Partial<SerialSettings>;
  framing?: ScanFramingInput;
  /** Substitute the binding (e.g. a MemoryLine transport); defaults to serialport on `path`. */
  transport?: TransportFactory;
  clock?: Clock;
  backoff?: BackoffPolicy;
}

export function createSerialScanner(options: SerialScannerOptions): ScannerDevice {
  const framing = scanFramingSchema.parse(options.framing ?? {});
  const path = options.path;
  const factory: TransportFactory =
    options.transport ??
    (() => {
      if (path === undefined) throw new TypeError('createSerialScanner needs a path or a transport');
      return new SerialTransport({ path, ...options.serial });
    });
  return new ScannerDevice({
    source: 'serial',
    connect: connectVia(factory),
    decoder: framedDecoder(new ScanFramer(framing)),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });
}

function framedDecoder(framer: ScanFramer): ScanDecoder {
  return {
    reset: () => framer.reset(),
    push: (chunk) =>
      framer
        .push(chunk)
        .map(
          (result): ScanDecoderResult =>
            result.kind === 'frame' ? { kind: 'scan', bytes: result.data } : result,
        ),
  };
}
