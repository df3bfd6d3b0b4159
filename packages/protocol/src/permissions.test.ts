import { describe, expect, it } from 'vitest';
import { LEGACY_APPROVAL_PERMISSIONS } from './business-payloads.js';
import {
  AMOUNT_PERMISSIONS,
  DEFAULT_ROLES,
  describePermission,
  PERCENT_PERMISSIONS,
  PERMISSION_FLAGS,
  type PermissionRequest,
  PermissionRequest as PermissionRequestSchema,
  Permissions,
  permits,
  Role,
} from './permissions.js';

const { cashier, supervisor, manager } = DEFAULT_ROLES as Record<'cashier' | 'supervisor' | 'manager', Role>;

describe('permissions', () => {
  it('are the limits and flags the till checks, each none unless granted', () => {
    expect(Object.keys(Permissions.shape).sort()).toEqual(
      [...PERCENT_PERMISSIONS, ...AMOUNT_PERMISSIONS, ...PERMISSION_FLAGS].sort(),
    );
    expect(Permissions.parse({})).toEqual({
      discountPercent: 0,
      priceOverridePercent: 0,
      refundLimit: 0,
      paidOutLimit: 0,
      ...Object.fromEntries(PERMISSION_FLAGS.map((flag) => [flag, false])),
    });
    for (const bad of [
      { discountPercent: -1 },
      { priceOverridePercent: 100.5 },
      { refundLimit: 1.5 },
      { paidOutLimit: -5 },
      { noSale: 'yes' },
      { superpower: true },
    ]) {
      expect(Permissions.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('come in three default roles that validate, cashier to manager', () => {
    for (const role of Object.values(DEFAULT_ROLES)) expect(Role.parse(role)).toEqual(role);
    expect(Object.keys(DEFAULT_ROLES)).toEqual(['cashier', 'supervisor', 'manager']);
    expect(cashier.permissions).toEqual(Permissions.parse({}));
    // The supervisor's limits; which flags each role has, the table below says request by request.
    expect([supervisor.permissions.discountPercent, supervisor.permissions.priceOverridePercent]).toEqual([
      20, 10,
    ]);
    expect([supervisor.permissions.refundLimit, supervisor.permissions.paidOutLimit]).toEqual([
      10_000, 5_000,
    ]);
    expect(
      Object.values(manager.permissions).every((value) => value === true || (value as number) >= 100),
    ).toBe(true);
    expect(manager.permissions.refundLimit).toBe(Number.MAX_SAFE_INTEGER);
    expect(Object.isFrozen(DEFAULT_ROLES.manager!.permissions)).toBe(true);
  });

  const cases: [string, PermissionRequest, { cashier: boolean; supervisor: boolean; manager: boolean }][] = [
    ['a no-sale', { permission: 'noSale' }, { cashier: false, supervisor: true, manager: true }],
    ['a post-void', { permission: 'postVoid' }, { cashier: false, supervisor: false, manager: true }],
    [
      'a return with receipt',
      { permission: 'returnWithReceipt' },
      { cashier: false, supervisor: true, manager: true },
    ],
    [
      'a return without receipt',
      { permission: 'returnWithoutReceipt' },
      { cashier: false, supervisor: false, manager: true },
    ],
    [
      'a cross-store return',
      { permission: 'crossStoreReturn' },
      { cashier: false, supervisor: false, manager: true },
    ],
    ['a cash drop', { permission: 'cashMovement' }, { cashier: false, supervisor: true, manager: true }],
    ['opening a shift', { permission: 'shiftOpen' }, { cashier: false, supervisor: true, manager: true }],
    ['closing a shift', { permission: 'shiftClose' }, { cashier: false, supervisor: false, manager: true }],
    ['training mode', { permission: 'trainingMode' }, { cashier: false, supervisor: false, manager: true }],
    ['a device action', { permission: 'deviceActions' }, { cashier: false, supervisor: true, manager: true }],
    ['a sync action', { permission: 'syncActions' }, { cashier: false, supervisor: false, manager: true }],
    ['an unlock', { permission: 'unlockEmployees' }, { cashier: false, supervisor: true, manager: true }],
    [
      'no discount',
      { permission: 'discountPercent', percent: 0 },
      { cashier: true, supervisor: true, manager: true },
    ],
    [
      'a 20 % discount',
      { permission: 'discountPercent', percent: 20 },
      { cashier: false, supervisor: true, manager: true },
    ],
    [
      'a 20.5 % discount',
      { permission: 'discountPercent', percent: 20.5 },
      { cashier: false, supervisor: false, manager: true },
    ],
    [
      'a 100 % discount',
      { permission: 'discountPercent', percent: 100 },
      { cashier: false, supervisor: false, manager: true },
    ],
    [
      'a 10 % override',
      { permission: 'priceOverridePercent', percent: 10 },
      { cashier: false, supervisor: true, manager: true },
    ],
    [
      'an 11 % override',
      { permission: 'priceOverridePercent', percent: 11 },
      { cashier: false, supervisor: false, manager: true },
    ],
    [
      'a refund at the limit',
      { permission: 'refundLimit', amount: 10_000 },
      { cashier: false, supervisor: true, manager: true },
    ],
    [
      'a refund over the limit',
      { permission: 'refundLimit', amount: 10_001 },
      { cashier: false, supervisor: false, manager: true },
    ],
    [
      'a zero refund',
      { permission: 'refundLimit', amount: 0 },
      { cashier: true, supervisor: true, manager: true },
    ],
    [
      'a paid-out at the limit',
      { permission: 'paidOutLimit', amount: 5_000 },
      { cashier: false, supervisor: true, manager: true },
    ],
    [
      'a paid-out over the limit',
      { permission: 'paidOutLimit', amount: 5_001 },
      { cashier: false, supervisor: false, manager: true },
    ],
    [
      'the largest amount',
      { permission: 'refundLimit', amount: Number.MAX_SAFE_INTEGER },
      { cashier: false, supervisor: false, manager: true },
    ],
    // Requests that make no sense are never permitted, not even to a manager.
    [
      'a negative percent',
      { permission: 'discountPercent', percent: -1 },
      { cashier: false, supervisor: false, manager: false },
    ],
    [
      'a percent over 100',
      { permission: 'discountPercent', percent: 101 },
      { cashier: false, supervisor: false, manager: false },
    ],
    [
      'a percent that is not a number',
      { permission: 'discountPercent', percent: Number.NaN },
      { cashier: false, supervisor: false, manager: false },
    ],
    [
      'a fractional amount',
      { permission: 'refundLimit', amount: 0.5 },
      { cashier: false, supervisor: false, manager: false },
    ],
    [
      'a negative amount',
      { permission: 'paidOutLimit', amount: -1 },
      { cashier: false, supervisor: false, manager: false },
    ],
    [
      'an amount on a flag',
      { permission: 'noSale', amount: 1 } as unknown as PermissionRequest,
      { cashier: false, supervisor: false, manager: false },
    ],
    [
      'an unknown permission',
      { permission: 'everything' } as unknown as PermissionRequest,
      { cashier: false, supervisor: false, manager: false },
    ],
  ];

  it.each(cases)('%s: cashier, supervisor and manager as the defaults say', (_what, request, expected) => {
    expect({
      cashier: permits(cashier.permissions, request),
      supervisor: permits(supervisor.permissions, request),
      manager: permits(manager.permissions, request),
    }).toEqual(expected);
  });

  it('validate requests at the edge: a flag, a percent of 0–100, an amount in whole minor units', () => {
    expect(PermissionRequestSchema.parse({ permission: 'noSale' })).toEqual({ permission: 'noSale' });
    expect(PermissionRequestSchema.parse({ permission: 'discountPercent', percent: 12.5 }).permission).toBe(
      'discountPercent',
    );
    for (const bad of [
      { permission: 'noSale', amount: 1 },
      { permission: 'discountPercent' },
      { permission: 'discountPercent', percent: 101 },
      { permission: 'refundLimit', amount: 1.5 },
      { permission: 'refundLimit', percent: 5 },
      { permission: 'everything' },
    ]) {
      expect(PermissionRequestSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it.each([
    [{ permission: 'discountPercent', percent: 25 }, 'a 25 % discount'],
    [{ permission: 'priceOverridePercent', percent: 12.5 }, 'a price override of 12.5 %'],
    [{ permission: 'refundLimit', amount: 1250 }, 'a refund of 1250 (minor units)'],
    [{ permission: 'paidOutLimit', amount: 300 }, 'a paid-out of 300 (minor units)'],
    [{ permission: 'noSale' }, 'a no-sale'],
    [{ permission: 'postVoid' }, 'voiding a completed sale'],
    [{ permission: 'returnWithoutReceipt' }, 'a return without a receipt'],
    [{ permission: 'crossStoreReturn' }, "a return of another store's sale"],
    [{ permission: 'shiftClose' }, 'closing a shift'],
    [{ permission: 'unlockEmployees' }, 'unlocking an employee'],
  ] as [PermissionRequest, string][])('describes %j as "%s" for the approval prompt', (request, words) => {
    expect(describePermission(request)).toBe(words);
  });

  it('describes every flag in words of its own, and amounts in the currency it is given', () => {
    const words = PERMISSION_FLAGS.map((permission) => describePermission({ permission }));
    expect(new Set(words).size).toBe(PERMISSION_FLAGS.length);
    for (const text of words) expect(text).toMatch(/^[a-z]/);
    const euros = (minor: number) => `€${(minor / 100).toFixed(2)}`;
    expect(describePermission({ permission: 'refundLimit', amount: 1250 }, euros)).toBe('a refund of €12.50');
  });
});

describe('approvals written before permissions were data', () => {
  it('read as a permission the roles configuration knows', () => {
    const known = new Set<string>([...PERMISSION_FLAGS, ...PERCENT_PERMISSIONS, ...AMOUNT_PERMISSIONS]);
    for (const [action, permission] of Object.entries(LEGACY_APPROVAL_PERMISSIONS)) {
      expect(known.has(permission), `${action} → ${permission}`).toBe(true);
    }
  });
});
