import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { IngestGate } from './ingest-gate.js';

function refusal(action: () => unknown): ApiError {
  try {
    action();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the ingest gate', () => {
  it('admits up to its bound, refuses the next with 429 rate_limited and a Retry-After, and admits again on release', () => {
    const refusals: number[] = [];
    const gate = new IngestGate({ maxInFlight: 2, random: () => 0, onRefused: () => refusals.push(1) });
    const first = gate.enter(0);
    const second = gate.enter(0);
    expect(gate.inFlight).toBe(2);

    const refused = [refusal(() => gate.enter(1)), refusal(() => gate.enter(2))];
    for (const error of refused) {
      expect(error).toMatchObject({
        status: 429,
        code: 'rate_limited',
        retryable: true,
        details: { retryAfter: 1 },
      });
    }
    expect(refusals).toHaveLength(2);
    expect(gate.inFlight).toBe(2);

    first(5);
    first(5); // a second release of the same place changes nothing
    expect(gate.inFlight).toBe(1);
    const third = gate.enter(6);
    expect(() => gate.enter(6)).toThrow(ApiError);
    second(7);
    third(7);
    expect(gate.inFlight).toBe(0);
  });

  it('spreads Retry-After over about the seconds the server needs for what it refused, within the cap', () => {
    // Jitter at its top: the Retry-After equals the spread.
    const gate = new IngestGate({ maxInFlight: 10, random: () => 0.999, maxRetryAfterSeconds: 30 });
    const held = Array.from({ length: 10 }, () => gate.enter(0));
    // A herd: 100 refusals in the first second, nothing completed yet. Completions count as at least the bound
    // (10 a second), so the last refusals are told to spread over 100 / 10 = 10 seconds.
    let last = 0;
    for (let i = 0; i < 100; i++) last = refusal(() => gate.enter(100)).details!.retryAfter as number;
    expect(last).toBe(10);
    // The server completes 50 a second from then on; 100 refusals over 50 completions: 2 seconds.
    for (const release of held) release(600);
    for (let i = 0; i < 40; i++) gate.enter(700)(800);
    expect(gate.retryAfterSeconds(900)).toBe(2);
    // A quiet second later the refusals have aged out: the floor of 1 s.
    expect(gate.retryAfterSeconds(3_500)).toBe(1);

    // The spread never exceeds the cap, and the jitter draws whole seconds from 1 up to the spread.
    const stalled = new IngestGate({ maxInFlight: 1, random: () => 0.999, maxRetryAfterSeconds: 5 });
    stalled.enter(0);
    for (let i = 0; i < 1000; i++) refusal(() => stalled.enter(10));
    expect(stalled.retryAfterSeconds(20)).toBe(5);
    const low = new IngestGate({ maxInFlight: 1, random: () => 0, maxRetryAfterSeconds: 5 });
    low.enter(0);
    for (let i = 0; i < 1000; i++) refusal(() => low.enter(10));
    expect(low.retryAfterSeconds(20)).toBe(1);
  });

  it('refuses a bound that is not a positive whole number', () => {
    expect(() => new IngestGate({ maxInFlight: 0 })).toThrow(RangeError);
    expect(() => new IngestGate({ maxInFlight: 1.5 })).toThrow(RangeError);
  });
});
