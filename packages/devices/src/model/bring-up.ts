/**
 * The first bring-up of a device: walk it from wherever it is to `enabled` (open, claim, enable), at once and then
 * with full-jitter backoff until it is up or the bring-up is stopped. A till starts before its printer is
 * switched on; after the first success the device's own reconnect supervisor keeps the link, so the bring-up is
 * done for good. It runs on the same ReconnectSupervisor as every reconnect, so a hot-plug signal skips the wait
 * here too.
 */
import { EventEmitter } from 'node:events';
import type { DeviceError } from '../errors.js';
import { type BackoffPolicy, fullJitterBackoff } from './backoff.js';
import { type Clock, systemClock } from './clock.js';
import { ReconnectSupervisor } from './supervisor.js';
import type { PosDevice } from './types.js';

export interface BringUpOptions {
  /** Default: full jitter from 500 ms up to 30 s. */
  backoff?: BackoffPolicy;
  clock?: Clock;
}

export interface BringUpEvents {
  /** An attempt failed; the next one starts after `retryInMs` (or earlier, on a hot-plug). */
  failed: [event: { attempt: number; error: DeviceError; retryInMs: number }];
  /** The device is enabled. Emitted once. */
  up: [event: { attempts: number }];
}

export type BringUpState = 'idle' | 'bringing-up' | 'up' | 'stopped';

export class DeviceBringUp extends EventEmitter<BringUpEvents> {
  readonly #device: Pick<PosDevice, 'lifecycle' | 'open' | 'claim' | 'enable'>;
  readonly #supervisor: ReconnectSupervisor;
  #state: BringUpState = 'idle';
  #failures = 0;
  #lastFailure: { attempt: number; error: DeviceError } | undefined;
  readonly #up: Promise<void>;
  #markUp!: () => void;

  constructor(
    device: Pick<PosDevice, 'lifecycle' | 'open' | 'claim' | 'enable'>,
    options: BringUpOptions = {},
  ) {
    super();
    this.#device = device;
    this.#up = new Promise((resolve) => {
      this.#markUp = resolve;
    });
    this.#supervisor = new ReconnectSupervisor({
      clock: options.clock ?? systemClock(),
      backoff: options.backoff ?? fullJitterBackoff(),
      hooks: { connect: () => this.#walkToEnabled() },
    });
    this.#supervisor.on('failed', ({ attempt, error }) => {
      this.#failures++;
      this.#lastFailure = { attempt, error };
    });
    // The supervisor draws the wait after `failed`; report the failure together with it.
    this.#supervisor.on('scheduled', ({ delayMs }) => {
      const failure = this.#lastFailure;
      if (failure) this.emit('failed', { ...failure, retryInMs: delayMs });
    });
    this.#supervisor.on('reconnected', ({ attempts }) => {
      this.#state = 'up';
      this.#markUp();
      this.emit('up', { attempts });
    });
  }

  get state(): BringUpState {
    return this.#state;
  }

  /** Failed attempts so far. */
  get failures(): number {
    return this.#failures;
  }

  /** Start trying (at once). Calling it again does nothing. */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'bringing-up';
    this.#supervisor.connectNow();
  }

  /** Resolves once the device is enabled; never rejects (a bring-up only ends by success or `stop()`). */
  whenUp(): Promise<void> {
    return this.#up;
  }

  /** A matching device appeared: try now rather than after the wait. */
  hotplug(): void {
    this.#supervisor.hotplug();
  }

  /** Stop trying; resolves once an attempt in flight has finished. The device is left as that attempt left it. */
  async stop(): Promise<void> {
    if (this.#state !== 'up') this.#state = 'stopped';
    await this.#supervisor.stop();
  }

  async #walkToEnabled(): Promise<void> {
    const device = this.#device;
    if (device.lifecycle === 'closed') await device.open();
    if (device.lifecycle === 'opened') await device.claim();
    if (device.lifecycle === 'claimed') await device.enable();
  }
}
