import { z } from 'zod';
import { NonNegativeMinorUnits } from './primitives.js';
import { printableName } from './printable.js';

/**
 * Roles and permissions as data (issue #15): HQ configures, per org (or store), which roles exist and what each may
 * do without a second person's approval; the configuration (version 3) carries them to the tills. The till checks
 * permissions, never role names: `permits(role.permissions, request)`.
 */

/** A share of a price, 0 to 100 (fractions allowed: 12.5 %). */
const Percent = z.number().min(0).max(100);
/** A yes-or-no permission: not granted unless it says so. */
const Flag = z.boolean().default(false);

/** The yes-or-no permissions, each what it allows without approval. */
export const PERMISSION_FLAGS = [
  /** Open the drawer without a sale. */
  'noSale',
  /** Void a sale already completed. */
  'postVoid',
  'returnWithReceipt',
  'returnWithoutReceipt',
  /** Return a sale rung up at another store of the org. */
  'crossStoreReturn',
  /** Cash drops and paid-ins. */
  'cashMovement',
  'shiftOpen',
  'shiftClose',
  'trainingMode',
  /** Printer, drawer and scanner set-up and tests. */
  'deviceActions',
  /** Sync retry and a new epoch. */
  'syncActions',
  /** Unlock an employee locked out after wrong PINs. */
  'unlockEmployees',
] as const;
export type PermissionFlag = (typeof PERMISSION_FLAGS)[number];

export const PERCENT_PERMISSIONS = ['discountPercent', 'priceOverridePercent'] as const;
export type PercentPermission = (typeof PERCENT_PERMISSIONS)[number];

export const AMOUNT_PERMISSIONS = ['refundLimit', 'paidOutLimit'] as const;
export type AmountPermission = (typeof AMOUNT_PERMISSIONS)[number];

/** Every permission's name: what a manager approval says the request was above. */
export const PERMISSION_NAMES = [...PERMISSION_FLAGS, ...PERCENT_PERMISSIONS, ...AMOUNT_PERMISSIONS] as const;
export type PermissionName = (typeof PERMISSION_NAMES)[number];

/**
 * What a role may do without approval. A field left out is the least it can be (0, or false), so a document names
 * only what it grants; a new permission is a new configuration version.
 */
export const Permissions = z.strictObject({
  /** The largest line or basket discount, in percent. */
  discountPercent: Percent.default(0),
  /** The largest price override below the listed price, in percent. */
  priceOverridePercent: Percent.default(0),
  /** The largest refund, in minor units of the store's currency. */
  refundLimit: NonNegativeMinorUnits.default(0),
  /** The largest paid-out, in minor units of the store's currency. */
  paidOutLimit: NonNegativeMinorUnits.default(0),
  noSale: Flag,
  postVoid: Flag,
  returnWithReceipt: Flag,
  returnWithoutReceipt: Flag,
  crossStoreReturn: Flag,
  cashMovement: Flag,
  shiftOpen: Flag,
  shiftClose: Flag,
  trainingMode: Flag,
  deviceActions: Flag,
  syncActions: Flag,
  unlockEmployees: Flag,
});
export type Permissions = z.infer<typeof Permissions>;

/** A role's name as people see it: 1 to 40 printable characters. */
export const RoleName = printableName(40);

export const Role = z.strictObject({ name: RoleName, permissions: Permissions });
export type Role = z.infer<typeof Role>;

const NONE: Permissions = Permissions.parse({});
const everyFlag = (value: boolean) =>
  Object.fromEntries(PERMISSION_FLAGS.map((flag) => [flag, value])) as Record<PermissionFlag, boolean>;

/**
 * The roles an org has until HQ configures its own.
 * - `cashier`: rings up sales and takes payment; everything on the list, returns with a receipt included, needs a
 *   supervisor's or manager's approval (returns are where a till loses money, so a second person sees each).
 * - `supervisor`: the floor's everyday approvals, up to limits: discounts to 20 %, overrides to 10 %, refunds to
 *   100.00 and paid-outs to 50.00 (in a two-decimal currency), no-sales, returns with a receipt, drops and paid-ins,
 *   opening a shift, device set-up, unlocking colleagues. Not: voiding a completed sale, returns without a receipt
 *   or from another store, closing a shift, training mode, sync actions.
 * - `manager`: everything, without limit.
 */
export const DEFAULT_ROLES: Readonly<Record<string, Role>> = deepFreeze({
  cashier: { name: 'Cashier', permissions: { ...NONE } },
  supervisor: {
    name: 'Supervisor',
    permissions: {
      ...NONE,
      discountPercent: 20,
      priceOverridePercent: 10,
      refundLimit: 10_000,
      paidOutLimit: 5_000,
      noSale: true,
      returnWithReceipt: true,
      cashMovement: true,
      shiftOpen: true,
      deviceActions: true,
      unlockEmployees: true,
    },
  },
  manager: {
    name: 'Manager',
    permissions: {
      discountPercent: 100,
      priceOverridePercent: 100,
      refundLimit: Number.MAX_SAFE_INTEGER,
      paidOutLimit: Number.MAX_SAFE_INTEGER,
      ...everyFlag(true),
    },
  },
});

/** Something a till asks permission for: a flag, a percentage, or an amount in minor units. */
export const PermissionRequest = z.discriminatedUnion('permission', [
  z.strictObject({ permission: z.enum(PERMISSION_FLAGS) }),
  z.strictObject({ permission: z.enum(PERCENT_PERMISSIONS), percent: Percent }),
  z.strictObject({ permission: z.enum(AMOUNT_PERMISSIONS), amount: NonNegativeMinorUnits }),
]);
export type PermissionRequest = z.infer<typeof PermissionRequest>;

/**
 * True when the permissions allow the request without approval: a flag that is set, a percentage at or below the
 * limit, an amount at or below the limit. A request that makes no sense (a negative or fractional amount, a
 * percentage outside 0–100, an unknown permission) is never permitted.
 */
export function permits(permissions: Permissions, request: PermissionRequest): boolean {
  const asked = PermissionRequest.safeParse(request);
  if (!asked.success) return false;
  const { data } = asked;
  if ('percent' in data) return data.percent <= permissions[data.permission];
  if ('amount' in data) return data.amount <= permissions[data.permission];
  return permissions[data.permission] === true;
}

const FLAG_WORDS: Record<PermissionFlag, string> = {
  noSale: 'a no-sale',
  postVoid: 'voiding a completed sale',
  returnWithReceipt: 'a return with a receipt',
  returnWithoutReceipt: 'a return without a receipt',
  crossStoreReturn: "a return of another store's sale",
  cashMovement: 'a cash drop or paid-in',
  shiftOpen: 'opening a shift',
  shiftClose: 'closing a shift',
  trainingMode: 'training mode',
  deviceActions: 'a device action',
  syncActions: 'a sync action',
  unlockEmployees: 'unlocking an employee',
};

/**
 * What is asked, in words for the approval prompt: "a 25 % discount", "a no-sale", "a refund of 12.50". Amounts are
 * in minor units; pass the store currency's formatter (the default names the minor units).
 */
export function describePermission(
  request: PermissionRequest,
  formatAmount: (minorUnits: number) => string = (amount) => `${amount} (minor units)`,
): string {
  switch (request.permission) {
    case 'discountPercent':
      return `a ${request.percent} % discount`;
    case 'priceOverridePercent':
      return `a price override of ${request.percent} %`;
    case 'refundLimit':
      return `a refund of ${formatAmount(request.amount)}`;
    case 'paidOutLimit':
      return `a paid-out of ${formatAmount(request.amount)}`;
    default:
      return FLAG_WORDS[request.permission] ?? `"${String(request.permission)}"`;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
