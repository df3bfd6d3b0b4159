import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  businessDay,
  businessDayBounds,
  formatLocalIso,
  isTimeZone,
  localDateTime,
  localToInstant,
  offsetMinutesAt,
  toEpochMs,
} from './store-time.js';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const KATHMANDU = 'Asia/Kathmandu';
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);

describe('the store clock at an instant', () => {
  it('reads Berlin in winter at UTC+1 and in summer at UTC+2', () => {
    expect(localDateTime('2026-01-15T11:00:00Z', BERLIN)).toEqual({
      year: 2026,
      month: 1,
      day: 15,
      hour: 12,
      minute: 0,
      second: 0,
      millisecond: 0,
      weekday: 4,
      offsetMinutes: 60,
    });
    expect(localDateTime('2026-07-15T11:00:00.250Z', BERLIN)).toMatchObject({
      hour: 13,
      millisecond: 250,
      offsetMinutes: 120,
    });
  });

  it('reads UTC as UTC, and Kathmandu at +05:45 all year', () => {
    expect(localDateTime('2026-03-29T23:59:59Z', 'UTC')).toMatchObject({
      day: 29,
      hour: 23,
      offsetMinutes: 0,
    });
    expect(localDateTime('2026-03-29T18:15:00Z', KATHMANDU)).toMatchObject({
      day: 30,
      hour: 0,
      minute: 0,
      weekday: 1,
      offsetMinutes: 345,
    });
    expect(offsetMinutesAt('2026-07-01T00:00:00Z', KATHMANDU)).toBe(345);
  });

  it('jumps from 01:59:59 CET to 03:00 CEST in Berlin on 29 March 2026', () => {
    expect(formatLocalIso('2026-03-29T00:59:59Z', BERLIN)).toBe('2026-03-29T01:59:59+01:00');
    expect(formatLocalIso('2026-03-29T01:00:00Z', BERLIN)).toBe('2026-03-29T03:00:00+02:00');
  });

  it('reads 02:30 twice in Berlin on 25 October 2026, first in CEST and then in CET', () => {
    expect(formatLocalIso('2026-10-25T00:30:00Z', BERLIN)).toBe('2026-10-25T02:30:00+02:00');
    expect(formatLocalIso('2026-10-25T01:30:00Z', BERLIN)).toBe('2026-10-25T02:30:00+01:00');
  });

  it('follows New York across 8 March and 1 November 2026', () => {
    expect(formatLocalIso('2026-03-08T06:59:59Z', NEW_YORK)).toBe('2026-03-08T01:59:59-05:00');
    expect(formatLocalIso('2026-03-08T07:00:00Z', NEW_YORK)).toBe('2026-03-08T03:00:00-04:00');
    expect(formatLocalIso('2026-11-01T05:30:00Z', NEW_YORK)).toBe('2026-11-01T01:30:00-04:00');
    expect(formatLocalIso('2026-11-01T06:30:00Z', NEW_YORK)).toBe('2026-11-01T01:30:00-05:00');
  });

  it('refuses an unknown zone and an ISO string without a zone', () => {
    expect(isTimeZone(BERLIN)).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(() => localDateTime(0, 'Mars/Olympus_Mons')).toThrow(/unknown time zone/);
    expect(() => toEpochMs('2026-03-29T02:30:00')).toThrow(/not an instant with a zone/);
    expect(toEpochMs('2026-03-29T02:30:00+02:00')).toBe(at('2026-03-29T00:30:00Z'));
    expect(toEpochMs(new Date(5))).toBe(5);
  });
});

describe('a wall-clock reading as an instant', () => {
  it('is the one instant the clock reads it, on an ordinary day', () => {
    expect(iso(localToInstant({ year: 2026, month: 6, day: 1, hour: 17, minute: 30 }, BERLIN))).toBe(
      '2026-06-01T15:30:00.000Z',
    );
    expect(iso(localToInstant({ year: 2026, month: 6, day: 1, hour: 5, minute: 45 }, KATHMANDU))).toBe(
      '2026-06-01T00:00:00.000Z',
    );
  });

  it('shifts a time in the spring-forward gap forward by the gap: 02:30 Berlin on 29 March is 03:30 CEST', () => {
    const gap = localToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, BERLIN);
    expect(formatLocalIso(gap, BERLIN)).toBe('2026-03-29T03:30:00+02:00');
    const nyGap = localToInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 0 }, NEW_YORK);
    expect(formatLocalIso(nyGap, NEW_YORK)).toBe('2026-03-08T03:00:00-04:00');
  });

  it('takes the earlier instant of a repeated time: 02:30 Berlin on 25 October is 02:30 CEST', () => {
    expect(iso(localToInstant({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, BERLIN))).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(iso(localToInstant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, NEW_YORK))).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it('reads back every instant it gives (outside a gap, the same wall time)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at('2025-01-01T00:00:00Z'), max: at('2028-01-01T00:00:00Z') }),
        fc.constantFrom(BERLIN, NEW_YORK, KATHMANDU, 'UTC'),
        (ms, zone) => {
          const { offsetMinutes: _, ...reading } = localDateTime(ms, zone);
          const back = localToInstant(reading, zone);
          // The same reading, and never a later instant than the one read (the repeated hour gives the earlier).
          expect(localDateTime(back, zone)).toMatchObject(reading);
          expect(back).toBeLessThanOrEqual(ms);
          expect(ms - back).toBeLessThanOrEqual(HOUR);
        },
      ),
      { seed: 20_260_329, numRuns: 400 },
    );
  });
});

describe('business days', () => {
  it('are 24 hours from local midnight on an ordinary day, and in UTC', () => {
    expect(businessDayBounds('2026-06-01', BERLIN)).toEqual({
      day: '2026-06-01',
      start: at('2026-05-31T22:00:00Z'),
      end: at('2026-06-01T22:00:00Z'),
    });
    expect(businessDayBounds('2026-03-29', 'UTC')).toEqual({
      day: '2026-03-29',
      start: at('2026-03-29T00:00:00Z'),
      end: at('2026-03-30T00:00:00Z'),
    });
    expect(businessDay('2026-03-29T23:59:59.999Z', 'UTC')).toBe('2026-03-29');
  });

  it('last 23 hours on the spring-forward day and 25 on the fall-back day, in Berlin and New York', () => {
    const length = (day: string, zone: string) => {
      const { start, end } = businessDayBounds(day, zone);
      return (end - start) / HOUR;
    };
    expect(length('2026-03-29', BERLIN)).toBe(23);
    expect(length('2026-10-25', BERLIN)).toBe(25);
    expect(length('2026-03-08', NEW_YORK)).toBe(23);
    expect(length('2026-11-01', NEW_YORK)).toBe(25);
    expect(length('2026-03-30', BERLIN)).toBe(24);
  });

  it('put 00:30 and 23:30 local of the 25-hour day in that day, not its neighbours', () => {
    const early = localToInstant({ year: 2026, month: 10, day: 25, hour: 0, minute: 30 }, BERLIN);
    const late = localToInstant({ year: 2026, month: 10, day: 25, hour: 23, minute: 30 }, BERLIN);
    expect(iso(early)).toBe('2026-10-24T22:30:00.000Z');
    expect(iso(late)).toBe('2026-10-25T22:30:00.000Z');
    expect(businessDay(early, BERLIN)).toBe('2026-10-25');
    expect(businessDay(late, BERLIN)).toBe('2026-10-25');
    expect(businessDay(early - HOUR, BERLIN)).toBe('2026-10-24');
    expect(businessDay(late + HOUR, BERLIN)).toBe('2026-10-26');
  });

  it('start at a Kathmandu midnight, 18:15 UTC the day before', () => {
    expect(iso(businessDayBounds('2026-03-30', KATHMANDU).start)).toBe('2026-03-29T18:15:00.000Z');
    expect(businessDay('2026-03-29T18:14:59.999Z', KATHMANDU)).toBe('2026-03-29');
    expect(businessDay('2026-03-29T18:15:00Z', KATHMANDU)).toBe('2026-03-30');
  });

  it('with a 04:00 day start, run 04:00 to 04:00 and keep after-midnight sales in the evening’s day', () => {
    const options = { dayStartHour: 4 };
    expect(businessDay('2026-06-02T01:30:00+02:00', BERLIN, options)).toBe('2026-06-01');
    expect(businessDay('2026-06-02T04:00:00+02:00', BERLIN, options)).toBe('2026-06-02');
    // The night of the spring change: 04:00 CET on the 28th to 04:00 CEST on the 29th, 23 hours.
    const spring = businessDayBounds('2026-03-28', BERLIN, options);
    expect(formatLocalIso(spring.start, BERLIN)).toBe('2026-03-28T04:00:00+01:00');
    expect(formatLocalIso(spring.end, BERLIN)).toBe('2026-03-29T04:00:00+02:00');
    expect((spring.end - spring.start) / HOUR).toBe(23);
    // 03:30 CEST, right after the jump, still belongs to the evening before.
    expect(businessDay('2026-03-29T03:30:00+02:00', BERLIN, options)).toBe('2026-03-28');
    const fall = businessDayBounds('2026-10-24', BERLIN, options);
    expect((fall.end - fall.start) / HOUR).toBe(25);
  });

  it('with a day start inside the skipped hour, start when the clock jumps past it', () => {
    const bounds = businessDayBounds('2026-03-29', BERLIN, { dayStartHour: 2 });
    expect(formatLocalIso(bounds.start, BERLIN)).toBe('2026-03-29T03:00:00+02:00');
    expect(businessDay(bounds.start - 1, BERLIN, { dayStartHour: 2 })).toBe('2026-03-28');
  });

  it('refuse a malformed day and a day start that is not a whole hour 0–23', () => {
    expect(() => businessDayBounds('2026-02-30', BERLIN)).toThrow(/not a business day/);
    expect(() => businessDayBounds('2026-13-01', BERLIN)).toThrow(/not a business day/);
    expect(() => businessDay(0, BERLIN, { dayStartHour: 24 })).toThrow(/whole hour/);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

describe('business days, for any instant', () => {
  const instant = fc.integer({ min: at('2025-01-01T00:00:00Z'), max: at('2028-01-01T00:00:00Z') });
  const zone = fc.constantFrom(BERLIN, NEW_YORK, KATHMANDU, 'UTC', 'Australia/Lord_Howe');
  const dayStartHour = fc.integer({ min: 0, max: 23 });

  it('start before they end, last 22 to 26 hours, and each ends where the next starts', () => {
    fc.assert(
      fc.property(instant, zone, dayStartHour, (ms, tz, hour) => {
        const day = businessDay(ms, tz, { dayStartHour: hour });
        const bounds = businessDayBounds(day, tz, { dayStartHour: hour });
        const next = businessDayBounds(addDays(day, 1), tz, { dayStartHour: hour });
        expect(bounds.start).toBeLessThan(bounds.end);
        expect(bounds.end - bounds.start).toBeGreaterThanOrEqual(22 * HOUR);
        expect(bounds.end - bounds.start).toBeLessThanOrEqual(26 * HOUR);
        expect(next.start).toBe(bounds.end);
      }),
      { seed: 20_261_025, numRuns: 300 },
    );
  });

  it('hold every instant in exactly one day: the day it names', () => {
    fc.assert(
      fc.property(instant, zone, dayStartHour, (ms, tz, hour) => {
        const options = { dayStartHour: hour };
        const day = businessDay(ms, tz, options);
        const holding = [addDays(day, -1), day, addDays(day, 1)].filter((d) => {
          const { start, end } = businessDayBounds(d, tz, options);
          return start <= ms && ms < end;
        });
        expect(holding).toEqual([day]);
      }),
      { seed: 20_260_308, numRuns: 300 },
    );
  });
});
