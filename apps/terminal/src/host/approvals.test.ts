import { afterEach, describe, expect, it } from 'vitest';
import type { SaleDevices } from './devices.js';
import { openDrawerWithoutSale } from './no-sale.js';
import {
  cleanUpTills,
  journalEvents,
  openShiftIn,
  STAFF,
  type StaffMember,
  staffedTill,
} from './test-support.js';

afterEach(cleanUpTills);

/** A staffed till with a drawer that records its kicks (each answered as sent, unconfirmed by a sensor). */
async function till(signedIn: StaffMember = STAFF.cashier) {
  const t = await staffedTill(signedIn);
  const shiftId = openShiftIn(t.ledger);
  const kicks: string[] = [];
  const devices: SaleDevices = {
    columns: 42,
    printReceipt: async () => ({ outcome: 'not-sent' }),
    openDrawer: async (kickId) => {
      kicks.push(kickId);
      return { outcome: 'sent-unconfirmed', error: 'the drawer has no sensor' };
    },
  };
  const noSale = (params: Parameters<typeof openDrawerWithoutSale>[1]) =>
    openDrawerWithoutSale({ ...t, devices, log: () => {} }, params);
  return { ...t, shiftId, kicks, noSale };
}

const by = (member: StaffMember, pin: string = member.pin) => ({ number: member.number, pin });
const REASON = 'change for the float';

describe('manager approval, in place', () => {
  it('asks for approval when the signed-in employee may not do it: what, the words for it and who asked; nothing is written or opened', async () => {
    const t = await till();
    const before = t.ledger.journal.count();
    await expect(t.noSale({ reason: REASON })).rejects.toMatchObject({
      code: 'approval_required',
      message: 'A no-sale needs the approval of someone allowed to give it: their number and PIN',
      approval: { request: { permission: 'noSale' }, what: 'a no-sale', requestedBy: 'Alex Cashier' },
    });
    expect(t.ledger.journal.count()).toBe(before);
    expect(t.kicks).toEqual([]);
  });

  it('refuses an approval by the one asking, by an approver without the permission, and by a wrong PIN, writing nothing', async () => {
    const t = await till(STAFF.supervisor);
    const before = t.ledger.journal.count();
    const syncRetry = {
      request: { permission: 'syncActions' },
      action: 'sync-retry',
      subject: 'S1-T01',
      reason: null,
    } as const;
    await expect(t.approvals.authorise(syncRetry, by(STAFF.supervisor))).rejects.toMatchObject({
      code: 'approval_refused',
      message: 'You cannot approve your own request: ask someone else who may',
    });
    await expect(t.approvals.authorise(syncRetry, by(STAFF.cashier))).rejects.toMatchObject({
      code: 'approval_refused',
      message: 'Alex Cashier may not approve a sync action',
    });
    await expect(t.approvals.authorise(syncRetry, by(STAFF.manager, '9753'))).rejects.toMatchObject({
      code: 'approval_refused',
      message: "Approver's number or PIN is wrong",
    });
    await expect(t.approvals.authorise(syncRetry, { number: '9999', pin: '9753' })).rejects.toMatchObject({
      code: 'approval_refused',
      message: "Approver's number or PIN is wrong",
    });
    expect(t.ledger.journal.count()).toBe(before);
  });

  it("counts an approver's wrong PINs toward their lockout, and a locked-out approver cannot approve", async () => {
    const t = await till();
    for (let i = 0; i < 5; i++)
      await t.noSale({ reason: REASON, approval: by(STAFF.manager, '9753') }).catch(() => {});
    expect(journalEvents(t.ledger).at(-1)).toMatchObject({
      type: 'employee-locked-out',
      payload: { employeeId: 'emp-morgan', failedAttempts: 5 },
    });
    await expect(t.noSale({ reason: REASON, approval: by(STAFF.manager) })).rejects.toMatchObject({
      code: 'approval_refused',
      message: 'That approver is locked after 5 wrong PINs until 12:15 — a manager can unlock',
    });
    expect(t.kicks).toEqual([]);
  });

  it('accepts a manager: journals manager-approval, then the no-sale linking it, and kicks the drawer once', async () => {
    const t = await till();
    const answer = await t.noSale({ reason: REASON, approval: by(STAFF.manager) });
    expect(answer).toEqual({ drawer: 'sent-unconfirmed', approvalId: expect.any(String) });
    const [approval, noSale] = journalEvents(t.ledger).slice(-2);
    expect(approval).toMatchObject({
      eventId: answer.approvalId,
      type: 'manager-approval',
      schema: 3,
      payload: {
        approvalId: answer.approvalId,
        employeeId: 'emp-alex',
        approverId: 'emp-morgan',
        permission: 'noSale',
        action: 'no-sale',
        reason: REASON,
      },
    });
    expect(noSale).toMatchObject({
      type: 'no-sale',
      schema: 3,
      payload: { reason: REASON, employeeId: 'emp-alex', approvalId: answer.approvalId, shiftId: t.shiftId },
    });
    expect(t.kicks).toEqual([`drawer-${noSale!.eventId}`]);
  });

  it('needs no approval for what the signed-in employee may do: the no-sale links none', async () => {
    const t = await till(STAFF.supervisor);
    const answer = await t.noSale({ reason: REASON, approval: by(STAFF.manager) });
    expect(answer).toEqual({ drawer: 'sent-unconfirmed', approvalId: null });
    expect(journalEvents(t.ledger).map((event) => event.type)).toEqual([
      'employee-signed-in',
      'shift-open',
      'no-sale',
    ]);
    expect(t.kicks).toHaveLength(1);
  });

  it('records how far a percentage or amount asked went beyond the limit, in the store currency', async () => {
    const t = await till(STAFF.supervisor);
    const refund = {
      request: { permission: 'refundLimit', amount: 12_550 },
      action: 'return',
      subject: 'sale',
      reason: 'broken',
    } as const;
    await expect(t.approvals.authorise(refund)).rejects.toMatchObject({
      approval: { what: 'a refund of 125.50', requestedBy: 'Sam Supervisor' },
    });
    const approvalId = await t.approvals.authorise(refund, by(STAFF.manager));
    expect(journalEvents(t.ledger).at(-1)).toMatchObject({
      payload: { approvalId, permission: 'refundLimit', requested: { amount: 12_550 } },
    });
  });

  it('refuses with nobody signed in or the till locked, before asking anyone for a PIN', async () => {
    const t = await till();
    t.session.lock();
    await expect(t.noSale({ reason: REASON, approval: by(STAFF.manager) })).rejects.toMatchObject({
      code: 'session_locked',
    });
    t.session.signOut();
    await expect(t.noSale({ reason: REASON, approval: by(STAFF.manager) })).rejects.toMatchObject({
      code: 'not_signed_in',
    });
    expect(journalEvents(t.ledger).map((event) => event.type)).toEqual([
      'employee-signed-in',
      'shift-open',
      'employee-signed-out',
    ]);
    expect(t.kicks).toEqual([]);
  });
});
