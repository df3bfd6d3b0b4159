import { afterEach, describe, expect, it } from 'vitest';
import type { MethodParams } from '../contract/methods.js';
import { recordCashMovement } from './cash-movements.js';
import {
  cleanUpTills,
  journalEvents,
  openShiftIn,
  recordingDevices,
  STAFF,
  type StaffMember,
  staffedTill,
} from './test-support.js';

afterEach(cleanUpTills);

const by = (member: StaffMember) => ({ number: member.number, pin: member.pin });

/** A staffed till with a shift open (float 100.00), whose drawer notes what the journal held at each kick. */
async function till(signedIn: StaffMember) {
  const t = await staffedTill(signedIn);
  const shiftId = openShiftIn(t.ledger);
  const atKick: string[] = [];
  const { devices, kicks, printed } = recordingDevices(() =>
    atKick.push(journalEvents(t.ledger).at(-1)!.type),
  );
  const move = (params: MethodParams<'cash.movement'>) =>
    recordCashMovement(
      { ...t, devices, header: { storeName: 'Test Store' }, timeZone: () => 'Europe/Berlin', log: () => {} },
      params,
    );
  return { ...t, shiftId, kicks, printed, atKick, move };
}

describe('cash movements', () => {
  it('journals a cash drop in the open shift before the drawer is kicked once, then prints a slip to sign', async () => {
    const t = await till(STAFF.supervisor);
    const answer = await t.move({ type: 'cash-drop', amount: 5000, reason: 'to the safe' });
    const drop = journalEvents(t.ledger).at(-1)!;
    expect(drop).toMatchObject({
      eventId: answer.eventId,
      type: 'cash-drop',
      schema: 2,
      payload: {
        shiftId: t.shiftId,
        currency: 'EUR',
        amount: 5000,
        reason: 'to the safe',
        employeeId: 'emp-sam',
        approvalId: null,
      },
    });
    expect(answer).toEqual({
      eventId: drop.eventId,
      approvalId: null,
      drawer: 'sent-unconfirmed',
      slip: 'sent-unconfirmed',
    });
    expect(t.atKick).toEqual(['cash-drop']);
    expect(t.kicks).toEqual([`drawer-${drop.eventId}`]);
    expect(t.printed).toHaveLength(1);
    expect(t.printed[0]!.text).toMatch(
      /CASH DROP[\s\S]*EUR 50\.00[\s\S]*Reason: to the safe[\s\S]*By: Sam Supervisor/,
    );
    expect(t.printed[0]!.text).toContain('2026-11-25 13:00'); // 12:00Z on Berlin's clock
  });

  it('lets a paid out through up to the paidOutLimit, and asks approval for more with the amount in the request', async () => {
    const t = await till(STAFF.supervisor); // paidOutLimit 50.00
    await t.move({ type: 'paid-out', amount: 5000, reason: 'window cleaner' });
    const before = t.ledger.journal.count();
    await expect(t.move({ type: 'paid-out', amount: 1000, reason: 'window cleaner' })).resolves.toMatchObject(
      {
        approvalId: null,
      },
    );
    await expect(t.move({ type: 'paid-out', amount: 2000, reason: 'flowers' })).resolves.toBeDefined();
    // 100.00 float − 80.00 paid out: 20.00 left. 20.01 is too much, even for a manager.
    await expect(
      t.move({ type: 'paid-out', amount: 2001, reason: 'flowers', approval: by(STAFF.manager) }),
    ).rejects.toMatchObject({ code: 'not_enough_cash' });
    expect(t.ledger.journal.count()).toBe(before + 2);
  });

  it('asks approval above the limit (paidOutLimit with the amount), and links the approval when given', async () => {
    const t = await till(STAFF.cashier);
    const before = t.ledger.journal.count();
    await expect(t.move({ type: 'paid-out', amount: 600, reason: 'stamps' })).rejects.toMatchObject({
      code: 'approval_required',
      approval: {
        request: { permission: 'paidOutLimit', amount: 600 },
        what: expect.stringContaining('6.00'),
      },
    });
    await expect(t.move({ type: 'paid-in', amount: 600, reason: 'change' })).rejects.toMatchObject({
      code: 'approval_required',
      approval: { request: { permission: 'cashMovement' } },
    });
    expect(t.ledger.journal.count()).toBe(before);
    expect(t.kicks).toEqual([]);
    const answer = await t.move({
      type: 'paid-out',
      amount: 600,
      reason: 'stamps',
      approval: by(STAFF.supervisor),
    });
    const [approval, paidOut] = journalEvents(t.ledger).slice(-2);
    expect(approval).toMatchObject({
      type: 'manager-approval',
      payload: { action: 'cash-movement', permission: 'paidOutLimit', requested: { amount: 600 } },
    });
    expect(paidOut).toMatchObject({
      type: 'paid-out',
      payload: { approvalId: approval!.eventId, employeeId: 'emp-alex' },
    });
    expect(answer.approvalId).toBe(approval!.eventId);
    expect(t.printed[0]!.text).toContain('Approved by: Sam Supervisor');
  });

  it('refuses a paid out of more cash than the drawer holds by the journal (not_enough_cash), in words, writing nothing', async () => {
    const t = await till(STAFF.manager);
    const before = t.ledger.journal.count();
    await expect(t.move({ type: 'paid-out', amount: 10_001, reason: 'too much' })).rejects.toMatchObject({
      code: 'not_enough_cash',
      retryable: false,
      message: expect.stringMatching(/of EUR 100\.01 is more cash than the drawer holds/),
    });
    expect(t.ledger.journal.count()).toBe(before);
    expect(t.kicks).toEqual([]);
    // A paid in brings cash: no such limit.
    await expect(
      t.move({ type: 'paid-in', amount: 10_001, reason: 'change from the bank' }),
    ).resolves.toBeDefined();
  });

  it('lets a drawer that is genuinely over drop its cash: the over shows at the close, not as a refusal', async () => {
    const t = await till(STAFF.supervisor);
    await expect(t.move({ type: 'cash-drop', amount: 10_001, reason: 'to the safe' })).resolves.toMatchObject(
      {
        drawer: 'sent-unconfirmed',
      },
    );
    expect(journalEvents(t.ledger).at(-1)).toMatchObject({ type: 'cash-drop', payload: { amount: 10_001 } });
  });

  it('asks a cashier for approval before anything about the cash in the drawer: no refusal tells them what it holds', async () => {
    const t = await till(STAFF.cashier);
    const before = t.ledger.journal.count();
    // 100.01 is one cent more than the float: a not_enough_cash here would give away the expected cash.
    await expect(t.move({ type: 'cash-drop', amount: 10_001, reason: 'to the safe' })).rejects.toMatchObject({
      code: 'approval_required',
      approval: { request: { permission: 'cashMovement' } },
    });
    await expect(t.move({ type: 'paid-out', amount: 10_001, reason: 'flowers' })).rejects.toMatchObject({
      code: 'approval_required',
      approval: { request: { permission: 'paidOutLimit', amount: 10_001 } },
    });
    expect(t.ledger.journal.count()).toBe(before);
    expect(t.kicks).toEqual([]);
  });

  it('pays out once when two paid outs race through their approvals for more than the drawer holds together', async () => {
    const t = await till(STAFF.cashier);
    // 60.00 each from a float of 100.00: either alone fits, both do not.
    const results = await Promise.allSettled([
      t.move({ type: 'paid-out', amount: 6000, reason: 'flowers', approval: by(STAFF.manager) }),
      t.move({ type: 'paid-out', amount: 6000, reason: 'window cleaner', approval: by(STAFF.manager) }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { code: 'not_enough_cash' },
    });
    const events = journalEvents(t.ledger);
    expect(events.filter((e) => e.type === 'paid-out')).toHaveLength(1);
    // The refused one's approval was checked but never journaled: nothing was done under it.
    expect(events.filter((e) => e.type === 'manager-approval')).toHaveLength(1);
    expect(t.kicks).toHaveLength(1);
    expect(t.atKick).toEqual(['paid-out']);
  });

  it('needs an open shift (no_open_shift), writing nothing', async () => {
    const t = await staffedTill(STAFF.manager);
    const { devices, kicks } = recordingDevices();
    const before = t.ledger.journal.count();
    await expect(
      recordCashMovement(
        { ...t, devices, header: { storeName: 'Test Store' }, timeZone: () => 'UTC', log: () => {} },
        { type: 'paid-in', amount: 100, reason: 'change' },
      ),
    ).rejects.toMatchObject({ code: 'no_open_shift' });
    expect(t.ledger.journal.count()).toBe(before);
    expect(kicks).toEqual([]);
  });
});
