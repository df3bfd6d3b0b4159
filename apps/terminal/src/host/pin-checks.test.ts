import { Ledger } from '@tillwright/ledger';
import { DEFAULT_TERMINAL_CONFIG, PinHash } from '@tillwright/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  cleanUpTills,
  employeeItem,
  employeeServices,
  journalEvents,
  STAFF,
  staffedTill,
} from './test-support.js';

/** Every PIN check the till makes, with the hash it was checked against: still the real scrypt. */
const checked = vi.hoisted(() => [] as { hash: unknown }[]);
vi.mock('@tillwright/protocol/pin', async (importOriginal) => {
  const real = await importOriginal<typeof import('@tillwright/protocol/pin')>();
  return {
    ...real,
    verifyPin: (pin: string, hash: Parameters<typeof real.verifyPin>[1]) => {
      checked.push({ hash });
      return real.verifyPin(pin, hash);
    },
  };
});

afterEach(() => {
  cleanUpTills();
  checked.length = 0;
});

const till = () => staffedTill();
type Till = Awaited<ReturnType<typeof till>>;

const attempt = (t: Till, number: string, pin: string) =>
  t.session.signIn({ number, pin }).then(
    () => ({ code: 'signed_in', message: '' }),
    (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
  );

function configure(t: Till, fields: Record<string, unknown>) {
  const version = t.ledger.feed.cursor() + 1;
  t.ledger.feed.apply(
    [{ kind: 'config', version, storeId: null, config: { ...DEFAULT_TERMINAL_CONFIG, ...fields } }],
    version,
  );
}

describe('wrong PINs and the lockout', () => {
  it('locks the employee out at the 5th wrong PIN in a row (journaled), refusing even the right PIN until 15 minutes pass', async () => {
    const t = await till();
    for (const left of [4, 3, 2, 1]) {
      expect(await attempt(t, '1001', '9753')).toEqual({
        code: 'sign_in_failed',
        message: `Employee number or PIN is wrong (${left} ${left === 1 ? 'try' : 'tries'} left)`,
      });
    }
    // FIXED_NOW is 12:00 UTC, the store's zone until HQ sets one.
    const locked = {
      code: 'employee_locked',
      message: 'Locked after 5 wrong PINs until 12:15 — a manager can unlock',
    };
    expect(await attempt(t, '1001', '9753')).toEqual(locked);
    expect(journalEvents(t.ledger)).toMatchObject([
      {
        type: 'employee-locked-out',
        payload: { employeeId: 'emp-alex', failedAttempts: 5, lockedUntil: '2026-11-25T12:15:00.000Z' },
      },
    ]);
    checked.length = 0;
    t.clock.advance(14 * 60_000);
    expect(await attempt(t, '1001', STAFF.cashier.pin)).toEqual(locked);
    expect(checked).toHaveLength(0);
    t.clock.advance(60_000);
    expect(await attempt(t, '1001', STAFF.cashier.pin)).toEqual({ code: 'signed_in', message: '' });
    // The count started again after the lockout.
    expect(t.ledger.pinAttempts.of('1001')).toBeNull();
  });

  it('says the lockout in the store clock, and without an end when HQ set lockMinutes 0', async () => {
    const t = await till();
    configure(t, { timeZone: 'Europe/Berlin', pinLockout: { attempts: 2, lockMinutes: 0 } });
    expect(await attempt(t, '2001', '1111')).toMatchObject({ message: /\(1 try left\)/ });
    expect(await attempt(t, '2001', '1111')).toEqual({
      code: 'employee_locked',
      message: 'Locked after 2 wrong PINs until a manager unlocks',
    });
    t.clock.advance(7 * 24 * 3600_000);
    expect(await attempt(t, '2001', STAFF.supervisor.pin)).toMatchObject({ code: 'employee_locked' });
    expect(t.pins.locked()).toMatchObject([{ employeeId: 'emp-sam', lockedUntil: null }]);
  });

  it('starts the count again after a right PIN', async () => {
    const t = await till();
    await attempt(t, '1001', '9753');
    await attempt(t, '1001', '9753');
    await attempt(t, '1001', STAFF.cashier.pin);
    for (let i = 0; i < 3; i++) await attempt(t, '1001', '9753');
    expect(await attempt(t, '1001', '9753')).toMatchObject({ message: /\(1 try left\)/ });
  });

  it('keeps the count of wrong PINs across a restart of the host', async () => {
    const t = await till();
    await attempt(t, '1001', '9753');
    await attempt(t, '1001', '9753');
    t.ledger.close();
    const reopened = Ledger.open(`${t.dir}/ledger.sqlite`);
    try {
      const restarted = employeeServices(reopened, t.clock);
      await expect(restarted.session.signIn({ number: '1001', pin: '9753' })).rejects.toMatchObject({
        message: /\(2 tries left\)/,
      });
    } finally {
      reopened.close();
    }
  });

  it('checks the attempts one at a time, so a burst cannot get past the lockout', async () => {
    const t = await till();
    const burst = await Promise.all(Array.from({ length: 8 }, () => attempt(t, '1001', '9753')));
    expect(burst.map((answer) => answer.code)).toEqual([
      ...Array(4).fill('sign_in_failed'),
      ...Array(4).fill('employee_locked'),
    ]);
    expect(checked).toHaveLength(5);
  });
});

describe('what a guesser learns of employee numbers', () => {
  it('answers an unknown number and an inactive employee exactly as a wrong PIN, after the same one hash', async () => {
    const t = await till();
    t.ledger.feed.apply(
      [employeeItem(4, { employeeId: 'emp-gone', number: '4001', active: false, pin: null })],
      4,
    );
    const answers = [];
    for (const number of ['1001', '9999', '4001']) {
      answers.push(await attempt(t, number, '9753'));
    }
    expect(answers).toEqual(
      Array(3).fill({ code: 'sign_in_failed', message: 'Employee number or PIN is wrong (4 tries left)' }),
    );
    // One scrypt check each, with the parameters of an employee's hash: the same work, so the same time.
    expect(checked).toHaveLength(3);
    const cost = ({ hash }: { hash: unknown }) => {
      const { N, r, p, keyLength } = PinHash.parse(hash);
      return { N, r, p, keyLength };
    };
    expect(checked.map(cost)).toEqual(Array(3).fill(cost(checked[0]!)));
  });

  it('locks an unknown number like an employee, with the same words, and journals nothing for it', async () => {
    const t = await till();
    const unknown = [];
    const known = [];
    for (let i = 0; i < 6; i++) {
      unknown.push(await attempt(t, '9999', '9753'));
      known.push(await attempt(t, '1001', '9753'));
    }
    expect(unknown).toEqual(known);
    expect(journalEvents(t.ledger).map((event) => event.type)).toEqual(['employee-locked-out']);
    t.clock.advance(15 * 60_000);
    expect(await attempt(t, '9999', '9753')).toMatchObject({ message: /\(4 tries left\)/ });
  });

  it('keeps a lockout in the ledger alone where the server would not take it in the journal', async () => {
    const t = await till();
    t.ledger.serverContact.recordVersions(null);
    for (let i = 0; i < 5; i++) await attempt(t, '1001', '9753');
    expect(await attempt(t, '1001', STAFF.cashier.pin)).toMatchObject({ code: 'employee_locked' });
    expect(t.ledger.journal.count()).toBe(0);
    expect(t.pins.locked()).toMatchObject([{ employeeId: 'emp-alex', failedAttempts: 5 }]);
    t.clock.advance(15 * 60_000);
    expect(await attempt(t, '1001', STAFF.cashier.pin)).toEqual({ code: 'signed_in', message: '' });
  });
});
