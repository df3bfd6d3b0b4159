/**
 * A cash drawer as a UPOS device: open → claim → enable, then `kick(reason)`. Every kick is written exactly once
 * and reported with its outcome (also to `onOpening`, for the journal); **a kick is never retried
 * automatically**, because a kick whose outcome is unknown may already have opened the drawer. Where a sensor
 * exists, the open/closed state is polled (and taken from pushed changes), a kick is confirmed by the drawer
 * opening, and a 'drawer-left-open' status fires when the drawer stays open longer than `leftOpenAfterMs`.
 */
import { DeviceError } from '../errors.js';
import { type Clock, systemClock, type TimerHandle } from '../model/clock.js';
import { PosDeviceBase, toDeviceError } from '../model/device.js';
import type { DeviceStatusEvent } from '../model/types.js';
import type { DrawerLink, DrawerSensor, DrawerState } from './links.js';

/**
 * - `opened`: the kick was written and the sensor saw the drawer open.
 * - `kicked`: the kick was written; there is no sensor (or it did not answer) to confirm it.
 * - `not-opened`: the kick was written but the sensor still reads closed (jammed, locked, unplugged drawer).
 * - `failed`: the kick was not written (link down). It may still be tried again by a person, never by us.
 */
export type KickOutcome = 'opened' | 'kicked' | 'not-opened' | 'failed';

export interface DrawerOpening {
  kickId: string;
  reason: string;
  outcome: KickOutcome;
  requestedAt: number;
  completedAt: number;
  /** The kick bytes, when they were written. */
  bytes?: Uint8Array;
  /** Why it is not 'opened'/'kicked'; never retryable. */
  error?: DeviceError;
}

export type DrawerStatusEvent =
  | { kind: 'drawer'; state: DrawerState; previous: DrawerState | 'unknown'; at: number }
  | { kind: 'drawer-opening'; opening: DrawerOpening; at: number }
  | { kind: 'drawer-left-open'; openSince: number; at: number };

export interface CashDrawerOptions {
  link: DrawerLink;
  /** Overrides the link's sensor (e.g. printerStatusSensor over a TCP printer); null: ignore any sensor. */
  sensor?: DrawerSensor | null;
  clock?: Clock;
  /** Emit 'drawer-left-open' when the drawer has been open this long. Default 60 000 ms. */
  leftOpenAfterMs?: number;
  /** Poll the sensor this often while enabled; 0 = only pushed changes and kick confirmation. Default 500 ms. */
  pollIntervalMs?: number;
  /** How long after a kick the sensor must read open. Default 2000 ms. */
  confirmTimeoutMs?: number;
  /** Poll interval while confirming a kick. Default 100 ms. */
  confirmPollMs?: number;
  /** Called with every opening (the journal hook; design §5: every drawer opening is journaled with its reason). */
  onOpening?: (opening: DrawerOpening) => void;
}

export class CashDrawer extends PosDeviceBase<never, DrawerStatusEvent> {
  readonly #link: DrawerLink;
  readonly #sensor: DrawerSensor | undefined;
  readonly #leftOpenAfterMs: number;
  readonly #pollIntervalMs: number;
  readonly #confirmTimeoutMs: number;
  readonly #confirmPollMs: number;
  readonly #onOpening: ((opening: DrawerOpening) => void) | undefined;
  #state: DrawerState | 'unknown' = 'unknown';
  #openSince: number | undefined;
  #leftOpenTimer: TimerHandle | undefined;
  #pollTimer: TimerHandle | undefined;
  #reading: Promise<DrawerState | undefined> | undefined;
  #stateWaiters = new Set<(state: DrawerState) => void>();
  #unsubscribe: (() => void)[] = [];
  #kicks: Promise<unknown> = Promise.resolve();
  #kickSeq = 0;

  constructor(options: CashDrawerOptions) {
    super(options.clock ?? systemClock());
    this.#link = options.link;
    this.#sensor = options.sensor === null ? undefined : (options.sensor ?? options.link.sensor);
    this.#leftOpenAfterMs = options.leftOpenAfterMs ?? 60_000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#confirmTimeoutMs = options.confirmTimeoutMs ?? 2000;
    this.#confirmPollMs = options.confirmPollMs ?? 100;
    this.#onOpening = options.onOpening;
  }

  /** The sensor's last reading; 'unknown' without a sensor or before the first reading. */
  get state(): DrawerState | 'unknown' {
    return this.#state;
  }

  get hasSensor(): boolean {
    return this.#sensor !== undefined;
  }

  /**
   * Open the drawer once, for `reason`. Resolves with the outcome (it does not reject for device faults; a
   * failure is the outcome 'failed' or 'not-opened'). Rejects with E_DISABLED unless the drawer is enabled.
   * Concurrent kicks run one after another, each written once.
   */
  kick(reason: string, kickId?: string): Promise<DrawerOpening> {
    if (this.lifecycle !== 'enabled') {
      return Promise.reject(new DeviceError('E_DISABLED', 'enable() the drawer before kicking it', false));
    }
    const id = kickId ?? `kick-${this.clock.now()}-${++this.#kickSeq}`;
    const run = this.#kicks.then(() => this.#kickOnce(id, reason));
    this.#kicks = run.catch(() => undefined);
    return run;
  }

  /** Read the sensor now (undefined without a sensor). */
  async refresh(): Promise<DrawerState | undefined> {
    return this.#read();
  }

  protected async onOpen(): Promise<void> {
    await this.#link.open();
    this.#unsubscribe.push(
      this.#link.onLost((error) => {
        this.#stopMonitoring();
        this.setPower('offline', error.message);
        this.emitError(error, 'input');
      }),
    );
  }

  protected async onClaim(): Promise<void> {}

  protected async onEnable(): Promise<void> {
    const sensor = this.#sensor;
    if (sensor?.subscribe) this.#unsubscribe.push(sensor.subscribe((state) => this.#setState(state)));
    this.setPower('online');
    if (sensor !== undefined) {
      await this.#read();
      this.#schedulePoll();
    }
  }

  protected async onDisable(): Promise<void> {
    this.#stopMonitoring();
  }

  protected async onRelease(): Promise<void> {}

  protected async onClose(): Promise<void> {
    this.#stopMonitoring();
    for (const fn of this.#unsubscribe) fn();
    this.#unsubscribe = [];
    await this.#link.close();
  }

  async #kickOnce(kickId: string, reason: string): Promise<DrawerOpening> {
    const requestedAt = this.clock.now();
    let opening: DrawerOpening;
    try {
      const bytes = await this.#link.kick();
      this.emit('output-complete', { jobId: kickId, at: this.clock.now() });
      const confirmed = await this.#confirm();
      const base = { kickId, reason, requestedAt, bytes };
      if (confirmed === 'open') {
        opening = { ...base, outcome: 'opened', completedAt: this.clock.now() };
      } else if (confirmed === 'closed') {
        opening = {
          ...base,
          outcome: 'not-opened',
          completedAt: this.clock.now(),
          error: new DeviceError(
            'E_EXTENDED',
            `drawer still closed ${this.#confirmTimeoutMs} ms after the kick`,
            false,
            { extended: 'DRAWER_FAILED_TO_OPEN', kickId },
          ),
        };
      } else {
        opening = { ...base, outcome: 'kicked', completedAt: this.clock.now() };
      }
    } catch (error) {
      const cause = toDeviceError(error, 'E_FAILURE', 'drawer kick failed');
      opening = {
        kickId,
        reason,
        requestedAt,
        outcome: 'failed',
        completedAt: this.clock.now(),
        error: new DeviceError(cause.code, cause.message, false, { ...cause.details, kickId }, { cause }),
      };
      this.emitError(opening.error as DeviceError, 'output');
    }
    this.emit('status', { kind: 'drawer-opening', opening, at: opening.completedAt });
    this.#onOpening?.(opening);
    return opening;
  }

  /** After a kick: 'open' once the sensor reads open, 'closed' if it never does in time, undefined without a sensor. */
  async #confirm(): Promise<DrawerState | undefined> {
    if (this.#sensor === undefined) return undefined;
    const deadline = this.clock.now() + this.#confirmTimeoutMs;
    let sawReading = false;
    return new Promise<DrawerState | undefined>((resolve) => {
      let done = false;
      let timer: TimerHandle | undefined;
      const finish = (result: DrawerState | undefined) => {
        if (done) return;
        done = true;
        timer?.cancel();
        this.#stateWaiters.delete(onState);
        resolve(result);
      };
      const onState = (state: DrawerState) => {
        sawReading = true;
        if (state === 'open') finish('open');
      };
      this.#stateWaiters.add(onState);
      const poll = () => {
        if (done) return;
        if (this.clock.now() >= deadline) {
          finish(sawReading ? 'closed' : undefined);
          return;
        }
        void this.#read().then(() => {
          if (done) return;
          timer = this.clock.setTimeout(
            poll,
            Math.min(this.#confirmPollMs, Math.max(0, deadline - this.clock.now())),
          );
        });
      };
      poll();
    });
  }

  /** One sensor read at a time; a failed read is reported as an error and leaves the state as it was. */
  #read(): Promise<DrawerState | undefined> {
    const sensor = this.#sensor;
    if (sensor === undefined) return Promise.resolve(undefined);
    if (this.#reading !== undefined) return this.#reading;
    const reading = sensor.read().then(
      (state) => {
        this.#setState(state);
        return state;
      },
      (error: unknown) => {
        this.emitError(toDeviceError(error, 'E_FAILURE', 'drawer sensor read failed', true), 'input');
        return undefined;
      },
    );
    this.#reading = reading.finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  #schedulePoll(): void {
    if (this.#pollIntervalMs <= 0) return;
    this.#pollTimer = this.clock.setTimeout(() => {
      this.#pollTimer = undefined;
      void this.#read().then(() => {
        if (this.lifecycle === 'enabled' && this.power === 'online') this.#schedulePoll();
      });
    }, this.#pollIntervalMs);
  }

  #stopMonitoring(): void {
    this.#pollTimer?.cancel();
    this.#pollTimer = undefined;
    this.#leftOpenTimer?.cancel();
    this.#leftOpenTimer = undefined;
  }

  #setState(state: DrawerState): void {
    for (const waiter of [...this.#stateWaiters]) waiter(state);
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    const at = this.clock.now();
    this.emit('status', { kind: 'drawer', state, previous, at });
    this.#leftOpenTimer?.cancel();
    this.#leftOpenTimer = undefined;
    if (state === 'open') {
      const openSince = at;
      this.#openSince = openSince;
      this.#leftOpenTimer = this.clock.setTimeout(() => {
        this.#leftOpenTimer = undefined;
        if (this.#state === 'open' && this.#openSince === openSince) {
          this.emit('status', { kind: 'drawer-left-open', openSince, at: this.clock.now() });
        }
      }, this.#leftOpenAfterMs);
    } else {
      this.#openSince = undefined;
    }
  }
}

export type CashDrawerStatus = DrawerStatusEvent | DeviceStatusEvent;
