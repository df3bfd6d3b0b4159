import { describe, expect, it } from 'vitest';
import type { PromotableLine, Promotion, PromotionConditions, PromotionContext } from './promotion-types.js';
import { applyPromotions, conditionsHold } from './promotions.js';

/**
 * Promotion windows on the store's wall clock across DST changes (decision 0011): a window is a set of clock
 * readings, so 17:00–19:00 means 17:00–19:00 on the clock on both sides of a change, a skipped hour shortens a
 * window and a repeated hour lengthens it.
 */
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

function inside(conditions: PromotionConditions, at: string, timeZone: string): boolean {
  return conditionsHold(conditions, { at, timeZone, storeId: 'store-1', channel: 'pos' });
}

const happyHour: PromotionConditions = { minutesOfDay: { from: 17 * 60, to: 19 * 60 } };

describe('a happy hour 17:00–19:00', () => {
  it('applies at 17:30 local in Berlin the day before and the day after each change', () => {
    // 28 Mar (CET, UTC+1) and 30 Mar (CEST, UTC+2): 17:30 local is 16:30Z and 15:30Z.
    expect(inside(happyHour, '2026-03-28T16:30:00Z', BERLIN)).toBe(true);
    expect(inside(happyHour, '2026-03-30T15:30:00Z', BERLIN)).toBe(true);
    // 16:30Z on 30 March is 18:30 CEST: still inside; 17:30Z is 19:30, outside.
    expect(inside(happyHour, '2026-03-30T17:30:00Z', BERLIN)).toBe(false);
    // 24 Oct (CEST) and 26 Oct (CET).
    expect(inside(happyHour, '2026-10-24T15:30:00Z', BERLIN)).toBe(true);
    expect(inside(happyHour, '2026-10-26T16:30:00Z', BERLIN)).toBe(true);
    expect(inside(happyHour, '2026-10-26T15:30:00Z', BERLIN)).toBe(false);
  });

  it('applies at 17:30 local on the change days themselves, in Berlin and New York', () => {
    expect(inside(happyHour, '2026-03-29T15:30:00Z', BERLIN)).toBe(true);
    expect(inside(happyHour, '2026-10-25T16:30:00Z', BERLIN)).toBe(true);
    // New York: 8 Mar 17:30 EDT = 21:30Z; 1 Nov 17:30 EST = 22:30Z.
    expect(inside(happyHour, '2026-03-08T21:30:00Z', NEW_YORK)).toBe(true);
    expect(inside(happyHour, '2026-03-08T22:30:00Z', NEW_YORK)).toBe(true);
    expect(inside(happyHour, '2026-03-08T23:00:00Z', NEW_YORK)).toBe(false);
    expect(inside(happyHour, '2026-11-01T22:30:00Z', NEW_YORK)).toBe(true);
    expect(inside(happyHour, '2026-11-01T21:59:59Z', NEW_YORK)).toBe(false);
  });

  it('starts at 17:00 local: one UTC instant is in it in summer and not in winter', () => {
    // 15:30Z is 17:30 CEST on 30 March but 16:30 CET on 28 March: a fixed offset would get one of them wrong.
    expect(inside(happyHour, '2026-03-30T15:30:00Z', BERLIN)).toBe(true);
    expect(inside(happyHour, '2026-03-28T15:30:00Z', BERLIN)).toBe(false);
  });

  it('gives the discount in applyPromotions the same way', () => {
    const promotion: Promotion = {
      id: 'happy',
      name: 'Happy hour',
      priority: 1,
      kind: 'item-percent',
      target: { tags: ['drinks'] },
      rate: 500_000, // 50 %
      conditions: happyHour,
    };
    const beer: PromotableLine = {
      lineId: 'l1',
      productId: 'beer',
      tags: ['drinks'],
      quantity: 1,
      unitPrice: 500,
    };
    // 23:30Z is 18:30 EST on 1 November, inside, and 19:30 EDT the day before, outside.
    const context = (at: string): PromotionContext => ({
      at,
      timeZone: NEW_YORK,
      storeId: 's',
      channel: 'pos',
    });
    expect(applyPromotions([beer], [promotion], context('2026-11-01T23:30:00Z')).total).toBe(250);
    expect(applyPromotions([beer], [promotion], context('2026-10-31T23:30:00Z')).total).toBe(0);
  });
});

describe('a window around the skipped hour (Berlin, 29 March 2026, 02:00 → 03:00)', () => {
  const night: PromotionConditions = { minutesOfDay: { from: 90, to: 150 } }; // 01:30–02:30

  it('is shortened by the skipped part: it runs 01:30–02:00 CET, 30 real minutes', () => {
    expect(inside(night, '2026-03-29T00:29:59Z', BERLIN)).toBe(false); // 01:29:59 CET
    expect(inside(night, '2026-03-29T00:30:00Z', BERLIN)).toBe(true); // 01:30 CET
    expect(inside(night, '2026-03-29T00:59:59Z', BERLIN)).toBe(true); // 01:59:59 CET
    expect(inside(night, '2026-03-29T01:00:00Z', BERLIN)).toBe(false); // 03:00 CEST: past 02:30 on the clock
  });

  it('does not run at all that night when it lies wholly inside the skipped hour', () => {
    const skipped: PromotionConditions = { minutesOfDay: { from: 120, to: 180 } }; // 02:00–03:00
    for (let minute = 0; minute < 24 * 60; minute += 5) {
      const at = new Date(Date.parse('2026-03-28T23:00:00Z') + minute * 60_000).toISOString();
      expect(inside(skipped, at, BERLIN)).toBe(false);
    }
    // and runs the usual hour the night after
    expect(inside(skipped, '2026-03-30T00:30:00Z', BERLIN)).toBe(true); // 02:30 CEST
  });
});

describe('a window around the repeated hour (Berlin, 25 October 2026, 03:00 → 02:00)', () => {
  it('runs through both passes of 02:00–03:00: 01:30–02:30 lasts 90 real minutes', () => {
    const night: PromotionConditions = { minutesOfDay: { from: 90, to: 150 } };
    const minutesInside = Array.from({ length: 6 * 60 }, (_, m) =>
      new Date(Date.parse('2026-10-24T22:00:00Z') + m * 60_000).toISOString(),
    ).filter((at) => inside(night, at, BERLIN)).length;
    expect(minutesInside).toBe(90);
    expect(inside(night, '2026-10-25T00:15:00Z', BERLIN)).toBe(true); // 02:15 CEST
    expect(inside(night, '2026-10-25T01:15:00Z', BERLIN)).toBe(true); // 02:15 CET
  });
});

describe('days of the week on the wall clock', () => {
  it('reads the weekday of the local date on a change day: Sunday 00:30 in Berlin is Saturday in UTC', () => {
    const sundays: PromotionConditions = { daysOfWeek: [0] };
    expect(inside(sundays, '2026-10-24T22:30:00Z', BERLIN)).toBe(true); // Sun 25 Oct 00:30 CEST
    expect(inside(sundays, '2026-10-25T22:59:59Z', BERLIN)).toBe(true); // Sun 23:59:59 CET, the 25-hour day
    expect(inside(sundays, '2026-10-25T23:00:00Z', BERLIN)).toBe(false); // Mon 00:00 CET
    expect(inside(sundays, '2026-03-08T05:30:00Z', NEW_YORK)).toBe(true); // Sun 8 Mar 00:30 EST
    expect(inside(sundays, '2026-03-08T04:59:59Z', NEW_YORK)).toBe(false); // Sat 7 Mar 23:59:59 EST
    expect(inside(sundays, '2026-03-09T03:59:59Z', NEW_YORK)).toBe(true); // Sun 23:59:59 EDT, the 23-hour day
    expect(inside(sundays, '2026-03-09T04:00:00Z', NEW_YORK)).toBe(false); // Mon 00:00 EDT
  });

  it('refuses a zone that is not an IANA name', () => {
    expect(() => inside(happyHour, '2026-03-08T21:30:00Z', 'Not/A_Zone')).toThrow(/unknown time zone/);
  });
});
