import { describe, expect, it } from 'vitest';
import { ShiftReport } from './shift-report.js';

const CLOSED: ShiftReport = {
  shiftId: '01959a00-0000-7000-8000-000000000007',
  staffId: 'zoe',
  currency: 'EUR',
  openedAt: '2025-03-14T07:00:00Z',
  closedAt: '2025-03-14T17:00:00.000Z',
  sales: { count: 2, subtotal: 1000, discountTotal: 100, taxTotal: 150, total: 900 },
  returns: { count: 1, total: 200 },
  voids: { count: 0, total: 0 },
  noSales: 1,
  taxes: [{ code: 'VAT19', amount: 112 }],
  tenders: [
    { kind: 'cash', taken: 500, refunded: 200, net: 300 },
    { kind: 'card', taken: 400, refunded: 0, net: 400 },
  ],
  cash: { openingFloat: 1000, sales: 500, refunds: 200, paidIn: 0, paidOut: 0, drops: 0, expected: 1300 },
  close: {
    expected: [{ kind: 'cash', amount: 1300 }],
    counted: [{ kind: 'cash', amount: 1290 }],
    overShort: [{ kind: 'cash', amount: -10 }],
  },
};

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
