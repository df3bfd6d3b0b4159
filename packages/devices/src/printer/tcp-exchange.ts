/**
 * One TCP round trip with a raw-port (9100) printer: connect, write the payload, then write a real-time status
 * query and collect the status bytes it answers. Reports how far it got instead of throwing, because how far
 * the bytes went decides what the caller may do next (resend, reprint as COPY, or nothing).
 */
import net from 'node:net';
import { DeviceError } from '../errors.js';
import { isRealtimeStatusByte } from './escpos-status.js';

export interface ExchangeTarget {
  host: string;
  port: number;
  connectTimeoutMs: number;
  writeTimeoutMs: number;
  replyTimeoutMs: number;
}

export type ExchangeResult =
  /** Never connected: nothing was sent. */
  | { stage: 'connect'; error: DeviceError }
  /** Connected, but the payload was not fully handed to the network before the connection broke or stalled. */
  | { stage: 'write'; error: DeviceError }
  /** Payload sent; no complete answer. `reset` tells a broken connection from a silent or cleanly closing peer. */
  | { stage: 'reply'; error: DeviceError; reset: boolean }
  /** Payload sent and the printer answered every status query. */
  | { stage: 'done'; reply: number[] };

/**
 * Resolves once the socket is fully closed, so no handle outlives the call. A reset (ECONNRESET/EPIPE) after
 * connecting is reported as broken even when the payload looked flushed: flushed only means the kernel took
 * the bytes, and a reset discards what the printer had not read yet.
 */
export function exchange(
  target: ExchangeTarget,
  payload: Uint8Array,
  query: Uint8Array,
  replyLength: number,
): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.host, port: target.port });
    const where = `${target.host}:${target.port}`;
    let stage: 'connect' | 'write' | 'reply' = 'connect';
    let settled = false;
    let closed = false;
    const reply: number[] = [];
    let timer = setTimeout(() => {
      settle({
        stage: 'connect',
        error: new DeviceError(
          'E_OFFLINE',
          `no connection to ${where} within ${target.connectTimeoutMs} ms`,
          true,
        ),
      });
    }, target.connectTimeoutMs);

    const settle = (result: ExchangeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (closed) resolve(result);
      else socket.once('close', () => resolve(result));
    };

    const broken = (cause?: Error): void => {
      const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'closed';
      const details = { code, where };
      if (stage === 'connect') {
        settle({
          stage,
          error: new DeviceError('E_OFFLINE', `cannot connect to ${where}: ${code}`, true, details, {
            cause,
          }),
        });
      } else if (stage === 'write') {
        const message = `connection to ${where} broke while sending (${code})`;
        settle({ stage, error: new DeviceError('E_FAILURE', message, false, details, { cause }) });
      } else {
        const reset = cause !== undefined;
        const message = reset
          ? `connection to ${where} broke before the printer confirmed (${code})`
          : `printer at ${where} closed the connection without answering the status query`;
        settle({ stage, reset, error: new DeviceError('E_FAILURE', message, false, details, { cause }) });
      }
    };

    const sendQuery = (): void => {
      stage = 'reply';
      clearTimeout(timer);
      timer = setTimeout(() => {
        const message = `printer at ${where} did not answer the status query within ${target.replyTimeoutMs} ms`;
        settle({
          stage: 'reply',
          reset: false,
          error: new DeviceError('E_TIMEOUT', message, false, { where }),
        });
      }, target.replyTimeoutMs);
      socket.write(query);
    };

    socket.on('connect', () => {
      stage = 'write';
      clearTimeout(timer);
      if (payload.length === 0) {
        sendQuery();
        return;
      }
      timer = setTimeout(() => {
        const message = `printer at ${where} did not take the job within ${target.writeTimeoutMs} ms`;
        settle({ stage: 'write', error: new DeviceError('E_TIMEOUT', message, false, { where }) });
      }, target.writeTimeoutMs);
      socket.write(payload, (err) => {
        // After a reset Node may call back with no error; the 'error' event has settled the result by then.
        if (settled) return;
        if (err) broken(err);
        else sendQuery();
      });
    });

    socket.on('data', (chunk: Buffer) => {
      if (stage !== 'reply') return; // e.g. an ASB frame before our query: not an answer to it
      for (const byte of chunk) {
        if (isRealtimeStatusByte(byte)) reply.push(byte);
      }
      if (reply.length >= replyLength) settle({ stage: 'done', reply: reply.slice(0, replyLength) });
    });

    // Every socket error is turned into the result; once settled, the outcome is already decided and a late
    // error (e.g. a reset racing our own destroy) cannot change it.
    socket.on('error', (err) => broken(err));
    socket.on('end', () => broken());
    socket.on('close', () => {
      closed = true;
      broken();
    });
  });
}
