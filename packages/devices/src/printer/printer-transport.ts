/**
 * The link a PrinterDevice talks over: the ByteTransport contract (open, write-and-drain, data, close with an
 * error when lost) with any bus name. SerialTransport and MemoryTransport fit as they are; TcpPrinterTransport
 * (one persistent socket to port 9100) and UsbPrinterTransport (usb-printer.ts) are the printer-only ones.
 */
import net from 'node:net';
import { DeviceError } from '../errors.js';
import { Listeners } from '../transport/transport.js';

export interface PrinterTransport {
  readonly kind: string;
  open(): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
  onData(fn: (chunk: Uint8Array) => void): () => void;
  onClose(fn: (error?: DeviceError) => void): () => void;
  close(): Promise<void>;
}

export type PrinterTransportFactory = () => PrinterTransport;

export interface TcpPrinterTransportOptions {
  host: string;
  port: number;
  /** Default 3000 ms. */
  connectTimeoutMs?: number;
}

/** Throws E_ILLEGAL for an empty host, a port outside 1–65535 or a connect timeout that is not positive. */
export function checkTcpPrinterTarget(options: TcpPrinterTransportOptions): void {
  const { host, port, connectTimeoutMs } = options;
  if (host.length === 0) throw new DeviceError('E_ILLEGAL', 'host must not be empty', false);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DeviceError('E_ILLEGAL', `port must be 1–65535, got ${port}`, false);
  }
  if (connectTimeoutMs !== undefined && !(Number.isFinite(connectTimeoutMs) && connectTimeoutMs > 0)) {
    const message = `connectTimeoutMs must be a positive number of ms, got ${connectTimeoutMs}`;
    throw new DeviceError('E_ILLEGAL', message, false);
  }
}

/** One persistent TCP connection to a raw-port printer. A reset or a peer close is reported as a lost link. */
export class TcpPrinterTransport implements PrinterTransport {
  readonly kind = 'tcp';
  readonly #options: TcpPrinterTransportOptions;
  readonly #data = new Listeners<[Uint8Array]>();
  readonly #closed = new Listeners<[DeviceError | undefined]>();
  #socket: net.Socket | undefined;
  #closing = false;

  /** Throws E_ILLEGAL for a target that cannot be right (see checkTcpPrinterTarget). */
  constructor(options: TcpPrinterTransportOptions) {
    checkTcpPrinterTarget(options);
    this.#options = options;
  }

  get #where(): string {
    return `${this.#options.host}:${this.#options.port}`;
  }

  open(): Promise<void> {
    if (this.#socket)
      return Promise.reject(new DeviceError('E_ILLEGAL', 'tcp transport already open', false));
    const where = this.#where;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.#options.host, port: this.#options.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new DeviceError('E_OFFLINE', `no connection to ${where} within the connect timeout`, true));
      }, this.#options.connectTimeoutMs ?? 3000);
      const onConnectError = (error: NodeJS.ErrnoException): void => {
        clearTimeout(timer);
        socket.destroy();
        const details = { code: error.code ?? 'unknown', where };
        reject(
          new DeviceError('E_OFFLINE', `cannot connect to ${where}: ${error.code}`, true, details, {
            cause: error,
          }),
        );
      };
      socket.once('error', onConnectError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onConnectError);
        this.#socket = socket;
        this.#closing = false;
        let lastError: NodeJS.ErrnoException | undefined;
        socket.on('data', (chunk: Buffer) => this.#data.emit(new Uint8Array(chunk)));
        socket.on('error', (error: NodeJS.ErrnoException) => {
          lastError = error;
        });
        socket.on('end', () => socket.destroy());
        socket.on('close', () => {
          this.#socket = undefined;
          const code = lastError?.code ?? 'closed';
          const lost =
            this.#closing && lastError === undefined
              ? undefined
              : new DeviceError(
                  'E_OFFLINE',
                  `connection to ${where} lost (${code})`,
                  true,
                  { code, where },
                  {
                    cause: lastError,
                  },
                );
          this.#closed.emit(lost);
        });
        resolve();
      });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    const socket = this.#socket;
    if (!socket || socket.destroyed) {
      return Promise.reject(new DeviceError('E_OFFLINE', `not connected to ${this.#where}`, true));
    }
    return new Promise((resolve, reject) => {
      socket.write(bytes, (error) => {
        if (error) {
          reject(new DeviceError('E_FAILURE', `write to ${this.#where} failed: ${error.message}`, false));
        } else resolve();
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
    const socket = this.#socket;
    if (!socket) return Promise.resolve();
    this.#closing = true;
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }
}
