import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { ApiError } from '../errors.js';

/** How fast an admitted request must send its body, from the moment it was let in. */
export interface BodyPace {
  /** The first body byte must arrive within this many ms (default 5,000). */
  firstByteMs: number;
  /**
   * After `firstByteMs`, the body must keep an average of at least this many bytes a second (default 4,096: a 256 KB
   * batch at that rate still arrives inside `totalMs`; a store line of 64 kbit/s sends twice as fast).
   */
  minBytesPerSecond: number;
  /** The whole body must arrive within this many ms (default 60,000). */
  totalMs: number;
}

export const DEFAULT_BODY_PACE: BodyPace = { firstByteMs: 5_000, minBytesPerSecond: 4_096, totalMs: 60_000 };

/**
 * Why a body was too slow, or null while it keeps pace. `elapsedMs` counts from admission; `received` is the body's
 * bytes so far. Pure, so the rule is tested without waiting on a clock.
 */
export function paceProblem(pace: BodyPace, elapsedMs: number, received: number): string | null {
  if (elapsedMs > pace.totalMs) return `the body took longer than ${pace.totalMs / 1000} s`;
  if (elapsedMs <= pace.firstByteMs) return null;
  if (received === 0) return `no body byte arrived within ${pace.firstByteMs / 1000} s`;
  const owed = (pace.minBytesPerSecond * (elapsedMs - pace.firstByteMs)) / 1000;
  if (received < owed) return `the body arrived slower than ${pace.minBytesPerSecond} bytes a second`;
  return null;
}

/**
 * Wraps a request body (Fastify's preParsing stream) and fails it with 408 `body_too_slow` as soon as it falls behind
 * `pace`, so a client that trickles its body cannot keep a place it was given. Checks a few times a second; stops
 * at the body's end or on any error.
 */
export function pacedBody(
  source: Readable,
  pace: BodyPace,
  clock: () => number = () => performance.now(),
): Readable & { receivedEncodedLength: number } {
  const started = clock();
  let received = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      received += chunk.length;
      counted.receivedEncodedLength = received;
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      clearInterval(timer);
      done();
    },
  });
  const counted = Object.assign(stream, { receivedEncodedLength: 0 });
  const interval = Math.max(20, Math.min(250, pace.firstByteMs / 4));
  const timer = setInterval(() => {
    const problem = paceProblem(pace, clock() - started, received);
    if (problem === null) return;
    clearInterval(timer);
    source.unpipe(stream);
    stream.destroy(
      new ApiError(
        408,
        'body_too_slow',
        `${problem}; the connection is closed, send the request again`,
        true,
      ),
    );
  }, interval);
  timer.unref();
  stream.once('close', () => clearInterval(timer));
  source.once('error', (error) => stream.destroy(error));
  source.pipe(stream);
  return counted;
}
