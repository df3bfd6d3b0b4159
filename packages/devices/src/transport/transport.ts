/**
 * A byte transport: the seam between a device class and its bus (research §6.3). Types only, so a real binding
 * (serialport) and an in-memory binding implement it and one test suite runs against both (design §9.7).
 */
import type { DeviceError } from '../errors.js';

export interface ByteTransport {
  readonly kind: 'serial' | 'memory';
  /** Open the link (for serial: takes the port lock). Rejects with a DeviceError. */
  open(): Promise<void>;
  /** Write and resolve once drained. */
  write(bytes: Uint8Array): Promise<void>;
  /** Bytes as they arrive. Returns an unsubscribe function. */
  onData(fn: (chunk: Uint8Array) => void): () => void;
  /** The link closed: `error` set when it was lost (unplug, pty closed), absent after our own close(). */
  onClose(fn: (error?: DeviceError) => void): () => void;
  close(): Promise<void>;
}

export type TransportFactory = () => ByteTransport;

/** Minimal listener set used by the bindings (no module-level state). */
export class Listeners<Args extends unknown[]> {
  readonly #fns = new Set<(...args: Args) => void>();
  add(fn: (...args: Args) => void): () => void {
    this.#fns.add(fn);
    return () => this.#fns.delete(fn);
  }
  emit(...args: Args): void {
    for (const fn of [...this.#fns]) fn(...args);
  }
}
