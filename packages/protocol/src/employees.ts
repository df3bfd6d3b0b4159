import { z } from 'zod';
import { Identifier, IsoTimestamp } from './primitives.js';
import { printableName } from './printable.js';

/**
 * Employees: the people at the till (issue #15), kept apart from HQ staff (the server's `staff` and
 * `/v1/hq/sessions`). HQ manages them at `/v1/hq/employees`; each reaches the tills of the stores they work in
 * through the feed, with their PIN as a slow-KDF hash (`PinHash`, made and checked by `@tillwright/protocol/pin`), so
 * a till signs them in offline: employee number plus PIN, one hash checked per attempt.
 */

export const EmployeeId = Identifier;
export type EmployeeId = z.infer<typeof EmployeeId>;

/** What an employee types to sign in, with their PIN: 1 to 10 digits, unique within the org. */
export const EmployeeNumber = z.string().regex(/^[0-9]{1,10}$/, 'an employee number of 1 to 10 digits');
export type EmployeeNumber = z.infer<typeof EmployeeNumber>;

/** A role's key in the configuration's `roles`: lower-case letters, digits and dashes, starting with a letter. */
export const RoleId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'a role id of lower-case letters, digits and dashes, up to 40');
export type RoleId = z.infer<typeof RoleId>;

/** A PIN: 4 to 8 digits. Setting one also refuses the obvious ones (`weakPinReason`). */
export const Pin = z.string().regex(/^[0-9]{4,8}$/, 'a PIN of 4 to 8 digits');
export type Pin = z.infer<typeof Pin>;

/**
 * Why a PIN is too easy to guess, in words the person choosing it can act on, or null when it is not: one digit
 * repeated (0000) and a straight run up or down (1234, 98765) are the first PINs anyone tries.
 */
export function weakPinReason(pin: string): string | null {
  if (!/^[0-9]{4,8}$/.test(pin)) return 'a PIN is 4 to 8 digits';
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((digit, i) => digit - digits[i]!));
  if (steps.size === 1 && steps.has(0)) {
    return 'a PIN of one digit repeated is among the first anyone tries; choose digits that differ';
  }
  if (steps.size === 1 && (steps.has(1) || steps.has(-1))) {
    return 'a PIN of digits in a row, counting up or down, is among the first anyone tries; choose digits in no order';
  }
  return null;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Bytes a standard, padded base64 text decodes to. */
export const base64Bytes = (text: string) =>
  (text.length / 4) * 3 - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);
const Base64 = z.string().max(200).regex(BASE64, 'base64 (standard alphabet, padded)');

/**
 * The most work one check may take, N · r · p: 8 times the default's (N 2^14, r 8, p 1), so about a third of a
 * second at most on a till instead of 40 ms. A feed item, like anything from outside, may carry any parameters; a
 * hash above this is refused as invalid, so a hostile item cannot make a sign-in take minutes.
 */
export const PIN_HASH_MAX_COST = 8 * 2 ** 14 * 8 * 1;
/** The most memory one check may take (scrypt's 128 · N · r bytes): 8 times the default's 16 MiB. */
export const PIN_HASH_MAX_MEMORY = 8 * 128 * 2 ** 14 * 8;

/**
 * A PIN as the server stores and the feed carries it: scrypt with its parameters, so a till checks it offline with
 * exactly those, and a later change of parameters needs no change of format (up to 8 times the default's cost and
 * memory, `PIN_HASH_MAX_COST`). Never the PIN itself.
 */
export const PinHash = z
  .strictObject({
    algorithm: z.literal('scrypt'),
    /** CPU and memory cost: a power of two, 2^10 to 2^20. */
    N: z
      .number()
      .int()
      .min(2 ** 10)
      .max(2 ** 20)
      .refine((n) => (n & (n - 1)) === 0, 'a power of two'),
    /** Block size, 1 to 32. */
    r: z.number().int().min(1).max(32),
    /** Parallelism, 1 to 16. */
    p: z.number().int().min(1).max(16),
    /** Bytes of the derived key, 16 to 64. */
    keyLength: z.number().int().min(16).max(64),
    /** The employee's own random salt, at least 16 bytes. */
    salt: Base64.refine((salt) => base64Bytes(salt) >= 16, 'a salt of at least 16 bytes'),
    hash: Base64,
  })
  .refine((hash) => base64Bytes(hash.hash) === hash.keyLength, {
    message: 'the hash must be keyLength bytes',
    path: ['hash'],
  })
  .refine((hash) => hash.N * hash.r * hash.p <= PIN_HASH_MAX_COST, {
    message: 'N · r · p above 2^20, 8 times the default: too slow to check at a till',
    path: ['N'],
  })
  .refine((hash) => 128 * hash.N * hash.r <= PIN_HASH_MAX_MEMORY, {
    message: 'N and r ask for more than 128 MiB (128 · N · r bytes), 8 times the default',
    path: ['N'],
  });
export type PinHash = z.infer<typeof PinHash>;

/** A name as the till shows it: 1 to 60 printable characters. */
export const EmployeeDisplayName = printableName(60);
export type EmployeeDisplayName = z.infer<typeof EmployeeDisplayName>;

/** The stores an employee works in: 1 to 200, each once. */
export const EmployeeStoreIds = z
  .array(Identifier)
  .min(1)
  .max(200)
  .refine((ids) => new Set(ids).size === ids.length, 'each store at most once');

/** `POST /v1/hq/employees`: idempotent by `employeeId` (the server mints a UUIDv7 when it is left out). */
export const CreateEmployeeRequest = z.strictObject({
  employeeId: EmployeeId.optional(),
  number: EmployeeNumber,
  displayName: EmployeeDisplayName,
  roleId: RoleId,
  storeIds: EmployeeStoreIds,
  pin: Pin,
});
export type CreateEmployeeRequest = z.infer<typeof CreateEmployeeRequest>;

/** `PATCH /v1/hq/employees/:employeeId`: what changes, at least one field. The number and PIN are not here. */
export const UpdateEmployeeRequest = z
  .strictObject({
    displayName: EmployeeDisplayName.optional(),
    roleId: RoleId.optional(),
    storeIds: EmployeeStoreIds.optional(),
    active: z.boolean().optional(),
  })
  .refine(
    (update) => Object.values(update).some((value) => value !== undefined),
    'change at least one field',
  );
export type UpdateEmployeeRequest = z.infer<typeof UpdateEmployeeRequest>;

/** `PUT /v1/hq/employees/:employeeId/pin`: a new PIN (an HQ reset). */
export const ResetPinRequest = z.strictObject({ pin: Pin });
export type ResetPinRequest = z.infer<typeof ResetPinRequest>;

/** An employee as HQ reads them: never the PIN or its hash. */
export const EmployeeView = z.strictObject({
  employeeId: EmployeeId,
  number: EmployeeNumber,
  displayName: EmployeeDisplayName,
  roleId: RoleId,
  storeIds: EmployeeStoreIds,
  active: z.boolean(),
  pinChangedAt: IsoTimestamp,
  createdAt: IsoTimestamp,
  updatedAt: IsoTimestamp,
  /** 1 when created, one more with every change. */
  version: z.number().int().positive(),
});
export type EmployeeView = z.infer<typeof EmployeeView>;

/** `GET /v1/hq/employees`: every employee of the org, active or not, by number. */
export const EmployeeList = z.strictObject({ employees: z.array(EmployeeView) });
export type EmployeeList = z.infer<typeof EmployeeList>;

/** One entry of HQ's audit log: who did what to what, when (never a secret: no PIN, hash, password or code). */
export const AuditEntry = z.strictObject({
  id: z.number().int().positive(),
  at: IsoTimestamp,
  actor: z.strictObject({ staffId: z.string(), username: z.string() }),
  /** What was done: `employee.create`, `config.put`, `terminal.revoke`, … */
  action: z.string(),
  /** What it was done to: an employee, store, terminal, authorisation or HQ user id, or `org`. */
  target: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** `GET /v1/hq/audit?after=&limit=`: the org's audit log in id order; pass `nextAfter` as `after` for more. */
export const AuditPage = z.strictObject({
  entries: z.array(AuditEntry),
  nextAfter: z.number().int().nonnegative(),
});
export type AuditPage = z.infer<typeof AuditPage>;
