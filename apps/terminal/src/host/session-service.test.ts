import { DEFAULT_ROLES, DEFAULT_TERMINAL_CONFIG } from '@tillwright/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUpTills, employeeItem, journalEvents, STAFF, staffedTill } from './test-support.js';

afterEach(cleanUpTills);

const till = () => staffedTill();
type Till = Awaited<ReturnType<typeof till>>;

const signInAs = (t: Till, member: (typeof STAFF)[keyof typeof STAFF], method?: 'number' | 'list') =>
  t.session.signIn({ number: member.number, pin: member.pin, ...(method ? { method } : {}) });

/** Applies a configuration document from HQ after the staff's feed items. */
function configure(t: Till, fields: Record<string, unknown>) {
  const version = t.ledger.feed.cursor() + 1;
  t.ledger.feed.apply(
    [{ kind: 'config', version, storeId: null, config: { ...DEFAULT_TERMINAL_CONFIG, ...fields } }],
    version,
  );
}

const types = (t: Till) => journalEvents(t.ledger).map((event) => event.type);

describe('signing in at the till', () => {
  it('starts signed out, with nobody to act for', async () => {
    const t = await till();
    expect(t.session.status()).toEqual({
      state: 'signed-out',
      employee: null,
      permissions: null,
      autoLockSeconds: 300,
    });
    expect(() => t.session.requireSignedIn()).toThrow(expect.objectContaining({ code: 'not_signed_in' }));
  });

  it("signs in by number and PIN, journals employee-signed-in, and shows the employee with their role's permissions", async () => {
    const t = await till();
    const view = await signInAs(t, STAFF.cashier);
    expect(view).toEqual({
      state: 'signed-in',
      employee: {
        employeeId: 'emp-alex',
        number: '1001',
        displayName: 'Alex Cashier',
        roleId: 'cashier',
        roleName: 'Cashier',
      },
      permissions: DEFAULT_ROLES.cashier!.permissions,
      autoLockSeconds: 300,
    });
    expect(t.pushed.at(-1)).toEqual(view);
    expect(journalEvents(t.ledger)).toMatchObject([
      { type: 'employee-signed-in', schema: 1, payload: { employeeId: 'emp-alex', method: 'number' } },
    ]);
    expect(t.session.requireSignedIn().employee.displayName).toBe('Alex Cashier');
  });

  it('lists the active employees by name to pick from, and signs in from the list', async () => {
    const t = await till();
    t.ledger.feed.apply(
      [employeeItem(4, { employeeId: 'emp-gone', number: '4001', active: false, pin: null })],
      4,
    );
    expect(t.session.employees().employees).toEqual([
      { employeeId: 'emp-alex', number: '1001', displayName: 'Alex Cashier' },
      { employeeId: 'emp-morgan', number: '3001', displayName: 'Morgan Manager' },
      { employeeId: 'emp-sam', number: '2001', displayName: 'Sam Supervisor' },
    ]);
    await signInAs(t, STAFF.manager, 'list');
    expect(journalEvents(t.ledger)).toMatchObject([
      { payload: { employeeId: 'emp-morgan', method: 'list' } },
    ]);
  });

  it('refuses a wrong PIN, saying how many tries are left, and journals nothing', async () => {
    const t = await till();
    await expect(t.session.signIn({ number: '1001', pin: '9753' })).rejects.toMatchObject({
      code: 'sign_in_failed',
      message: 'Employee number or PIN is wrong (4 tries left)',
    });
    expect(t.session.status().state).toBe('signed-out');
    expect(t.ledger.journal.count()).toBe(0);
  });

  it('signs in without journaling anything for a server that has not announced the employee events', async () => {
    const t = await till();
    t.ledger.serverContact.recordVersions(null);
    expect((await signInAs(t, STAFF.cashier)).state).toBe('signed-in');
    t.session.signOut();
    expect(t.ledger.journal.count()).toBe(0);
  });
});

describe('switching employees and signing out', () => {
  it('takes a different employee signing in as a switch: signed-out {switch}, then signed-in, and the session is theirs', async () => {
    const t = await till();
    await signInAs(t, STAFF.cashier);
    const view = await signInAs(t, STAFF.supervisor);
    expect(view).toMatchObject({
      state: 'signed-in',
      employee: { employeeId: 'emp-sam', roleName: 'Supervisor' },
      permissions: { noSale: true, syncActions: false },
    });
    expect(journalEvents(t.ledger).map(({ type, payload }) => [type, payload])).toEqual([
      ['employee-signed-in', { employeeId: 'emp-alex', method: 'number' }],
      ['employee-signed-out', { employeeId: 'emp-alex', reason: 'switch' }],
      ['employee-signed-in', { employeeId: 'emp-sam', method: 'number' }],
    ]);
    expect(t.session.requireSignedIn().employee.employeeId).toBe('emp-sam');
  });

  it('switches from a locked screen too, and the same employee again only unlocks it, journaling nothing', async () => {
    const t = await till();
    await signInAs(t, STAFF.cashier);
    expect(t.session.lock()).toMatchObject({ state: 'locked', employee: { employeeId: 'emp-alex' } });
    expect(await signInAs(t, STAFF.cashier)).toMatchObject({ state: 'signed-in' });
    expect(types(t)).toEqual(['employee-signed-in']);
    t.session.lock();
    expect(await signInAs(t, STAFF.manager)).toMatchObject({
      state: 'signed-in',
      employee: { number: '3001' },
    });
    expect(types(t)).toEqual(['employee-signed-in', 'employee-signed-out', 'employee-signed-in']);
  });

  it('signs out: journals employee-signed-out {sign-out}, and nobody is left to act for', async () => {
    const t = await till();
    await signInAs(t, STAFF.cashier);
    expect(t.session.signOut()).toMatchObject({ state: 'signed-out', employee: null, permissions: null });
    expect(journalEvents(t.ledger).at(-1)).toMatchObject({
      type: 'employee-signed-out',
      payload: { employeeId: 'emp-alex', reason: 'sign-out' },
    });
    expect(() => t.session.requireSignedIn()).toThrow(expect.objectContaining({ code: 'not_signed_in' }));
  });

  it('signs out an employee HQ deactivated once the feed says so, at the next look', async () => {
    const t = await till();
    await signInAs(t, STAFF.cashier);
    t.ledger.feed.apply([employeeItem(4, { ...STAFF.cashier, pin: null, active: false })], 4);
    t.session.refresh();
    expect(t.pushed.at(-1)).toMatchObject({ state: 'signed-out' });
    expect(journalEvents(t.ledger).at(-1)).toMatchObject({ type: 'employee-signed-out' });
    await expect(signInAs(t, STAFF.cashier)).rejects.toMatchObject({ code: 'sign_in_failed' });
  });
});

describe('the auto-lock', () => {
  it('locks after autoLockSeconds without activity, pushing session.status and journaling nothing', async () => {
    const t = await till();
    await signInAs(t, STAFF.cashier);
    t.clock.advance(299_000);
    expect(t.pushed.at(-1)).toMatchObject({ state: 'signed-in' });
    t.clock.advance(1_000);
    expect(t.pushed.at(-1)).toMatchObject({ state: 'locked', employee: { employeeId: 'emp-alex' } });
    expect(t.session.status().state).toBe('locked');
    expect(() => t.session.requireSignedIn()).toThrow(expect.objectContaining({ code: 'session_locked' }));
    expect(types(t)).toEqual(['employee-signed-in']);
    expect(await signInAs(t, STAFF.cashier)).toMatchObject({ state: 'signed-in' });
  });

  it('waits its full time again after session.activity, or after a call that acts', async () => {
    const t = await till();
    await signInAs(t, STAFF.cashier);
    t.clock.advance(200_000);
    expect(t.session.activity()).toEqual({ lockInSeconds: 300 });
    t.clock.advance(299_000);
    t.session.requireSignedIn();
    t.clock.advance(299_000);
    expect(t.session.status().state).toBe('signed-in');
    t.clock.advance(1_000);
    expect(t.session.status().state).toBe('locked');
    expect(t.session.activity()).toEqual({ lockInSeconds: null });
    expect(t.session.status().state).toBe('locked');
  });

  it('follows the auto-lock time HQ sends from the next check on; 0 never locks', async () => {
    const t = await till();
    await signInAs(t, STAFF.cashier);
    configure(t, { autoLockSeconds: 60 });
    t.session.refresh();
    expect(t.pushed.at(-1)).toMatchObject({ state: 'signed-in', autoLockSeconds: 60 });
    t.clock.advance(60_000);
    expect(t.pushed.at(-1)).toMatchObject({ state: 'locked' });
    await signInAs(t, STAFF.cashier);
    configure(t, { autoLockSeconds: 0 });
    t.session.refresh();
    expect(t.session.activity()).toEqual({ lockInSeconds: null });
    t.clock.advance(24 * 3600_000);
    expect(t.session.status().state).toBe('signed-in');
    expect(t.clock.pending()).toBe(0);
  });

  it('locks by hand at once, and stops the timer when nobody is signed in', async () => {
    const t = await till();
    await signInAs(t, STAFF.cashier);
    expect(t.session.lock().state).toBe('locked');
    expect(t.clock.pending()).toBe(0);
    await signInAs(t, STAFF.cashier);
    t.session.signOut();
    expect(t.clock.pending()).toBe(0);
    expect(t.session.lock().state).toBe('signed-out');
  });
});
