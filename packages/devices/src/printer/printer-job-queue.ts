/**
 * A printer's bounded job queue: jobs wait in submission order and leave one at a time, only while the owner
 * says the printer can take them; each accepted job ends with exactly one result. It knows nothing of links or
 * status: `run` delivers a job and answers its outcome (printer-job-delivery.ts).
 */
import { DeviceError } from '../errors.js';
import type { PrintJob, PrintJobResult } from './print-job.js';

export interface QueuedJob {
  jobId: string;
  copy: boolean;
  bytes: Uint8Array;
  resolve(result: PrintJobResult): void;
}

export interface PrintTicket {
  jobId: string;
  done: Promise<PrintJobResult>;
}

export interface PrintJobQueueOptions {
  /** Jobs waiting or on the wire at once; a job beyond that is refused with QUEUE_FULL. */
  capacity: number;
  /** Id for a job submitted without one. */
  newJobId(): string;
  /** The job's bytes (throws E_ILLEGAL for a malformed job). */
  encode(job: PrintJob): Uint8Array;
  /** Whether a job may leave the queue now. */
  canRun(): boolean;
  /** Put the job on the wire and answer its outcome; never rejects. */
  run(job: QueuedJob): Promise<PrintJobResult>;
  /** After a job that ran was answered. */
  settled(job: QueuedJob, result: PrintJobResult): void;
}

export class PrintJobQueue {
  readonly #options: PrintJobQueueOptions;
  #waiting: QueuedJob[] = [];
  #inFlight: QueuedJob | undefined;
  #pumping = false;

  constructor(options: PrintJobQueueOptions) {
    this.#options = options;
  }

  /** Jobs waiting (not counting the one on the wire). */
  get queued(): number {
    return this.#waiting.length;
  }

  /** The job on the wire, if any. */
  get inFlight(): QueuedJob | undefined {
    return this.#inFlight;
  }

  /**
   * Queue a job and start the queue. Throws E_EXTENDED QUEUE_FULL (retryable) when full, E_ILLEGAL for a
   * malformed job or a job id already queued.
   */
  submit(job: PrintJob): PrintTicket {
    const { capacity } = this.#options;
    if (this.#waiting.length + (this.#inFlight ? 1 : 0) >= capacity) {
      throw new DeviceError('E_EXTENDED', `print queue is full (${capacity} jobs)`, true, {
        extended: 'QUEUE_FULL',
        capacity,
      });
    }
    const jobId = job.id ?? this.#options.newJobId();
    if (jobId.length === 0) throw new DeviceError('E_ILLEGAL', 'job id must not be empty', false);
    if (this.#inFlight?.jobId === jobId || this.#waiting.some((queued) => queued.jobId === jobId)) {
      throw new DeviceError('E_ILLEGAL', `job ${jobId} is already queued`, false, { jobId });
    }
    const bytes = this.#options.encode(job);
    const copy = job.copy ?? false;
    let resolve!: (result: PrintJobResult) => void;
    const done = new Promise<PrintJobResult>((r) => {
      resolve = r;
    });
    this.#waiting.push({ jobId, copy, bytes, resolve });
    this.pump();
    return { jobId, done };
  }

  /** Withdraw a job still waiting: it ends not-sent (CANCELLED). False when it is on the wire or unknown. */
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

  /** Answer every waiting job not-sent with this error. */
  refuseWaiting(error: DeviceError): void {
    for (const job of this.#waiting.splice(0)) {
      job.resolve({ jobId: job.jobId, outcome: 'not-sent', copy: job.copy, error });
    }
  }

  /** Run waiting jobs one at a time while canRun() holds; a call while already running does nothing. */
  pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    void (async () => {
      try {
        while (this.#options.canRun() && this.#waiting.length > 0) {
          const job = this.#waiting.shift();
          if (!job) break;
          this.#inFlight = job;
          const result = await this.#options.run(job);
          this.#inFlight = undefined;
          job.resolve(result);
          this.#options.settled(job, result);
        }
      } finally {
        this.#pumping = false;
      }
    })();
  }
}
