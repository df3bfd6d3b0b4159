/**
 * Base class for every device: the async UPOS lifecycle over the pure state machine, the power state, and the
 * typed events. A device class supplies the hooks (`onOpen`, `onClaim`, …) that touch its transport; the base
 * class serializes the steps, so `open(); claim();` without awaiting still runs in order, and a hook that throws
 * leaves the lifecycle where it was.
 */
import { EventEmitter } from 'node:events';
import { DeviceError } from '../errors.js';
import type { Clock } from './clock.js';
import { nextLifecycle, teardownPath } from './lifecycle.js';
import type {
  DeviceErrorEvent,
  DeviceEventMap,
  DeviceStatusEvent,
  ErrorLocus,
  Lifecycle,
  LifecycleAction,
  PosDevice,
  PowerState,
} from './types.js';

export abstract class PosDeviceBase<Data, Status = DeviceStatusEvent>
  extends EventEmitter<DeviceEventMap<Data, Status>>
  implements PosDevice
{
  #lifecycle: Lifecycle = 'closed';
  #power: PowerState = 'unknown';
  #queue: Promise<unknown> = Promise.resolve();
  #lastError: DeviceErrorEvent | undefined;
  protected readonly clock: Clock;

  constructor(clock: Clock) {
    super();
    this.clock = clock;
  }

  get lifecycle(): Lifecycle {
    return this.#lifecycle;
  }

  get power(): PowerState {
    return this.#power;
  }

  /** The most recent error, kept even when nobody listens to 'error' (errors are never swallowed silently). */
  get lastError(): DeviceErrorEvent | undefined {
    return this.#lastError;
  }

  open(): Promise<void> {
    return this.#step('open', () => this.onOpen());
  }
  claim(): Promise<void> {
    return this.#step('claim', () => this.onClaim());
  }
  enable(): Promise<void> {
    return this.#step('enable', () => this.onEnable());
  }
  disable(): Promise<void> {
    return this.#step('disable', () => this.onDisable());
  }
  release(): Promise<void> {
    return this.#step('release', () => this.onRelease());
  }

  /**
   * Close from any open state: runs disable → release → close hooks as needed. Every hook runs even if an
   * earlier one fails (teardown must not stop half way); failures are reported as 'error' events and the device
   * ends closed. Closing a closed device throws E_CLOSED.
   */
  close(): Promise<void> {
    return this.#serialize(async () => {
      const path = teardownPath(this.#lifecycle);
      if (path.length === 0) nextLifecycle(this.#lifecycle, 'close');
      for (const action of path) {
        try {
          await this.#hook(action)();
        } catch (error) {
          this.emitError(toDeviceError(error, 'E_FAILURE', `${action} failed during close`), 'input');
        }
        this.#setLifecycle(nextLifecycle(this.#lifecycle, action));
      }
      this.setPower('unknown', 'closed');
    });
  }

  protected abstract onOpen(): Promise<void>;
  protected abstract onClaim(): Promise<void>;
  protected abstract onEnable(): Promise<void>;
  protected abstract onDisable(): Promise<void>;
  protected abstract onRelease(): Promise<void>;
  protected abstract onClose(): Promise<void>;

  /** Change the power state; emits a 'status' event only when it changes. */
  protected setPower(power: PowerState, reason?: string): void {
    const previous = this.#power;
    if (previous === power) return;
    this.#power = power;
    const event: DeviceStatusEvent = { kind: 'power', power, previous, at: this.clock.now() };
    if (reason !== undefined) event.reason = reason;
    this.emit('status', event);
  }

  protected emitError(error: DeviceError, locus: ErrorLocus): void {
    const event: DeviceErrorEvent = { error, locus };
    this.#lastError = event;
    if (this.listenerCount('error') > 0) this.emit('error', event);
  }

  #hook(action: LifecycleAction): () => Promise<void> {
    switch (action) {
      case 'open':
        return () => this.onOpen();
      case 'claim':
        return () => this.onClaim();
      case 'enable':
        return () => this.onEnable();
      case 'disable':
        return () => this.onDisable();
      case 'release':
        return () => this.onRelease();
      case 'close':
        return () => this.onClose();
    }
  }

  #step(action: LifecycleAction, hook: () => Promise<void>): Promise<void> {
    return this.#serialize(async () => {
      const next = nextLifecycle(this.#lifecycle, action); // throws before any side effect
      await hook();
      this.#setLifecycle(next);
    });
  }

  #setLifecycle(lifecycle: Lifecycle): void {
    const previous = this.#lifecycle;
    if (previous === lifecycle) return;
    this.#lifecycle = lifecycle;
    this.emit('status', { kind: 'lifecycle', lifecycle, previous, at: this.clock.now() });
  }

  #serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

/** Wrap anything thrown by a transport in a DeviceError (a DeviceError passes through unchanged). */
export function toDeviceError(
  error: unknown,
  code: DeviceError['code'],
  message: string,
  retryable = false,
): DeviceError {
  if (error instanceof DeviceError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new DeviceError(code, `${message}: ${detail}`, retryable, {}, { cause: error });
}
