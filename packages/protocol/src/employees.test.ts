import { describe, expect, it } from 'vitest';
import {
  AuditPage,
  base64Bytes,
  CreateEmployeeRequest,
  EmployeeDisplayName,
  EmployeeNumber,
  EmployeeView,
  MOST_USED_PINS,
  PIN_HASH_MAX_COST,
  PIN_HASH_MAX_MEMORY,
  Pin,
  PinHash,
  ResetPinRequest,
  RoleId,
  UpdateEmployeeRequest,
  weakPinReason,
} from './employees.js';

const b64 = (bytes: number, fill = 7) => Buffer.alloc(bytes, fill).toString('base64');
const pinHash = {
  algorithm: 'scrypt',
  N: 16384,
  r: 8,
  p: 1,
  keyLength: 32,
  salt: b64(16),
  hash: b64(32),
} as const;
const create = {
  number: '1042',
  displayName: 'Ada Lovelace',
  roleId: 'cashier',
  storeIds: ['store-001'],
  pin: '2580',
};

describe('employee fields', () => {
  it.each([
    ['EmployeeNumber', EmployeeNumber, ['1', '0042', '1234567890'], ['', '12345678901', '12a', ' 12', '-1']],
    [
      'RoleId',
      RoleId,
      ['cashier', 'shift-lead', 'a', `a${'b'.repeat(39)}`],
      ['', 'Cashier', '1st', '-x', `a${'b'.repeat(40)}`, 'a_b'],
    ],
    ['Pin', Pin, ['0000', '12345678', '2580'], ['123', '123456789', '12a4', '١٢٣٤', ' 1234']],
    [
      'EmployeeDisplayName',
      EmployeeDisplayName,
      ['Ada', 'Zoë Ångström', 'x'.repeat(60), '李小龙'],
      ['', 'x'.repeat(61), 'Tab\there', 'Bell\u0007', 'new\nline'],
    ],
  ] as const)('%s takes what it should and nothing else', (_name, schema, good, bad) => {
    for (const value of good) expect(schema.safeParse(value).success, value).toBe(true);
    for (const value of bad) expect(schema.safeParse(value).success, value).toBe(false);
  });

  it.each([
    ['0000', /one digit repeated/],
    ['77777777', /one digit repeated/],
    ['1234', /digits in a row/],
    ['4321', /digits in a row/],
    ['0123456', /digits in a row/],
    ['98765', /digits in a row/],
    // Runs that wrap past 9 to 0, either way.
    ['7890', /digits in a row/],
    ['8901', /digits in a row/],
    ['0987', /digits in a row/],
    // A shorter group repeated, or pairs of one digit.
    ['1212', /repeats a shorter group/],
    ['1313', /repeats a shorter group/],
    ['1010', /repeats a shorter group/],
    ['6969', /repeats a shorter group/],
    ['12341234', /repeats a shorter group/],
    ['19871987', /repeats a shorter group/],
    ['123123', /repeats a shorter group/],
    ['1122', /pairs of one digit/],
    ['3344', /pairs of one digit/],
    ['112233', /pairs of one digit/],
    // Lines of the keypad: columns down or up (0 under the middle column, or at the end of a side one), diagonals.
    ['2580', /line of keys/],
    ['0852', /line of keys/],
    ['1470', /line of keys/],
    ['3690', /line of keys/],
    ['147369', /line of keys/],
    ['741963', /line of keys/],
    ['159753', /line of keys/],
    ['456123', /line of keys/],
    // The most used four-digit PINs that no rule above already catches, and years.
    ['1004', /most used/],
    ['2000', /year/],
    ['2001', /year/],
    ['1940', /year/],
    ['1987', /year/],
    ['2029', /year/],
    ['12a4', /4 to 8 digits/],
  ])('refuses the PIN %s, saying what to do', (pin, reason) => {
    const said = weakPinReason(pin);
    expect(said).toMatch(reason);
    expect(said).toMatch(/choose|4 to 8/);
    // The reason never repeats the PIN (it may be shown or logged where the PIN must not be).
    expect(said).not.toContain(pin);
  });

  it('refuses each of the 20 most used four-digit PINs (DataGenetics), and a PIN equal to the employee number', () => {
    expect(MOST_USED_PINS).toHaveLength(20);
    expect(new Set(MOST_USED_PINS).size).toBe(20);
    expect(MOST_USED_PINS.slice(0, 6)).toEqual(['1234', '1111', '0000', '1212', '7777', '1004']);
    expect(MOST_USED_PINS.at(-1)).toBe('1010');
    for (const pin of MOST_USED_PINS) expect(weakPinReason(pin), pin).not.toBeNull();
    const same = weakPinReason('4817', { employeeNumber: '4817' });
    expect(same).toMatch(/employee number.*choose/);
    expect(same).not.toContain('4817');
    expect(weakPinReason('4817', { employeeNumber: '4818' })).toBeNull();
  });

  it.each(['1357', '1235', '13579', '00000001', '4817', '1939', '2030', '2468', '1478', '25801', '8520'])(
    'takes the PIN %s',
    (pin) => {
      expect(weakPinReason(pin)).toBeNull();
    },
  );

  it('describes a PIN hash with its parameters, and refuses one it could not or should not check', () => {
    expect(PinHash.parse(pinHash)).toEqual(pinHash);
    expect(base64Bytes(b64(17))).toBe(17);
    for (const bad of [
      { ...pinHash, algorithm: 'argon2id' },
      { ...pinHash, N: 16383 },
      { ...pinHash, N: 2 ** 9 },
      { ...pinHash, N: 2 ** 21 },
      { ...pinHash, r: 0 },
      { ...pinHash, r: 33 },
      { ...pinHash, p: 17 },
      { ...pinHash, keyLength: 15, hash: b64(15) },
      { ...pinHash, keyLength: 65, hash: b64(65) },
      { ...pinHash, salt: b64(15) },
      { ...pinHash, salt: 'not base64!' },
      { ...pinHash, hash: b64(31) },
      { ...pinHash, hash: `${b64(32)}=` },
      { ...pinHash, N: 2 ** 20, r: 16 },
      { ...pinHash, pin: '2580' },
    ]) {
      expect(PinHash.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('caps the cost of one check at 8 times the default (N · r · p ≤ 2^20, 128 MiB): a hostile item is refused', () => {
    expect(PIN_HASH_MAX_COST).toBe(8 * 2 ** 14 * 8 * 1);
    expect(PIN_HASH_MAX_MEMORY).toBe(128 * 1024 * 1024);
    // The largest allowed, however it is spread over N, r and p.
    for (const largest of [
      { N: 2 ** 14, r: 8, p: 8 },
      { N: 2 ** 17, r: 8, p: 1 },
      { N: 2 ** 20, r: 1, p: 1 },
      { N: 2 ** 16, r: 1, p: 16 },
    ]) {
      expect(PinHash.safeParse({ ...pinHash, ...largest }).success, JSON.stringify(largest)).toBe(true);
    }
    // The first refused: one step more of any of them. And the one that cost about 2 minutes and 1 GiB per check.
    for (const refused of [
      { N: 2 ** 14, r: 8, p: 9 },
      { N: 2 ** 14, r: 9, p: 8 },
      { N: 2 ** 18, r: 8, p: 1 },
      { N: 2 ** 17, r: 9, p: 1 },
      { N: 2 ** 20, r: 8, p: 16 },
    ]) {
      const parsed = PinHash.safeParse({ ...pinHash, ...refused });
      expect(parsed.success, JSON.stringify(refused)).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/8 times the default/);
    }
  });
});

describe('HQ employee requests', () => {
  it('create with an optional id, one store at least, each store once', () => {
    expect(CreateEmployeeRequest.parse(create)).toEqual(create);
    expect(CreateEmployeeRequest.parse({ ...create, employeeId: 'emp-7' }).employeeId).toBe('emp-7');
    for (const bad of [
      { ...create, storeIds: [] },
      { ...create, storeIds: ['store-001', 'store-001'] },
      { ...create, storeIds: Array.from({ length: 201 }, (_, i) => `s${i}`) },
      { ...create, storeIds: ['no spaces'] },
      { ...create, employeeId: '' },
      { ...create, pin: '12' },
      { ...create, active: true },
      { ...create, pinHash },
    ]) {
      expect(CreateEmployeeRequest.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('update at least one field, never the number or PIN; reset a PIN with a PIN', () => {
    expect(UpdateEmployeeRequest.parse({ active: false })).toEqual({ active: false });
    expect(UpdateEmployeeRequest.parse({ displayName: 'Ada', storeIds: ['s2'] })).toEqual({
      displayName: 'Ada',
      storeIds: ['s2'],
    });
    for (const bad of [{}, { number: '1' }, { pin: '2580' }, { active: 'no' }, { roleId: 'Boss' }]) {
      expect(UpdateEmployeeRequest.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(ResetPinRequest.safeParse({ pin: '2580' }).success).toBe(true);
    expect(ResetPinRequest.safeParse({ pin: 2580 }).success).toBe(false);
  });

  it('read an employee without a PIN or hash, and the audit log in pages', () => {
    const view = {
      employeeId: 'emp-1',
      number: '1042',
      displayName: 'Ada',
      roleId: 'cashier',
      storeIds: ['store-001'],
      active: true,
      pinChangedAt: '2026-11-25T10:00:00.000Z',
      createdAt: '2026-11-25T10:00:00.000Z',
      updatedAt: '2026-11-25T10:00:00.000Z',
      version: 1,
    };
    expect(EmployeeView.parse(view)).toEqual(view);
    expect(EmployeeView.safeParse({ ...view, pin: pinHash }).success).toBe(false);
    expect(
      AuditPage.parse({
        entries: [
          {
            id: 1,
            at: '2026-11-25T10:00:00.000Z',
            actor: { staffId: 'demo-admin', username: 'admin' },
            action: 'employee.create',
            target: 'emp-1',
            detail: { number: '1042' },
          },
        ],
        nextAfter: 1,
      }).entries,
    ).toHaveLength(1);
  });
});
