/**
 * Reconnect supervisor (research §6.4, after POSSUM's DynamicDevice connect/isConnected split). When a device
 * loses its link the supervisor waits a full-jitter backoff and tries again, for as long as it runs. A hot-plug
 * signal (a USB attach, a serial path reappearing) skips the wait. After the link is back it re-arms status
 * reporting, reads a FRESH status, and only then resumes work: a printer never restarts its queue on stale
 * status. The hooks are the contract a device class implements; this class only sequences them.
 */
import { EventEmitter } from 'node:events';
import type { DeviceError } from '../errors.js';
import type { BackoffPolicy } from './backoff.js';
import type { Clock, TimerHandle } from './clock.js';
import { toDeviceError } from './device.js';

export interface ReconnectHooks<Status> {
  /** Re-establish the link: re-open the transport and re-claim/re-enable. Throw on failure. */
  connect(attempt: number): Promise<void>;
  /** Re-arm status reporting (e.g. ESC/POS `GS a n` for automatic status back). Runs after connect. */
  rearmStatus?(): Promise<void>;
  /** Read fresh status (e.g. `DLE EOT 1..4`). Runs after rearmStatus; its result is handed to resume. */
  readStatus?(): Promise<Status>;
  /** Resume work (restart a print queue, re-enable data events). Runs only after a fresh status read. */
  resume?(status: Status | undefined): Promise<void> | void;
  /** Drop a half-made link when rearmStatus/readStatus/resume fails, before the next attempt. */
  disconnect?(): Promise<void>;
}

export type SupervisorState = 'idle' | 'waiting' | 'connecting' | 'stopped';

/** What started an attempt: the backoff timer, a hot-plug signal, or `connectNow()` (the first bring-up). */
export type AttemptTrigger = 'timer' | 'hotplug' | 'now';

export interface SupervisorEvents<Status> {
  scheduled: [event: { attempt: number; delayMs: number; at: number }];
  attempt: [event: { attempt: number; trigger: AttemptTrigger; at: number }];
  failed: [event: { attempt: number; error: DeviceError; at: number }];
  reconnected: [event: { attempts: number; status: Status | undefined; at: number }];
  'gave-up': [event: { attempts: number; error: DeviceError; at: number }];
}

export interface ReconnectSupervisorOptions<Status> {
  hooks: ReconnectHooks<Status>;
  clock: Clock;
  backoff: BackoffPolicy;
  /** Stop after this many failed attempts (default: never give up). */
  maxAttempts?: number;
}

export class ReconnectSupervisor<Status = unknown> extends EventEmitter<SupervisorEvents<Status>> {
  readonly #hooks: ReconnectHooks<Status>;
  readonly #clock: Clock;
  readonly #backoff: BackoffPolicy;
  readonly #maxAttempts: number;
  #state: SupervisorState = 'idle';
  #attempt = 0;
  #timer: TimerHandle | undefined;
  #hotplugDuringAttempt = false;
  #running: Promise<void> | undefined;

  constructor(options: ReconnectSupervisorOptions<Status>) {
    super();
    this.#hooks = options.hooks;
    this.#clock = options.clock;
    this.#backoff = options.backoff;
    this.#maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  }

  get state(): SupervisorState {
    return this.#state;
  }

  /** Failed attempts since the link was lost. */
  get attempts(): number {
    return this.#attempt;
  }

  /** The link is gone: start reconnecting (no-op if already reconnecting or stopped). */
  connectionLost(): void {
    if (this.#state !== 'idle') return;
    this.#attempt = 0;
    this.#schedule();
  }

  /** Not connected yet (the first bring-up): try at once, then back off as after a loss. No-op unless idle. */
  connectNow(): void {
    if (this.#state !== 'idle') return;
    this.#attempt = 0;
    this.#run('now');
  }

  /** A matching device was plugged in: try now instead of waiting out the backoff. */
  hotplug(): void {
    if (this.#state === 'waiting') {
      this.#timer?.cancel();
      this.#timer = undefined;
      this.#run('hotplug');
    } else if (this.#state === 'connecting') {
      this.#hotplugDuringAttempt = true;
    }
  }

  /** Stop for good (the device is being closed). Resolves once an attempt in flight has finished. */
  async stop(): Promise<void> {
    this.#state = 'stopped';
    this.#timer?.cancel();
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(): void {
    const delayMs = this.#backoff(this.#attempt);
    this.#state = 'waiting';
    this.emit('scheduled', { attempt: this.#attempt, delayMs, at: this.#clock.now() });
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#run('timer');
    }, delayMs);
  }

  #run(trigger: AttemptTrigger): void {
    this.#state = 'connecting';
    this.#hotplugDuringAttempt = false;
    this.#running = this.#attemptOnce(trigger);
  }

  async #attemptOnce(trigger: AttemptTrigger): Promise<void> {
    const attempt = this.#attempt;
    this.emit('attempt', { attempt, trigger, at: this.#clock.now() });
    let connected = false;
    try {
      await this.#hooks.connect(attempt);
      connected = true;
      if (this.#isStopped()) return;
      await this.#hooks.rearmStatus?.();
      const status = await this.#hooks.readStatus?.();
      if (this.#isStopped()) return;
      await this.#hooks.resume?.(status);
      this.#state = 'idle';
      const attempts = attempt + 1;
      this.#attempt = 0;
      this.emit('reconnected', { attempts, status, at: this.#clock.now() });
    } catch (thrown) {
      const error = toDeviceError(thrown, 'E_OFFLINE', 'reconnect failed', true);
      if (connected) await this.#hooks.disconnect?.().catch(() => undefined);
      this.emit('failed', { attempt, error, at: this.#clock.now() });
      if (this.#isStopped()) return;
      this.#attempt = attempt + 1;
      if (this.#attempt >= this.#maxAttempts) {
        this.#state = 'stopped';
        this.emit('gave-up', { attempts: this.#attempt, error, at: this.#clock.now() });
        return;
      }
      if (this.#hotplugDuringAttempt) this.#run('hotplug');
      else this.#schedule();
    }
  }

  #isStopped(): boolean {
    return this.#state === 'stopped';
  }
}
