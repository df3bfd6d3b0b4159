import { afterEach, describe, expect, it } from 'vitest';
import type { MethodParams } from '../contract/methods.js';
import { closeShift } from './shift-close.js';
import { ShiftReports } from './shift-reports.js';
import {
  cleanUpTills,
  FLOAT_COUNT,
  journalEvents,
  recordingDevices,
  STAFF,
  type StaffMember,
  saleServiceFor,
  staffedTill,
} from './test-support.js';

afterEach(cleanUpTills);

const by = (member: StaffMember) => ({ number: member.number, pin: member.pin });
const pen = (saleId: string, tenders: unknown[]) => ({
  saleId,
  currency: 'EUR',
  lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 4 }],
  tenders: tenders as never,
});

/** A shift opened by the manager with 100.00, a cash sale of 10.00 and a card sale of 10.00; `signedIn` closes. */
async function till(signedIn: StaffMember = STAFF.manager) {
  const t = await staffedTill(STAFF.manager);
  await t.shifts.open({ floatCount: FLOAT_COUNT });
  const sales = saleServiceFor(t);
  await sales.complete(pen(t.nextSaleId(), [{ kind: 'cash', tendered: 1000 }]));
  await sales.complete(
    pen(t.nextSaleId(), [{ kind: 'card', amount: 1000, token: 'tok_visa_8f2a1c', authorizationCode: 'A1' }]),
  );
  await t.session.signIn(by(signedIn));
  const { devices, printed } = recordingDevices();
  const reports = new ShiftReports({
    ledger: t.ledger,
    shifts: t.shifts,
    approvals: t.approvals,
    devices,
    header: { storeName: 'Test Store' },
    store: () => ({ timeZone: 'UTC' }),
    now: t.clock.now,
    log: () => {},
  });
  const close = (params: MethodParams<'shift.close'>) =>
    closeShift(
      {
        ...t,
        reports,
        expectedByTender: (shiftId) => t.ledger.projections.expectedByTender(shiftId),
        log: () => {},
      },
      params,
    );
  return { ...t, sales, reports, printed, close };
}

/** 100.00 + 5.00 + 2.00 + 1.00: 108.00 counted, 2.00 short of the 110.00 expected. */
const SHORT_COUNT = [
  { value: 5000, count: 2 },
  { value: 500, count: 1 },
  { value: 200, count: 1 },
  { value: 100, count: 1 },
];

describe('closing the shift on a blind count', () => {
  it('computes expected only from the journal, over/short per tender, journals it blind and prints the Z report', async () => {
    const t = await till();
    const shiftId = t.shifts.requireOpen().shiftId;
    const { report, receipt } = await t.close({
      cashCount: SHORT_COUNT,
      otherTenders: [{ kind: 'card', amount: 1100 }],
    });
    expect(receipt).toBe('sent-unconfirmed');
    const close = {
      expected: [
        { kind: 'cash', amount: 11_000 },
        { kind: 'card', amount: 1000 },
      ],
      counted: [
        { kind: 'cash', amount: 10_800 },
        { kind: 'card', amount: 1100 },
      ],
      overShort: [
        { kind: 'cash', amount: -200 },
        { kind: 'card', amount: 100 },
      ],
    };
    expect(journalEvents(t.ledger).at(-1)).toMatchObject({
      type: 'shift-close',
      schema: 3,
      payload: {
        shiftId,
        employeeId: 'emp-morgan',
        blind: true,
        cashCount: SHORT_COUNT,
        approvalId: null,
        ...close,
      },
    });
    expect(report).toMatchObject({
      report: { close },
      openedByName: 'Morgan Manager',
      closedByName: 'Morgan Manager',
    });
    expect(t.printed.at(-1)!.text).toContain('Z REPORT');
    expect(t.shifts.current()).toBeNull();
    expect(t.shiftPushes.at(-1)?.shift).toBeNull();
  });

  it('counts a tender left out as 0: a card total not entered is short by what the journal expects', async () => {
    const t = await till();
    const { report } = await t.close({ cashCount: SHORT_COUNT, otherTenders: [] });
    expect(report.report.close?.overShort).toEqual([
      { kind: 'cash', amount: -200 },
      { kind: 'card', amount: -1000 },
    ]);
  });

  it('asks the approval of someone with shiftClose, refuses a count it cannot total or a tender twice, writing nothing', async () => {
    const t = await till(STAFF.supervisor);
    const before = t.ledger.journal.count();
    await expect(t.close({ cashCount: SHORT_COUNT, otherTenders: [] })).rejects.toMatchObject({
      code: 'approval_required',
      approval: { request: { permission: 'shiftClose' } },
    });
    await expect(t.close({ cashCount: [{ value: 3, count: 1 }], otherTenders: [] })).rejects.toMatchObject({
      code: 'not_a_denomination',
      message: expect.stringMatching(/^The cash count: /),
    });
    await expect(
      t.close({
        cashCount: SHORT_COUNT,
        otherTenders: [
          { kind: 'card', amount: 1 },
          { kind: 'card', amount: 2 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'duplicate_tender' });
    expect(t.ledger.journal.count()).toBe(before);
    await t.close({ cashCount: SHORT_COUNT, otherTenders: [], approval: by(STAFF.manager) });
    const [approval, closed] = journalEvents(t.ledger).slice(-2);
    expect(approval).toMatchObject({ type: 'manager-approval', payload: { action: 'shift-close' } });
    expect(closed).toMatchObject({ type: 'shift-close', payload: { approvalId: approval!.eventId } });
  });

  it('closes once when two closes race through their approvals: one shift-close, one approval, one Z report', async () => {
    const t = await till(STAFF.supervisor);
    const results = await Promise.allSettled([
      t.close({ cashCount: SHORT_COUNT, otherTenders: [], approval: by(STAFF.manager) }),
      t.close({ cashCount: FLOAT_COUNT, otherTenders: [], approval: by(STAFF.manager) }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    // The second finds no shift open once its approver's PIN is checked: nothing of it is written.
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'no_open_shift' } });
    const events = journalEvents(t.ledger);
    expect(events.filter((e) => e.type === 'shift-close')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'manager-approval')).toHaveLength(1);
    expect(t.printed.filter((p) => p.text.includes('Z REPORT'))).toHaveLength(1);
  });

  it('takes no more sales once closed, and lets the next shift open', async () => {
    const t = await till();
    await t.close({ cashCount: SHORT_COUNT, otherTenders: [] });
    const before = t.ledger.journal.count();
    await expect(
      t.sales.complete(pen(t.nextSaleId(), [{ kind: 'cash', tendered: 1000 }])),
    ).rejects.toMatchObject({
      code: 'no_open_shift',
    });
    await expect(t.close({ cashCount: SHORT_COUNT, otherTenders: [] })).rejects.toMatchObject({
      code: 'no_open_shift',
    });
    expect(t.ledger.journal.count()).toBe(before);
    const next = await t.shifts.open({ floatCount: FLOAT_COUNT });
    expect(next.shift?.openingFloat).toBe(10_000);
  });
});
