/**
 * The in-memory binding of ByteTransport: the "device" end is a handle a test (or the simulator) drives.
 * `plug()` models a device that can be unplugged and plugged back; open() fails with E_NOHARDWARE while unplugged.
 */
import { DeviceError } from '../errors.js';
import { type ByteTransport, Listeners } from './transport.js';

export class MemoryLine {
  #plugged = true;
  #active: MemoryTransport | undefined;
  readonly written: Uint8Array[] = [];

  get plugged(): boolean {
    return this.#plugged;
  }

  /** A transport factory for this line. */
  transport = (): ByteTransport => new MemoryTransport(this);

  /** Send bytes from the device to the host (dropped if nobody has the line open, like a real wire). */
  send(bytes: Uint8Array | string): void {
    const chunk = typeof bytes === 'string' ? Uint8Array.from(Buffer.from(bytes, 'latin1')) : bytes;
    this.#active?.deliver(chunk);
  }

  unplug(): void {
    this.#plugged = false;
    const active = this.#active;
    this.#active = undefined;
    active?.lost();
  }

  plug(): void {
    this.#plugged = true;
  }

  /** @internal */
  attach(transport: MemoryTransport): void {
    if (!this.#plugged) throw new DeviceError('E_NOHARDWARE', 'memory line is unplugged', true);
    if (this.#active) throw new DeviceError('E_CLAIMED', 'memory line is in use', true);
    this.#active = transport;
  }

  /** @internal */
  detach(transport: MemoryTransport): void {
    if (this.#active === transport) this.#active = undefined;
  }
}

export class MemoryTransport implements ByteTransport {
  readonly kind = 'memory';
  readonly #line: MemoryLine;
  readonly #data = new Listeners<[Uint8Array]>();
  readonly #closed = new Listeners<[DeviceError | undefined]>();
  #open = false;

  constructor(line: MemoryLine) {
    this.#line = line;
  }

  async open(): Promise<void> {
    this.#line.attach(this);
    this.#open = true;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.#open) throw new DeviceError('E_OFFLINE', 'memory transport is not open', true);
    this.#line.written.push(Uint8Array.from(bytes));
  }

  onData(fn: (chunk: Uint8Array) => void): () => void {
    return this.#data.add(fn);
  }

  onClose(fn: (error?: DeviceError) => void): () => void {
    return this.#closed.add(fn);
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.#line.detach(this);
    this.#closed.emit(undefined);
  }

  /** @internal */
  deliver(chunk: Uint8Array): void {
    // Asynchronous like a real port, so a scan never arrives inside the sender's call stack.
    setImmediate(() => {
      if (this.#open) this.#data.emit(chunk);
    });
  }

  /** @internal */
  lost(): void {
    if (!this.#open) return;
    this.#open = false;
    setImmediate(() => this.#closed.emit(new DeviceError('E_OFFLINE', 'memory line unplugged', true)));
  }
}
