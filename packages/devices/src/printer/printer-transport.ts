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

/** One persistent TCP connection to a raw-port printer. A reset or a peer close is reported as a lost link. */
export class TcpPrinterTransport implements PrinterTransport {
  readonly kind = 'tcp';
  readonly #options: TcpPrinterTransportOptions;
  readonly #data = new Listeners<[Uint8Array]>();
  readonly #closed = new Listeners<[DeviceError | undefined]>();
  #socket: net.Socket | undefined;
  #closing = false;

  constructor(options: TcpPrinterTransportOptions) {
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
