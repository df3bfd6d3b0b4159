/**
 * A receipt printer as a UPOS device over one persistent link (TCP 9100, serial, USB): a bounded print queue
 * with one job on the wire at a time, typed status events from `DLE EOT` and Automatic Status Back, and a
 * reconnect supervisor that re-arms ASB and reads a fresh `DLE EOT 1..4` before the queue moves again.
 *
 * Lifecycle: claim() opens the link (exclusive), enable() arms status, reads it and starts the queue; disable()
 * stops taking jobs off the queue (the job on the wire finishes); release() closes the link and answers every
 * waiting job 'not-sent'.
 *
 * Delivery outcome of each job (errors.ts PrintOutcome):
 *   not-sent          no byte of it was handed to the link (the link was already down, or refused the first write)
 *   partial           writing started but the link failed or closed before the printer confirmed
 *   sent-unconfirmed  every byte was written but the DLE EOT 1 sent after it got no answer in time
 *   confirmed         the printer answered the DLE EOT 1 sent after the job, so it received every byte. As with
 *                     TcpPrinter: if that answer says offline (paper out, cover open) the job waits in the
 *                     printer and the result carries an E_OFFLINE error.
 * A reset or closed link therefore never yields 'confirmed'. Nothing is resent automatically.
 */
import { DeviceError } from '../errors.js';
import { type BackoffPolicy, fullJitterBackoff } from '../model/backoff.js';
import { type Clock, systemClock, type TimerHandle } from '../model/clock.js';
import { PosDeviceBase, toDeviceError } from '../model/device.js';
import { ReconnectSupervisor } from '../model/supervisor.js';
import { type StatusRequestKind, statusRequestBytes } from './escpos-commands.js';
import { decodePrinterStatus, StatusStreamParser } from './escpos-status.js';
import { jobBytes, type PrintJob, type PrintJobResult } from './print-job.js';
import {
  asbEnableBytes,
  type PrinterStatusEvent,
  type PrinterStatusSnapshot,
  PrinterStatusTracker,
  type StatusSource,
  snapshotFromAsb,
  snapshotFromReplies,
} from './printer-status.js';
import type { PrinterTransport, PrinterTransportFactory } from './printer-transport.js';
import { PROFILE_80MM, type PrinterProfile } from './profiles.js';

export interface PrinterDeviceOptions {
  /** Makes a fresh, unopened link; called on claim and on every reconnect. */
  transport: PrinterTransportFactory;
  /** Default PROFILE_80MM. Decides whether ASB is armed and whether drawer sensor events are reported. */
  profile?: PrinterProfile;
  clock?: Clock;
  /** Reconnect backoff; default full jitter 500 ms → 30 s. */
  backoff?: BackoffPolicy;
  /** Jobs waiting or on the wire at once; a job beyond that is refused with QUEUE_FULL. Default 16. */
  queueCapacity?: number;
  /** How long to wait for each DLE EOT answer. Default 2000 ms. */
  statusTimeoutMs?: number;
  /** Write jobs in chunks of this many bytes (each drained before the next). Default 4096. */
  chunkSize?: number;
  /** Poll DLE EOT 1..4 this often while idle (for printers without ASB). Default: no polling. */
  statusPollMs?: number;
  /** Job ids for jobs submitted without one. Default `job-<n>`. */
  newJobId?: () => string;
}

export interface PrintTicket {
  jobId: string;
  done: Promise<PrintJobResult>;
}

interface QueuedJob {
  jobId: string;
  copy: boolean;
  bytes: Uint8Array;
  resolve(result: PrintJobResult): void;
}

interface ReplyWaiter {
  resolve(byte: number): void;
  reject(error: DeviceError): void;
  timer: TimerHandle;
}

interface Link {
  transport: PrinterTransport;
  lost: Promise<never>;
  fail(error: DeviceError): void;
  unsubscribe: (() => void)[];
}

export class PrinterDevice extends PosDeviceBase<never, PrinterStatusEvent> {
  readonly profile: PrinterProfile;
  readonly #factory: PrinterTransportFactory;
  readonly #backoff: BackoffPolicy;
  readonly #capacity: number;
  readonly #statusTimeoutMs: number;
  readonly #chunkSize: number;
  readonly #pollMs: number | undefined;
  readonly #newJobId: () => string;
  readonly #tracker: PrinterStatusTracker;
  readonly #parser = new StatusStreamParser();
  #link: Link | undefined;
  #supervisor: ReconnectSupervisor<PrinterStatusSnapshot> | undefined;
  #enabled = false;
  /** The link is up AND a fresh status was read on it: only then do jobs leave the queue. */
  #ready = false;
  #waiting: QueuedJob[] = [];
  #inFlight: QueuedJob | undefined;
  #pumping = false;
  #wire: Promise<unknown> = Promise.resolve();
  #replies: ReplyWaiter[] = [];
  #discardReplies = 0;
  #pollTimer: TimerHandle | undefined;
  #jobCounter = 0;

  constructor(options: PrinterDeviceOptions) {
    super(options.clock ?? systemClock());
    this.profile = options.profile ?? PROFILE_80MM;
    this.#factory = options.transport;
    this.#backoff = options.backoff ?? fullJitterBackoff();
    this.#capacity = positiveInt(options.queueCapacity, 16, 'queueCapacity');
    this.#statusTimeoutMs = positiveInt(options.statusTimeoutMs, 2000, 'statusTimeoutMs');
    this.#chunkSize = positiveInt(options.chunkSize, 4096, 'chunkSize');
    this.#pollMs =
      options.statusPollMs === undefined ? undefined : positiveInt(options.statusPollMs, 1, 'statusPollMs');
    this.#newJobId = options.newJobId ?? (() => `job-${++this.#jobCounter}`);
    this.#tracker = new PrinterStatusTracker(this.profile);
  }

  /** The supervisor while claimed (listen to its events to observe reconnects). */
  get supervisor(): ReconnectSupervisor<PrinterStatusSnapshot> | undefined {
    return this.#supervisor;
  }

  /** What is known about the printer now (from the latest DLE EOT replies and ASB frames). */
  get status(): PrinterStatusSnapshot {
    return this.#tracker.current;
  }

  /** Jobs waiting (not counting the one on the wire). */
  get queued(): number {
    return this.#waiting.length;
  }

  /** The id of the job on the wire, if any. */
  get inFlight(): string | undefined {
    return this.#inFlight?.jobId;
  }

  /** A hot-plug signal for this printer: reconnect now rather than after the backoff. */
  hotplug(): void {
    this.#supervisor?.hotplug();
  }

  /**
   * Queue a job. Throws a DeviceError when it is refused: E_CLOSED / E_NOTCLAIMED / E_DISABLED when the device
   * is not enabled, E_EXTENDED QUEUE_FULL (retryable) when the queue is full, E_ILLEGAL for a malformed job or a
   * job id already queued. Once accepted the job always ends with a result; `done` never rejects.
   */
  submit(job: PrintJob): PrintTicket {
    this.#assertEnabled();
    if (this.#waiting.length + (this.#inFlight ? 1 : 0) >= this.#capacity) {
      throw new DeviceError('E_EXTENDED', `print queue is full (${this.#capacity} jobs)`, true, {
        extended: 'QUEUE_FULL',
        capacity: this.#capacity,
      });
    }
    const jobId = job.id ?? this.#newJobId();
    if (jobId.length === 0) throw new DeviceError('E_ILLEGAL', 'job id must not be empty', false);
    if (this.#inFlight?.jobId === jobId || this.#waiting.some((queued) => queued.jobId === jobId)) {
      throw new DeviceError('E_ILLEGAL', `job ${jobId} is already queued`, false, { jobId });
    }
    const bytes = jobBytes(job, this.profile);
    const copy = job.copy ?? false;
    let resolve!: (result: PrintJobResult) => void;
    const done = new Promise<PrintJobResult>((r) => {
      resolve = r;
    });
    this.#waiting.push({ jobId, copy, bytes, resolve });
    this.#pump();
    return { jobId, done };
  }

  /** submit() as one promise: rejects when refused, otherwise resolves with the job's outcome. */
  async print(job: PrintJob): Promise<PrintJobResult> {
    return this.submit(job).done;
  }

  /**
   * Withdraws a job that is still waiting (not yet on the wire): it ends not-sent and will never print. A job on the
   * wire cannot be withdrawn (false): its outcome follows as usual. A till uses this so a receipt queued behind a
   * printer that went away does not print minutes later for another customer.
   */
  cancel(jobId: string): boolean {
    const index = this.#waiting.findIndex((queued) => queued.jobId === jobId);
    if (index < 0) return false;
    const [job] = this.#waiting.splice(index, 1);
    const cancelled = new DeviceError('E_EXTENDED', `job ${jobId} was withdrawn before it was sent`, false, {
      extended: 'CANCELLED',
    });
    job?.resolve({ jobId, outcome: 'not-sent', copy: job.copy, error: cancelled });
    return true;
  }

  /** A reprint of a job: the same id, marked COPY. */
  reprint(job: Omit<PrintJob, 'copy'>): Promise<PrintJobResult> {
    return this.print({ ...job, copy: true });
  }

  /** Ask DLE EOT 1..4 now (between jobs); status events follow for whatever changed. */
  refreshStatus(): Promise<PrinterStatusSnapshot> {
    if (this.lifecycle === 'closed' || this.lifecycle === 'opened') {
      return Promise.reject(new DeviceError('E_NOTCLAIMED', 'claim the printer first', false));
    }
    return this.#onWire(() => this.#readStatus());
  }

  protected async onOpen(): Promise<void> {}

  protected async onClaim(): Promise<void> {
    await this.#attach();
    this.#supervisor = new ReconnectSupervisor<PrinterStatusSnapshot>({
      clock: this.clock,
      backoff: this.#backoff,
      hooks: {
        connect: () => this.#attach(),
        rearmStatus: () => this.#onWire(() => this.#rearm()),
        readStatus: () => this.#onWire(() => this.#readStatus()),
        resume: () => {
          this.setPower('online', 'reconnected');
          this.#ready = true;
          this.#pump();
          this.#schedulePoll();
        },
        disconnect: () => this.#detach(),
      },
    });
    this.setPower('online');
  }

  protected async onEnable(): Promise<void> {
    await this.#onWire(async () => {
      await this.#rearm();
      await this.#readStatus();
    });
    this.#enabled = true;
    this.#ready = this.#link !== undefined;
    this.#schedulePoll();
    queueMicrotask(() => this.#pump());
  }

  protected async onDisable(): Promise<void> {
    this.#enabled = false;
    this.#pollTimer?.cancel();
    this.#pollTimer = undefined;
    await this.#wire; // the job on the wire finishes; waiting jobs stay queued
  }

  protected async onRelease(): Promise<void> {
    const supervisor = this.#supervisor;
    this.#supervisor = undefined;
    await supervisor?.stop();
    await this.#wire;
    await this.#detach();
    this.#ready = false;
    const refused = new DeviceError('E_CLOSED', 'printer released before the job was sent', true);
    for (const job of this.#waiting.splice(0)) {
      job.resolve({ jobId: job.jobId, outcome: 'not-sent', copy: job.copy, error: refused });
    }
  }

  protected async onClose(): Promise<void> {}

  #assertEnabled(): void {
    switch (this.lifecycle) {
      case 'closed':
        throw new DeviceError('E_CLOSED', 'the printer is closed; open it first', false);
      case 'opened':
        throw new DeviceError('E_NOTCLAIMED', 'claim the printer first', false);
      case 'claimed':
        throw new DeviceError('E_DISABLED', 'enable the printer first', false);
      case 'enabled':
        if (!this.#enabled) throw new DeviceError('E_DISABLED', 'enable the printer first', false);
    }
  }

  // ---- the link ----

  async #attach(): Promise<void> {
    const transport = this.#factory();
    try {
      await transport.open();
    } catch (error) {
      throw toDeviceError(error, 'E_NOHARDWARE', 'cannot connect to the printer', true);
    }
    let fail!: (error: DeviceError) => void;
    const lost = new Promise<never>((_, reject) => {
      fail = reject;
    });
    lost.catch(() => undefined); // observed by whoever races against it
    this.#parser.reset();
    this.#discardReplies = 0;
    const link: Link = { transport, lost, fail, unsubscribe: [] };
    link.unsubscribe = [
      transport.onData((chunk) => this.#onData(link, chunk)),
      transport.onClose((error) => this.#onLinkClosed(link, error)),
    ];
    this.#link = link;
  }

  async #detach(): Promise<void> {
    const link = this.#link;
    if (!link) return;
    this.#link = undefined;
    this.#ready = false;
    for (const unsubscribe of link.unsubscribe) unsubscribe();
    const error = new DeviceError('E_OFFLINE', 'printer link closed', true);
    link.fail(error);
    this.#failReplies(error);
    await link.transport.close();
  }

  #onLinkClosed(link: Link, error: DeviceError | undefined): void {
    if (this.#link !== link) return; // our own detach
    this.#link = undefined;
    this.#ready = false;
    for (const unsubscribe of link.unsubscribe) unsubscribe();
    const lost = error ?? new DeviceError('E_OFFLINE', 'printer link closed', true);
    link.fail(lost);
    this.#failReplies(lost);
    this.setPower('offline', lost.message);
    this.emitError(lost, 'output');
    this.#supervisor?.connectionLost();
  }

  #onData(link: Link, chunk: Uint8Array): void {
    if (this.#link !== link) return;
    for (const item of this.#parser.push(chunk)) {
      if (item.type === 'reply') {
        if (this.#discardReplies > 0) {
          this.#discardReplies -= 1; // the late answer to a query that already timed out
          continue;
        }
        const waiter = this.#replies.shift();
        if (waiter) {
          waiter.timer.cancel();
          waiter.resolve(item.byte);
        }
      } else if (item.type === 'asb') {
        this.#applyStatus(snapshotFromAsb(item.status), 'asb');
      }
    }
  }

  #failReplies(error: DeviceError): void {
    for (const waiter of this.#replies.splice(0)) {
      waiter.timer.cancel();
      waiter.reject(error);
    }
    this.#discardReplies = 0;
  }

  #applyStatus(snapshot: PrinterStatusSnapshot, source: StatusSource): void {
    for (const event of this.#tracker.apply(snapshot, source, this.clock.now())) this.emit('status', event);
  }

  // ---- the wire: one job or status exchange at a time ----

  #onWire<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#wire.then(task, task);
    this.#wire = run.catch(() => undefined);
    return run;
  }

  async #write(bytes: Uint8Array): Promise<void> {
    const link = this.#link;
    if (!link) throw new DeviceError('E_OFFLINE', 'printer link is down', true);
    await Promise.race([link.transport.write(bytes), link.lost]);
  }

  /** Write DLE EOT for each kind and collect the answers, in order. */
  async #query(kinds: readonly StatusRequestKind[]): Promise<number[]> {
    const link = this.#link;
    if (!link) throw new DeviceError('E_OFFLINE', 'printer link is down', true);
    const answers = kinds.map(() => this.#expectReply());
    for (const answer of answers) answer.catch(() => undefined);
    const request = Uint8Array.from(kinds.flatMap((kind) => [...statusRequestBytes(kind)]));
    try {
      await this.#write(request);
    } catch (error) {
      this.#failReplies(toDeviceError(error, 'E_FAILURE', 'status request failed'));
      throw error;
    }
    return Promise.all(answers);
  }

  #expectReply(): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const waiter: ReplyWaiter = {
        resolve,
        reject,
        timer: this.clock.setTimeout(() => {
          const index = this.#replies.indexOf(waiter);
          if (index < 0) return;
          this.#replies.splice(index, 1);
          this.#discardReplies += 1;
          reject(
            new DeviceError(
              'E_TIMEOUT',
              `printer did not answer DLE EOT within ${this.#statusTimeoutMs} ms`,
              false,
            ),
          );
        }, this.#statusTimeoutMs),
      };
      this.#replies.push(waiter);
    });
  }

  async #rearm(): Promise<void> {
    if (this.profile.status.asb) await this.#write(asbEnableBytes());
  }

  async #readStatus(): Promise<PrinterStatusSnapshot> {
    const [printer = 0, offline = 0, error = 0, paper = 0] = await this.#query([1, 2, 3, 4]);
    const snapshot = snapshotFromReplies(printer, offline, error, paper);
    this.#applyStatus(snapshot, 'dle-eot');
    return snapshot;
  }

  #schedulePoll(): void {
    if (this.#pollMs === undefined || this.#pollTimer) return;
    this.#pollTimer = this.clock.setTimeout(() => {
      this.#pollTimer = undefined;
      if (!this.#enabled) return;
      if (this.#ready && !this.#inFlight) {
        this.#onWire(() => this.#readStatus()).catch(() => undefined);
      }
      this.#schedulePoll();
    }, this.#pollMs);
  }

  // ---- the queue ----

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    void (async () => {
      try {
        while (this.#enabled && this.#ready && this.#waiting.length > 0) {
          const job = this.#waiting.shift();
          if (!job) break;
          this.#inFlight = job;
          const result = await this.#onWire(() => this.#send(job));
          this.#inFlight = undefined;
          job.resolve(result);
          if (result.outcome === 'confirmed') {
            this.emit('output-complete', { jobId: job.jobId, at: this.clock.now() });
          }
          if (result.error) this.emitError(result.error, 'output');
        }
      } finally {
        this.#pumping = false;
      }
    })();
  }

  async #send(job: QueuedJob): Promise<PrintJobResult> {
    const { jobId, copy, bytes } = job;
    const link = this.#link;
    if (!link || !this.#ready) {
      const error = new DeviceError('E_OFFLINE', 'printer link is down; nothing was sent', true);
      return { jobId, outcome: 'not-sent', copy, error };
    }
    let started = false;
    try {
      for (let offset = 0; offset < bytes.length; offset += this.#chunkSize) {
        if (this.#link !== link) throw new DeviceError('E_FAILURE', 'printer link lost while sending', false);
        started = true;
        await this.#write(bytes.subarray(offset, offset + this.#chunkSize));
      }
    } catch (thrown) {
      const error = toDeviceError(thrown, 'E_FAILURE', 'sending the job failed');
      return started
        ? { jobId, outcome: 'partial', copy, error: notRetryable(error, 'the job may be partly printed') }
        : { jobId, outcome: 'not-sent', copy, error };
    }
    let answer: number;
    try {
      [answer = 0] = await this.#query([1]);
    } catch (thrown) {
      const error = toDeviceError(thrown, 'E_FAILURE', 'confirming the job failed');
      if (error.code === 'E_TIMEOUT') return { jobId, outcome: 'sent-unconfirmed', copy, error };
      return {
        jobId,
        outcome: 'partial',
        copy,
        error: notRetryable(error, 'the link broke before confirmation'),
      };
    }
    const status = decodePrinterStatus(answer);
    if (status.online) return { jobId, outcome: 'confirmed', copy, status };
    const error = new DeviceError(
      'E_OFFLINE',
      'printer received the job but reports offline (paper out, cover open or error); it prints on recovery',
      false,
      { status: status.bytes },
    );
    return { jobId, outcome: 'confirmed', copy, status, error };
  }
}

/** A job that may be partly printed must not be resent automatically (only reprinted as COPY by a person). */
function notRetryable(error: DeviceError, why: string): DeviceError {
  if (!error.retryable) return error;
  return new DeviceError(
    error.code === 'E_OFFLINE' ? 'E_FAILURE' : error.code,
    `${error.message} (${why})`,
    false,
    error.details,
    {
      cause: error,
    },
  );
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new DeviceError('E_ILLEGAL', `${name} must be a positive integer, got ${value}`, false);
  }
  return value;
}
