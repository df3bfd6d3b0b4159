/**
 * The status side of a printer link: DLE EOT requests matched to their one-byte answers (in order, each with a
 * timeout), Automatic Status Back frames picked out of the same byte stream, and the resulting snapshots turned
 * into typed status events by a PrinterStatusTracker.
 *
 * DLE EOT answers do not say which request they answer. After a query times out, its answer may still come late
 * or never: for one more timeout its answer is owed and discarded if it comes, and a new query waits until it
 * has come or that time is up, so an answer is never taken for another's. An answer later than two timeouts
 * would be taken for the next query's; printers answer DLE EOT in milliseconds, so that means a printer in
 * trouble, and the next status read corrects it.
 *
 * It owns no link: it writes through the LinkIo it is given and is fed the bytes read from the link. Callers run
 * one exchange at a time (PrinterDevice serialises everything on the wire).
 */
import { DeviceError } from '../errors.js';
import type { Clock, TimerHandle } from '../model/clock.js';
import { toDeviceError } from '../model/device.js';
import { type StatusRequestKind, statusRequestBytes } from './escpos-commands.js';
import { StatusStreamParser } from './escpos-status.js';
import {
  asbEnableBytes,
  type PrinterStatusEvent,
  type PrinterStatusSnapshot,
  PrinterStatusTracker,
  type StatusSource,
  snapshotFromAsb,
  snapshotFromReplies,
} from './printer-status.js';
import type { PrinterProfile } from './profiles.js';

/** How the protocol reaches the link. */
export interface LinkIo {
  /** Whether a link is attached now. */
  isUp(): boolean;
  /** Write bytes to the link; rejects when the link is down or fails. */
  write(bytes: Uint8Array): Promise<void>;
}

export interface PrinterStatusProtocolOptions {
  profile: PrinterProfile;
  clock: Clock;
  /** How long to wait for each DLE EOT answer. */
  timeoutMs: number;
  io: LinkIo;
  /** Each status change, from DLE EOT answers or ASB frames. */
  onEvent(event: PrinterStatusEvent): void;
}

interface ReplyWaiter {
  resolve(byte: number): void;
  reject(error: DeviceError): void;
  timer: TimerHandle;
}

export class PrinterStatusProtocol {
  readonly #options: PrinterStatusProtocolOptions;
  readonly #tracker: PrinterStatusTracker;
  readonly #parser = new StatusStreamParser();
  #replies: ReplyWaiter[] = [];
  /** Answers owed to queries that timed out, and until when they are expected (clock time). */
  #late = { owed: 0, until: 0 };
  /** Settles a query held until the owed answers have come or their time is up. */
  #lateSettled: { resolve(): void; timer: TimerHandle } | undefined;

  constructor(options: PrinterStatusProtocolOptions) {
    this.#options = options;
    this.#tracker = new PrinterStatusTracker(options.profile);
  }

  /** What is known about the printer now (from the latest DLE EOT replies and ASB frames). */
  get current(): PrinterStatusSnapshot {
    return this.#tracker.current;
  }

  /** A fresh link: forget any half-read frame and any answer still owed by the previous one. */
  reset(): void {
    this.#parser.reset();
    this.#forgetLate();
  }

  /** Bytes read from the link: answers go to the waiting queries, ASB frames become status events. */
  receive(chunk: Uint8Array): void {
    for (const item of this.#parser.push(chunk)) {
      if (item.type === 'reply') {
        if (this.#late.owed > 0) {
          this.#late.owed -= 1; // the late answer to a query that already timed out
          if (this.#late.owed === 0) this.#forgetLate();
          continue;
        }
        const waiter = this.#replies.shift();
        if (waiter) {
          waiter.timer.cancel();
          waiter.resolve(item.byte);
        }
      } else if (item.type === 'asb') {
        this.#apply(snapshotFromAsb(item.status), 'asb');
      }
    }
  }

  /** The link is gone: every query still waiting rejects with this error. */
  fail(error: DeviceError): void {
    for (const waiter of this.#replies.splice(0)) {
      waiter.timer.cancel();
      waiter.reject(error);
    }
    this.#forgetLate();
  }

  /** Arm Automatic Status Back when the profile has it. */
  async rearm(): Promise<void> {
    if (this.#options.profile.status.asb) await this.#options.io.write(asbEnableBytes());
  }

  /** Read DLE EOT 1..4; status events follow for whatever changed. */
  async readStatus(): Promise<PrinterStatusSnapshot> {
    const [printer = 0, offline = 0, error = 0, paper = 0] = await this.query([1, 2, 3, 4]);
    const snapshot = snapshotFromReplies(printer, offline, error, paper);
    this.#apply(snapshot, 'dle-eot');
    return snapshot;
  }

  /** Write DLE EOT for each kind and collect the answers, in order. */
  async query(kinds: readonly StatusRequestKind[]): Promise<number[]> {
    if (!this.#options.io.isUp()) throw new DeviceError('E_OFFLINE', 'printer link is down', true);
    await this.#lateAnswersSettled();
    if (!this.#options.io.isUp()) throw new DeviceError('E_OFFLINE', 'printer link is down', true);
    const answers = kinds.map(() => this.#expectReply());
    for (const answer of answers) answer.catch(() => undefined);
    const request = Uint8Array.from(kinds.flatMap((kind) => [...statusRequestBytes(kind)]));
    try {
      await this.#options.io.write(request);
    } catch (error) {
      this.fail(toDeviceError(error, 'E_FAILURE', 'status request failed'));
      throw error;
    }
    return Promise.all(answers);
  }

  #expectReply(): Promise<number> {
    const { clock, timeoutMs } = this.#options;
    return new Promise<number>((resolve, reject) => {
      const waiter: ReplyWaiter = {
        resolve,
        reject,
        timer: clock.setTimeout(() => {
          const index = this.#replies.indexOf(waiter);
          if (index < 0) return;
          this.#replies.splice(index, 1);
          this.#late = { owed: this.#late.owed + 1, until: clock.now() + timeoutMs };
          reject(
            new DeviceError('E_TIMEOUT', `printer did not answer DLE EOT within ${timeoutMs} ms`, false),
          );
        }, timeoutMs),
      };
      this.#replies.push(waiter);
    });
  }

  /** Waits while an answer to a timed-out query may still come (see the top of this file). */
  #lateAnswersSettled(): Promise<void> {
    const wait = this.#late.until - this.#options.clock.now();
    if (this.#late.owed === 0 || wait <= 0) {
      this.#forgetLate();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#lateSettled = { resolve, timer: this.#options.clock.setTimeout(() => this.#forgetLate(), wait) };
    });
  }

  /** No answer is owed any more: release a held query. */
  #forgetLate(): void {
    this.#late = { owed: 0, until: 0 };
    const held = this.#lateSettled;
    this.#lateSettled = undefined;
    held?.timer.cancel();
    held?.resolve();
  }

  #apply(snapshot: PrinterStatusSnapshot, source: StatusSource): void {
    const at = this.#options.clock.now();
    for (const event of this.#tracker.apply(snapshot, source, at)) this.#options.onEvent(event);
  }
}
