import { describe, expect, it } from 'vitest';
import { clockView, ServerClock } from './server-clock.js';

const TILL = Date.parse('2026-12-06T10:00:00.000Z');

describe('the server clock as the till sees it', () => {
  it('is the till clock until an answer was measured', () => {
    const clock = new ServerClock(null, () => TILL);
    expect(clock.offsetMs).toBeNull();
    expect(clock.now()).toBe(TILL);
  });

  it('learns a till 10 minutes fast from a Date header, to within the header’s second', () => {
    // The till says 10:10; the server said 10:00:00 (whole seconds) during a 40 ms exchange.
    const tillNow = TILL + 10 * 60_000;
    const clock = new ServerClock(null, () => tillNow);
    clock.observeDateHeader('Sun, 06 Dec 2026 10:00:00 GMT', tillNow - 40, tillNow);
    expect(Math.abs(clock.now() - TILL)).toBeLessThan(1_000);
    expect(clock.offsetMs).toBeLessThan(-9 * 60_000);
    expect(clock.local()).toBe(tillNow);
  });

  it('learns a till 7 minutes slow from the exact time a clock_skew refusal carries', () => {
    const tillNow = TILL - 7 * 60_000;
    const clock = new ServerClock(null, () => tillNow);
    clock.observeServerTime('2026-12-06T10:00:00.123Z', tillNow - 10, tillNow);
    expect(clock.now()).toBe(TILL + 123 + 5);
  });

  it('keeps its offset through the rounding of later Date headers, and moves when the clock really changed', () => {
    let tillNow = TILL;
    const clock = new ServerClock(null, () => tillNow);
    clock.observeServerTime('2026-12-06T10:00:00.700Z', tillNow, tillNow);
    expect(clock.offsetMs).toBe(700);
    // 10:00:00 on the header while the server's clock read 10:00:00.7: no change.
    clock.observeDateHeader('Sun, 06 Dec 2026 10:00:00 GMT', tillNow, tillNow);
    expect(clock.offsetMs).toBe(700);
    // Someone set the till's clock back by 3 minutes.
    tillNow -= 3 * 60_000;
    clock.observeDateHeader('Sun, 06 Dec 2026 10:00:00 GMT', tillNow, tillNow);
    expect(clock.offsetMs).toBe(3 * 60_000 + 500);
  });

  it('ignores a missing or unreadable date', () => {
    const clock = new ServerClock(42, () => TILL);
    clock.observeDateHeader(null, TILL, TILL);
    clock.observeDateHeader('yesterday-ish', TILL, TILL);
    clock.observeServerTime(undefined, TILL, TILL);
    expect(clock.offsetMs).toBe(42);
  });
});

describe('the clock as the manager sees it', () => {
  it('says nothing until measured or within a minute, and how far and which way beyond', () => {
    expect(clockView(null)).toEqual({ offsetMs: null, alert: null });
    expect(clockView(-59_000)).toEqual({ offsetMs: -59_000, alert: null });
    expect(clockView(-600_000).alert).toContain("10 min ahead of HQ's");
    expect(clockView(420_000).alert).toContain("7 min behind HQ's");
  });
});
