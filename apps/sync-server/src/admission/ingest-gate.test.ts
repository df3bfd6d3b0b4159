import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { IngestGate, type IngestTicket, type Release } from './ingest-gate.js';

function refusal(action: () => unknown): ApiError {
  try {
    action();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Whether the ticket's promise has settled, after pending microtasks ran. */
async function settled(ticket: IngestTicket): Promise<'admitted' | 'rejected' | 'waiting'> {
  let state: 'admitted' | 'rejected' | 'waiting' = 'waiting';
  ticket.admitted.then(
    () => {
      state = 'admitted';
    },
    () => {
      state = 'rejected';
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return state;
}

describe('the ingest gate', () => {
  it('lets in up to maxActive, queues up to maxQueued first come first served, and refuses the next with 429 rate_limited and a Retry-After', async () => {
    let clock = 0;
    const refusals: number[] = [];
    const gate = new IngestGate({
      maxActive: 2,
      maxQueued: 2,
      clock: () => clock,
      random: () => 0,
      onRefused: () => refusals.push(1),
    });
    const first = gate.enter();
    const second = gate.enter();
    const third = gate.enter();
    const fourth = gate.enter();
    expect([gate.active, gate.queued]).toEqual([2, 2]);
    expect(await settled(third)).toBe('waiting');

    const refused = [refusal(() => gate.enter()), refusal(() => gate.enter())];
    for (const error of refused) {
      expect(error).toMatchObject({
        status: 429,
        code: 'rate_limited',
        retryable: true,
        details: { retryAfter: 1 },
      });
    }
    expect(refusals).toHaveLength(2);

    clock = 10;
    const releaseFirst = await first.admitted;
    releaseFirst();
    releaseFirst(); // a second release of the same place changes nothing
    expect([gate.active, gate.queued]).toEqual([2, 1]);
    expect(await settled(third)).toBe('admitted');
    expect(await settled(fourth)).toBe('waiting');
    (await second.admitted)();
    (await third.admitted)();
    (await fourth.admitted)();
    expect([gate.active, gate.queued]).toEqual([0, 0]);
  });

  it('takes a push whose client left out of the queue, and lets the next one in its place', async () => {
    const gate = new IngestGate({ maxActive: 1, maxQueued: 2 });
    const first = gate.enter();
    const leaving = gate.enter();
    const staying = gate.enter();
    leaving.cancel();
    await expect(leaving.admitted).rejects.toMatchObject({ code: 'client_gone' });
    expect(gate.queued).toBe(1);
    (await first.admitted)();
    expect(await settled(staying)).toBe('admitted');
    first.cancel(); // after admission, cancel does nothing
    expect(gate.active).toBe(1);
  });

  it('refuses a push that would wait longer than maxWaitMs, judged by how long batches have held their place', async () => {
    let clock = 0;
    const gate = new IngestGate({ maxActive: 2, maxQueued: 100, maxWaitMs: 1_000, clock: () => clock });
    // Batches that hold their place 400 ms each, two at a time: the queue moves at 200 ms a place.
    for (let i = 0; i < 3; i++) {
      const a = await gate.enter().admitted;
      const b = await gate.enter().admitted;
      clock += 400;
      a();
      b();
    }
    expect(gate.estimatedWaitMs(5)).toBe(1_000);
    const held: Release[] = [await gate.enter().admitted, await gate.enter().admitted];
    const queued = Array.from({ length: 5 }, () => gate.enter());
    expect(gate.queued).toBe(5);
    expect(refusal(() => gate.enter()).status).toBe(429);
    for (const release of held) release();
    for (const ticket of queued) (await ticket.admitted)();
  });

  it('spreads Retry-After over about the seconds the server needs for what it turned away, within the cap', async () => {
    let clock = 0;
    // Jitter at its top: the Retry-After equals the spread.
    const gate = new IngestGate({
      maxActive: 10,
      maxQueued: 0,
      clock: () => clock,
      random: () => 0.999,
      maxRetryAfterSeconds: 30,
    });
    const held = await Promise.all(Array.from({ length: 10 }, () => gate.enter().admitted));
    // A herd: 100 refusals in the first second, nothing completed yet. Completions count as at least the active
    // bound (10 a second), so the last refusals are told to spread over 100 / 10 = 10 seconds.
    clock = 100;
    let last = 0;
    for (let i = 0; i < 100; i++) last = refusal(() => gate.enter()).details!.retryAfter as number;
    expect(last).toBe(10);
    // The server completes 50 in that second; 100 refusals over 50 completions: 2 seconds.
    clock = 600;
    for (const release of held) release();
    for (let i = 0; i < 40; i++) (await gate.enter().admitted)();
    clock = 900;
    expect(gate.retryAfterSeconds()).toBe(2);
    // A quiet second later the refusals have aged out: the floor of 1 s.
    clock = 3_500;
    expect(gate.retryAfterSeconds()).toBe(1);

    // The spread never exceeds the cap, and the jitter draws whole seconds from 1 up to the spread.
    const stalled = new IngestGate({
      maxActive: 1,
      maxQueued: 0,
      random: () => 0.999,
      maxRetryAfterSeconds: 5,
    });
    stalled.enter();
    for (let i = 0; i < 1000; i++) refusal(() => stalled.enter());
    expect(stalled.retryAfterSeconds()).toBe(5);
    const low = new IngestGate({ maxActive: 1, maxQueued: 0, random: () => 0, maxRetryAfterSeconds: 5 });
    low.enter();
    for (let i = 0; i < 1000; i++) refusal(() => low.enter());
    expect(low.retryAfterSeconds()).toBe(1);
  });

  it('refuses bounds that are not whole numbers', () => {
    expect(() => new IngestGate({ maxActive: 0 })).toThrow(RangeError);
    expect(() => new IngestGate({ maxActive: 1.5 })).toThrow(RangeError);
    expect(() => new IngestGate({ maxActive: 1, maxQueued: -1 })).toThrow(RangeError);
  });
});
