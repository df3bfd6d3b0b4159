/**
 * A receipt printer as a UPOS device over one persistent link (TCP 9100, serial, USB): a bounded print queue
 * with one job on the wire at a time, typed status events from `DLE EOT` and Automatic Status Back, and a
 * reconnect supervisor that re-arms ASB and reads a fresh `DLE EOT 1..4` before the queue moves again.
 *
 * This class is the composition: it owns the link and the wire (one job or status exchange at a time), the
 * lifecycle and the supervisor; the queue is printer-job-queue.ts, how a job's outcome is decided is
 * printer-job-delivery.ts, and DLE EOT / ASB is printer-status-protocol.ts.
 *
 * Lifecycle: claim() opens the link (exclusive), enable() arms status, reads it and starts the queue; disable()
 * stops taking jobs off the queue (the job on the wire finishes); release() closes the link and answers every
 * waiting job 'not-sent'. A reset or closed link never yields 'confirmed'; nothing is resent automatically.
 */
import { DeviceError } from '../errors.js';
import { type BackoffPolicy, fullJitterBackoff } from '../model/backoff.js';
import { type Clock, systemClock, type TimerHandle } from '../model/clock.js';
import { PosDeviceBase, toDeviceError } from '../model/device.js';
import { ReconnectSupervisor } from '../model/supervisor.js';
import { jobBytes, type PrintJob, type PrintJobResult } from './print-job.js';
import { deliverJob, linkDownResult } from './printer-job-delivery.js';
import { PrintJobQueue, type PrintTicket, type QueuedJob } from './printer-job-queue.js';
import type { PrinterStatusEvent, PrinterStatusSnapshot } from './printer-status.js';
import { PrinterStatusProtocol } from './printer-status-protocol.js';
import type { PrinterTransport, PrinterTransportFactory } from './printer-transport.js';
import { PROFILE_80MM, type PrinterProfile } from './profiles.js';

export type { PrintTicket } from './printer-job-queue.js';

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
  readonly #chunkSize: number;
  readonly #pollMs: number | undefined;
  readonly #queue: PrintJobQueue;
  readonly #status: PrinterStatusProtocol;
  #link: Link | undefined;
  #supervisor: ReconnectSupervisor<PrinterStatusSnapshot> | undefined;
  #enabled = false;
  /** The link is up AND a fresh status was read on it: only then do jobs leave the queue. */
  #ready = false;
  #wire: Promise<unknown> = Promise.resolve();
  #pollTimer: TimerHandle | undefined;
  #jobCounter = 0;

  constructor(options: PrinterDeviceOptions) {
    super(options.clock ?? systemClock());
    this.profile = options.profile ?? PROFILE_80MM;
    this.#factory = options.transport;
    this.#backoff = options.backoff ?? fullJitterBackoff();
    const capacity = positiveInt(options.queueCapacity, 16, 'queueCapacity');
    const statusTimeoutMs = positiveInt(options.statusTimeoutMs, 2000, 'statusTimeoutMs');
    this.#chunkSize = positiveInt(options.chunkSize, 4096, 'chunkSize');
    this.#pollMs =
      options.statusPollMs === undefined ? undefined : positiveInt(options.statusPollMs, 1, 'statusPollMs');
    const newJobId = options.newJobId ?? (() => `job-${++this.#jobCounter}`);
    this.#status = new PrinterStatusProtocol({
      profile: this.profile,
      clock: this.clock,
      timeoutMs: statusTimeoutMs,
      io: { isUp: () => this.#link !== undefined, write: (bytes) => this.#write(bytes) },
      onEvent: (event) => this.emit('status', event),
    });
    this.#queue = new PrintJobQueue({
      capacity,
      newJobId,
      encode: (job) => jobBytes(job, this.profile),
      canRun: () => this.#enabled && this.#ready,
      run: (job) => this.#onWire(() => this.#send(job)),
      settled: (job, result) => {
        if (result.outcome === 'confirmed') {
          this.emit('output-complete', { jobId: job.jobId, at: this.clock.now() });
        }
        if (result.error) this.emitError(result.error, 'output');
      },
    });
  }

  /** The supervisor while claimed (listen to its events to observe reconnects). */
  get supervisor(): ReconnectSupervisor<PrinterStatusSnapshot> | undefined {
    return this.#supervisor;
  }

  /** What is known about the printer now (from the latest DLE EOT replies and ASB frames). */
  get status(): PrinterStatusSnapshot {
    return this.#status.current;
  }

  /** Jobs waiting (not counting the one on the wire). */
  get queued(): number {
    return this.#queue.queued;
  }

  /** The id of the job on the wire, if any. */
  get inFlight(): string | undefined {
    return this.#queue.inFlight?.jobId;
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
    return this.#queue.submit(job);
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
    return this.#queue.cancel(jobId);
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
    return this.#onWire(() => this.#status.readStatus());
  }

  protected async onOpen(): Promise<void> {}

  protected async onClaim(): Promise<void> {
    await this.#attach();
    this.#supervisor = new ReconnectSupervisor<PrinterStatusSnapshot>({
      clock: this.clock,
      backoff: this.#backoff,
      hooks: {
        connect: () => this.#attach(),
        rearmStatus: () => this.#onWire(() => this.#status.rearm()),
        readStatus: () => this.#onWire(() => this.#status.readStatus()),
        resume: () => {
          this.setPower('online', 'reconnected');
          this.#ready = true;
          this.#queue.pump();
          this.#schedulePoll();
        },
        disconnect: () => this.#detach(),
      },
    });
    this.setPower('online');
  }

  protected async onEnable(): Promise<void> {
    await this.#onWire(async () => {
      await this.#status.rearm();
      await this.#status.readStatus();
    });
    this.#enabled = true;
    this.#ready = this.#link !== undefined;
    this.#schedulePoll();
    queueMicrotask(() => this.#queue.pump());
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
    this.#queue.refuseWaiting(new DeviceError('E_CLOSED', 'printer released before the job was sent', true));
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
    this.#status.reset();
    const link: Link = { transport, lost, fail, unsubscribe: [] };
    link.unsubscribe = [
      transport.onData((chunk) => {
        if (this.#link === link) this.#status.receive(chunk);
      }),
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
    this.#status.fail(error);
    await link.transport.close();
  }

  #onLinkClosed(link: Link, error: DeviceError | undefined): void {
    if (this.#link !== link) return; // our own detach
    this.#link = undefined;
    this.#ready = false;
    for (const unsubscribe of link.unsubscribe) unsubscribe();
    const lost = error ?? new DeviceError('E_OFFLINE', 'printer link closed', true);
    link.fail(lost);
    this.#status.fail(lost);
    this.setPower('offline', lost.message);
    this.emitError(lost, 'output');
    this.#supervisor?.connectionLost();
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

  #send(job: QueuedJob): Promise<PrintJobResult> {
    const link = this.#link;
    if (!link || !this.#ready) return Promise.resolve(linkDownResult(job));
    return deliverJob(job, {
      chunkSize: this.#chunkSize,
      lost: () => this.#link !== link,
      write: (bytes) => this.#write(bytes),
      confirm: async () => {
        const [answer = 0] = await this.#status.query([1]);
        return answer;
      },
    });
  }

  #schedulePoll(): void {
    if (this.#pollMs === undefined || this.#pollTimer) return;
    this.#pollTimer = this.clock.setTimeout(() => {
      this.#pollTimer = undefined;
      if (!this.#enabled) return;
      if (this.#ready && !this.#queue.inFlight) {
        this.#onWire(() => this.#status.readStatus()).catch(() => undefined);
      }
      this.#schedulePoll();
    }, this.#pollMs);
  }
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new DeviceError('E_ILLEGAL', `${name} must be a positive integer, got ${value}`, false);
  }
  return value;
}
