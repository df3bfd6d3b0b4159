import { afterEach, describe, expect, it } from 'vitest';
import { lockedEmployees, unlockEmployee } from './employee-unlock.js';
import { cleanUpTills, journalEvents, STAFF, type StaffMember, staffedTill } from './test-support.js';

afterEach(cleanUpTills);

async function till() {
  const t = await staffedTill();
  return { ...t, unlock: (params: Parameters<typeof unlockEmployee>[1]) => unlockEmployee(t, params) };
}

type Till = Awaited<ReturnType<typeof till>>;

const signIn = (t: Till, member: StaffMember, pin: string = member.pin) =>
  t.session.signIn({ number: member.number, pin });

/** Five wrong PINs for the member's number: the default lockout, 15 minutes. */
async function lockOut(t: Till, member: StaffMember) {
  for (let i = 0; i < 5; i++) await signIn(t, member, '9753').catch(() => {});
}

describe('unlocking an employee locked out of this till', () => {
  it("lists who is locked out, until when, for a manager's screen", async () => {
    const t = await till();
    await lockOut(t, STAFF.cashier);
    expect(lockedEmployees(t.pins)).toEqual({
      employees: [
        {
          employeeId: 'emp-alex',
          number: '1001',
          displayName: 'Alex Cashier',
          lockedUntil: '2026-11-25T12:15:00.000Z',
        },
      ],
    });
  });

  it('lets an employee holding the permission unlock: manager-approval and employee-unlocked journaled, and the PIN works again', async () => {
    const t = await till();
    await lockOut(t, STAFF.cashier);
    await signIn(t, STAFF.supervisor);
    expect(await t.unlock({ employeeId: 'emp-alex' })).toEqual({ unlocked: true });
    const [approval, unlocked] = journalEvents(t.ledger).slice(-2);
    expect(approval).toMatchObject({
      type: 'manager-approval',
      payload: {
        employeeId: 'emp-alex',
        approverId: 'emp-sam',
        permission: 'unlockEmployees',
        action: 'unlock-employee',
        subject: 'emp-alex',
        reason: null,
      },
    });
    expect(unlocked).toMatchObject({
      type: 'employee-unlocked',
      payload: { employeeId: 'emp-alex', unlockedBy: 'emp-sam', approvalId: approval!.eventId },
    });
    expect(lockedEmployees(t.pins).employees).toEqual([]);
    expect(await signIn(t, STAFF.cashier)).toMatchObject({ state: 'signed-in' });
  });

  it("asks a cashier for approval to unlock, and takes a supervisor's PIN for it", async () => {
    const t = await till();
    await lockOut(t, STAFF.manager);
    await signIn(t, STAFF.cashier);
    await expect(t.unlock({ employeeId: 'emp-morgan' })).rejects.toMatchObject({
      code: 'approval_required',
      approval: { request: { permission: 'unlockEmployees' }, what: 'unlocking an employee' },
    });
    await t.unlock({ employeeId: 'emp-morgan', approval: { number: '2001', pin: STAFF.supervisor.pin } });
    expect(
      journalEvents(t.ledger)
        .slice(-2)
        .map(({ type, payload }) => [type, payload]),
    ).toEqual([
      [
        'manager-approval',
        expect.objectContaining({ employeeId: 'emp-alex', approverId: 'emp-sam', action: 'unlock-employee' }),
      ],
      ['employee-unlocked', expect.objectContaining({ employeeId: 'emp-morgan', unlockedBy: 'emp-sam' })],
    ]);
  });

  it('lets nobody unlock themselves, and refuses to unlock someone not locked out, writing nothing', async () => {
    const t = await till();
    await signIn(t, STAFF.supervisor);
    await expect(t.unlock({ employeeId: 'emp-alex' })).rejects.toMatchObject({ code: 'not_locked' });
    // Wrong PINs typed for the supervisor while they are signed in lock them out; they stay signed in.
    await lockOut(t, STAFF.supervisor);
    const before = t.ledger.journal.count();
    await expect(t.unlock({ employeeId: 'emp-sam' })).rejects.toMatchObject({
      code: 'approval_refused',
      message: 'Nobody can unlock themselves: ask a manager',
    });
    expect(t.ledger.journal.count()).toBe(before);
  });

  it('ends a lockout without an end only by an unlock', async () => {
    const t = await till();
    const version = t.ledger.feed.cursor() + 1;
    t.ledger.feed.apply(
      [{ kind: 'config', version, storeId: null, config: { pinLockout: { attempts: 5, lockMinutes: 0 } } }],
      version,
    );
    await lockOut(t, STAFF.cashier);
    t.clock.advance(30 * 24 * 3600_000);
    await expect(signIn(t, STAFF.cashier)).rejects.toMatchObject({ code: 'employee_locked' });
    await signIn(t, STAFF.manager);
    await t.unlock({ employeeId: 'emp-alex' });
    expect(await signIn(t, STAFF.cashier)).toMatchObject({ employee: { employeeId: 'emp-alex' } });
  });
});
