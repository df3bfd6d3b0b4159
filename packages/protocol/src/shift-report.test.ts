import { describe, expect, it } from 'vitest';
import { ShiftReport } from './shift-report.js';
import { sampleClosedShiftReport } from './testing.js';

const CLOSED = sampleClosedShiftReport();

describe('shift report', () => {
  it('is the X report of an open shift or the Z report of a closed one', () => {
    expect(ShiftReport.parse(CLOSED)).toEqual(CLOSED);
    const open = { ...CLOSED, closedAt: null, close: null };
    expect(ShiftReport.parse(open)).toEqual(open);
  });

  it('refuses fractional money, an unknown tender, a local time and fields it does not know', () => {
    for (const bad of [
      { ...CLOSED, cash: { ...CLOSED.cash, expected: 12.5 } },
      { ...CLOSED, tenders: [{ kind: 'cheque', taken: 1, refunded: 0, net: 1 }] },
      { ...CLOSED, openedAt: '2025-03-14T08:00:00+01:00' },
      { ...CLOSED, noSales: -1 },
      { ...CLOSED, label: 'X' },
    ]) {
      expect(ShiftReport.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
    }
  });
});
