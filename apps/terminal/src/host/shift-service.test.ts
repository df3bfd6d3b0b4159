import { join } from 'node:path';
import { Ledger } from '@tillwright/ledger';
import { afterEach, describe, expect, it } from 'vitest';
import { ShiftStatusView } from '../contract/methods.js';
import {
  cleanUpTills,
  employeeServices,
  FLOAT_COUNT,
  journalEvents,
  STAFF,
  type StaffMember,
  staffedTill,
} from './test-support.js';

afterEach(cleanUpTills);

const by = (member: StaffMember) => ({ number: member.number, pin: member.pin });
/** 20.00 × 3, 10.00 × 2, 0.50 × 4: 82.00. */
const COUNT = [
  { value: 1000, count: 2 },
  { value: 2000, count: 3 },
  { value: 50, count: 4 },
];

describe('the shift status', () => {
  it('says no shift is open, not training, with the EUR notes and coins to count and the card total to ask', async () => {
    const t = await staffedTill();
    const status = t.shifts.status();
    expect(ShiftStatusView.parse(status)).toEqual(status);
    expect(status).toMatchObject({ shift: null, training: false, otherTenders: ['card'] });
    expect(status.denominations[0]).toEqual({ value: 50_000, kind: 'note', label: '500.00' });
    expect(status.denominations.at(-1)).toEqual({ value: 1, kind: 'coin', label: '0.01' });
    expect(status.denominations.map((d) => d.value)).toEqual(
      [...status.denominations.map((d) => d.value)].sort((a, b) => b - a),
    );
  });
});

describe('opening the shift', () => {
  it('journals shift-open v3 with the float counted by denomination, names the opener, and pushes shift.status', async () => {
    const t = await staffedTill(STAFF.manager);
    const status = await t.shifts.open({ floatCount: COUNT });
    const opened = journalEvents(t.ledger).at(-1)!;
    expect(opened).toMatchObject({
      type: 'shift-open',
      schema: 3,
      payload: {
        employeeId: 'emp-morgan',
        currency: 'EUR',
        openingFloat: 8200,
        floatCount: [
          { value: 2000, count: 3 },
          { value: 1000, count: 2 },
          { value: 50, count: 4 },
        ],
        approvalId: null,
      },
    });
    expect(status.shift).toEqual({
      shiftId: opened.eventId,
      openedAt: '2026-11-25T12:00:00.000Z',
      openedBy: { employeeId: 'emp-morgan', displayName: 'Morgan Manager' },
      currency: 'EUR',
      openingFloat: 8200,
      fromEarlierDay: false,
    });
    expect(t.shiftPushes.at(-1)).toEqual(status);
    expect(t.shifts.requireOpen().shiftId).toBe(opened.eventId);
  });

  it('asks a cashier for the approval of someone with shiftOpen, and links it once given', async () => {
    const t = await staffedTill(STAFF.cashier);
    const before = t.ledger.journal.count();
    await expect(t.shifts.open({ floatCount: FLOAT_COUNT })).rejects.toMatchObject({
      code: 'approval_required',
      approval: { request: { permission: 'shiftOpen' }, requestedBy: 'Alex Cashier' },
    });
    expect(t.ledger.journal.count()).toBe(before);
    await t.shifts.open({ floatCount: FLOAT_COUNT, approval: by(STAFF.supervisor) });
    const [approval, opened] = journalEvents(t.ledger).slice(-2);
    expect(approval).toMatchObject({
      type: 'manager-approval',
      payload: {
        action: 'shift-open',
        permission: 'shiftOpen',
        employeeId: 'emp-alex',
        approverId: 'emp-sam',
      },
    });
    expect(opened).toMatchObject({
      type: 'shift-open',
      payload: { employeeId: 'emp-alex', openingFloat: 10_000, approvalId: approval!.eventId },
    });
  });

  it('refuses a float count it cannot total (not a note or coin of EUR, a value twice) before asking anyone, writing nothing', async () => {
    const t = await staffedTill(STAFF.cashier);
    const before = t.ledger.journal.count();
    await expect(t.shifts.open({ floatCount: [{ value: 2500, count: 1 }] })).rejects.toMatchObject({
      code: 'not_a_denomination',
      message: expect.stringMatching(/^The float count: 2500 .* is not a note or coin of EUR/),
    });
    await expect(
      t.shifts.open({
        floatCount: [
          { value: 500, count: 1 },
          { value: 500, count: 2 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'duplicate_denomination' });
    expect(t.ledger.journal.count()).toBe(before);
  });

  it('refuses a second shift while one is open (shift_already_open), naming who opened it and when, writing nothing', async () => {
    const t = await staffedTill(STAFF.manager);
    await t.shifts.open({ floatCount: FLOAT_COUNT });
    const open = t.shifts.requireOpen();
    const before = t.ledger.journal.count();
    await expect(t.shifts.open({ floatCount: FLOAT_COUNT })).rejects.toMatchObject({
      code: 'shift_already_open',
      retryable: false,
      message:
        'A shift is already open on this till: opened by Morgan Manager on 2026-11-25 12:00 ' +
        `(shift ${open.shiftId}). Close that shift with its cash count first, then open the new one.`,
    });
    expect(t.ledger.journal.count()).toBe(before);
  });

  it('refuses the second of two opens racing through their approvals: one shift, one approval written', async () => {
    const t = await staffedTill(STAFF.cashier);
    const results = await Promise.allSettled([
      t.shifts.open({ floatCount: FLOAT_COUNT, approval: by(STAFF.manager) }),
      t.shifts.open({ floatCount: FLOAT_COUNT, approval: by(STAFF.supervisor) }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { code: 'shift_already_open' },
    });
    const types = journalEvents(t.ledger).map((e) => e.type);
    expect(types.filter((type) => type === 'shift-open')).toHaveLength(1);
    expect(types.filter((type) => type === 'manager-approval')).toHaveLength(1);
  });

  it('marks a shift opened on an earlier business day (left open overnight)', async () => {
    const t = await staffedTill(STAFF.manager);
    await t.shifts.open({ floatCount: FLOAT_COUNT });
    t.clock.advance(11 * 3_600_000); // 23:00 UTC, the same day
    expect(t.shifts.status().shift?.fromEarlierDay).toBe(false);
    t.clock.advance(2 * 3_600_000); // 01:00 the next day
    expect(t.shifts.status().shift?.fromEarlierDay).toBe(true);
  });
});

describe('after a power loss', () => {
  it('resumes the open shift from the journal when the till starts again', async () => {
    const t = await staffedTill(STAFF.manager);
    await t.shifts.open({ floatCount: FLOAT_COUNT });
    const before = t.shifts.status().shift;
    // The process dies: the ledger file is all that is left; a new process opens it.
    t.ledger.close();
    const ledger = Ledger.open(join(t.dir, 'ledger.sqlite'));
    try {
      const restarted = employeeServices(ledger, t.clock);
      expect(restarted.shifts.status().shift).toEqual(before);
      expect(restarted.shifts.requireOpen().shiftId).toBe(before!.shiftId);
    } finally {
      ledger.close();
    }
  });
});
