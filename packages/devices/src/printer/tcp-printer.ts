/**
 * A receipt printer on a raw TCP port (9100). Each job is one connection: connect, send the job, ask `DLE EOT 1`
 * and wait for the one status byte. The result says how far the bytes went; device faults are never thrown.
 *
 * Outcomes:
 *   not-sent          the connection was never made (refused, unreachable, connect timeout): nothing printed.
 *   partial           connected, but the connection broke (reset) before the printer confirmed: some or all of
 *                     the job may be lost. Reprint as COPY if at all.
 *   sent-unconfirmed  the job was handed over but the printer did not answer in time (or hung up cleanly).
 *   confirmed         the printer answered the status query sent after the job, so it received every byte.
 *                     Status is real-time: it proves receipt, not ink on paper. If it reports offline (paper
 *                     out, cover open) the result still says confirmed but carries an E_OFFLINE error.
 *
 * Nothing is retried here; a drawer kick is never retried by anyone automatically (its errors are never
 * retryable). Jobs on one TcpPrinter run one at a time, in call order.
 */
import { DeviceError, type PrintOutcome } from '../errors.js';
import { type DrawerPin, drawerKickBytes, statusRequestBytes } from './escpos-commands.js';
import { decodePrinterStatus, type PrinterStatus } from './escpos-status.js';
import { type ExchangeResult, type ExchangeTarget, exchange } from './tcp-exchange.js';

export interface TcpPrinterOptions {
  host: string;
  port: number;
  /** Default 3000 ms. */
  connectTimeoutMs?: number;
  /** How long to wait for the status byte after the job. Default 2000 ms. */
  statusTimeoutMs?: number;
  /** How long the printer may take to accept the job's bytes (back-pressure). Default 30000 ms. */
  writeTimeoutMs?: number;
}

export interface PrintResult {
  jobId: string;
  outcome: PrintOutcome;
  error?: DeviceError;
  /** Present when outcome is 'confirmed': the printer's answer to DLE EOT 1. */
  status?: PrinterStatus;
}

export type StatusQueryResult = { ok: true; status: PrinterStatus } | { ok: false; error: DeviceError };

/** DLE EOT 1 after a job; DLE EOT 1, 2, 4 for a full status. Built per call: no shared mutable buffers. */
const statusQuery = (): Uint8Array => statusRequestBytes(1);
const fullStatusQuery = (): Uint8Array =>
  Uint8Array.from([...statusRequestBytes(1), ...statusRequestBytes(2), ...statusRequestBytes(4)]);

export class TcpPrinter {
  readonly #target: ExchangeTarget;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: TcpPrinterOptions) {
    const { host, port } = options;
    if (host.length === 0) throw new DeviceError('E_ILLEGAL', 'host must not be empty', false);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new DeviceError('E_ILLEGAL', `port must be 1–65535, got ${port}`, false);
    }
    this.#target = {
      host,
      port,
      connectTimeoutMs: positive(options.connectTimeoutMs, 3000, 'connectTimeoutMs'),
      replyTimeoutMs: positive(options.statusTimeoutMs, 2000, 'statusTimeoutMs'),
      writeTimeoutMs: positive(options.writeTimeoutMs, 30000, 'writeTimeoutMs'),
    };
  }

  /** Send one job. The caller keeps `jobId` stable across a reprint so the journal can tie them together. */
  print(jobId: string, bytes: Uint8Array): Promise<PrintResult> {
    const job = bytes.slice(); // the caller may reuse its buffer while the job waits in the queue
    return this.#enqueue(async () =>
      toPrintResult(jobId, await exchange(this.#target, job, statusQuery(), 1)),
    );
  }

  /**
   * Pulse the drawer (ESC p). Exactly one attempt; no error from it is ever retryable. ESC p is buffered: a
   * printer that reports offline (paper out) holds it until it recovers, and the result carries E_OFFLINE.
   */
  kickDrawer(jobId: string, pin: DrawerPin = 0): Promise<PrintResult> {
    const bytes = drawerKickBytes(pin);
    return this.#enqueue(async () => {
      const result = toPrintResult(jobId, await exchange(this.#target, bytes, statusQuery(), 1));
      return result.error === undefined ? result : { ...result, error: neverRetry(result.error) };
    });
  }

  /** Ask DLE EOT 1, 2 and 4: online, drawer sensor, cover, paper. */
  queryStatus(): Promise<StatusQueryResult> {
    return this.#enqueue(async () => {
      const result = await exchange(this.#target, new Uint8Array(0), fullStatusQuery(), 3);
      if (result.stage !== 'done') return { ok: false, error: result.error };
      const [printer = 0, offline, paper] = result.reply;
      return { ok: true, status: decodePrinterStatus(printer, offline, paper) };
    });
  }

  #enqueue<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(run, run);
    // The queue only orders jobs; each caller gets its own result (and rejection) from `next`.
    this.#queue = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }
}

function toPrintResult(jobId: string, result: ExchangeResult): PrintResult {
  switch (result.stage) {
    case 'connect':
      return { jobId, outcome: 'not-sent', error: result.error };
    case 'write':
      return { jobId, outcome: 'partial', error: result.error };
    case 'reply':
      return { jobId, outcome: result.reset ? 'partial' : 'sent-unconfirmed', error: result.error };
    case 'done': {
      const status = decodePrinterStatus(result.reply[0] ?? 0);
      if (status.online) return { jobId, outcome: 'confirmed', status };
      const error = new DeviceError(
        'E_OFFLINE',
        'printer received the job but reports offline (paper out, cover open or error); it prints on recovery',
        false,
        { status: status.bytes },
      );
      return { jobId, outcome: 'confirmed', status, error };
    }
  }
}

function neverRetry(error: DeviceError): DeviceError {
  if (!error.retryable) return error;
  return new DeviceError(
    error.code,
    `${error.message} (drawer kicks are never retried)`,
    false,
    error.details,
    {
      cause: error.cause,
    },
  );
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new DeviceError('E_ILLEGAL', `${name} must be a positive number of ms, got ${value}`, false);
  }
  return value;
}
