/**
 * The serialport binding of ByteTransport. Opening takes the port lock (bindings-cpp `lock: true`), so this
 * is where UPOS "claim" exclusivity comes from for serial devices. A lost port (unplugged adapter, closed pty)
 * surfaces as onClose(error) with E_OFFLINE, retryable.
 */
import { SerialPort } from 'serialport';
import type { SerialSettings } from '../discovery/config.js';
import { DeviceError } from '../errors.js';
import { type ByteTransport, Listeners } from './transport.js';

export interface SerialTransportOptions extends Partial<SerialSettings> {
  path: string;
}

export class SerialTransport implements ByteTransport {
  readonly kind = 'serial';
  readonly #options: SerialTransportOptions;
  readonly #data = new Listeners<[Uint8Array]>();
  readonly #closed = new Listeners<[DeviceError | undefined]>();
  #port: SerialPort | undefined;
  #closing = false;

  constructor(options: SerialTransportOptions) {
    this.#options = options;
  }

  open(): Promise<void> {
    if (this.#port)
      return Promise.reject(new DeviceError('E_ILLEGAL', 'serial transport already open', false));
    const { path, baudRate = 9600, dataBits = 8, parity = 'none', stopBits = 1 } = this.#options;
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path, baudRate, dataBits, parity, stopBits, autoOpen: false });
      port.open((error) => {
        if (error) {
          reject(openError(path, error));
          return;
        }
        this.#port = port;
        this.#closing = false;
        port.on('data', (chunk: Buffer) => this.#data.emit(new Uint8Array(chunk)));
        port.on('error', () => undefined); // the 'close' event that follows carries the loss
        port.on('close', (closeError?: Error & { disconnected?: boolean }) => {
          this.#port = undefined;
          const lost =
            this.#closing && !closeError
              ? undefined
              : new DeviceError(
                  'E_OFFLINE',
                  `serial port ${path} lost`,
                  true,
                  { path },
                  { cause: closeError },
                );
          this.#closed.emit(lost);
        });
        resolve();
      });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port) return Promise.reject(new DeviceError('E_OFFLINE', 'serial port is not open', true));
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(bytes), (error) => {
        if (error) {
          reject(
            new DeviceError(
              'E_FAILURE',
              `serial write failed: ${error.message}`,
              false,
              {},
              { cause: error },
            ),
          );
          return;
        }
        port.drain((drainError) => (drainError ? reject(drainError) : resolve()));
      });
    });
  }

  onData(fn: (chunk: Uint8Array) => void): () => void {
    return this.#data.add(fn);
  }

  onClose(fn: (error?: DeviceError) => void): () => void {
    return this.#closed.add(fn);
  }

  close(): Promise<void> {
    const port = this.#port;
    if (!port) return Promise.resolve();
    this.#closing = true;
    return new Promise((resolve) => {
      port.close(() => resolve());
    });
  }
}

function openError(path: string, error: Error): DeviceError {
  const message = error.message;
  if (/lock/i.test(message)) {
    return new DeviceError(
      'E_CLAIMED',
      `serial port ${path} is in use: ${message}`,
      true,
      { path },
      { cause: error },
    );
  }
  if (/EACCES|permission/i.test(message)) {
    return new DeviceError(
      'E_NOHARDWARE',
      `no permission for ${path}: ${message}`,
      false,
      { path, extended: 'PERMISSION' },
      { cause: error },
    );
  }
  return new DeviceError('E_NOHARDWARE', `cannot open ${path}: ${message}`, true, { path }, { cause: error });
}
