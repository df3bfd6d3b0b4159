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
 * The 20 most used four-digit PINs, most used first (DataGenetics, "PIN number analysis", 3.4 million PINs): those
 * no rule of `weakPinReason` catches (1004) are refused by this list.
 */
export const MOST_USED_PINS: readonly string[] = Object.freeze([
  '1234',
  '1111',
  '0000',
  '1212',
  '7777',
  '1004',
  '2000',
  '4444',
  '2222',
  '6969',
  '9999',
  '3333',
  '5555',
  '6666',
  '1122',
  '1313',
  '8888',
  '4321',
  '2001',
  '1010',
]);

/**
 * Lines of keys on a PIN pad (1 2 3 / 4 5 6 / 7 8 9 / 0 under 8): columns, with 0 under the middle one and at the end
 * of the side ones as people key them, rows and diagonals. Each part of three keys or more, either way, is a stroke.
 */
const KEYPAD_LINES = ['1470', '2580', '3690', '123', '456', '789', '159', '357'];
const KEYPAD_STROKES = new Set(
  KEYPAD_LINES.flatMap((line) => [line, [...line].reverse().join('')]).flatMap((line) =>
    [...line].flatMap((_, start) =>
      [...line].slice(start + 3 - 1).map((__, extra) => line.slice(start, start + 3 + extra)),
    ),
  ),
);

/** True when the PIN is nothing but strokes along keypad lines, one after another (2580, 147369). */
function keypadStrokes(pin: string): boolean {
  const reachable = [true, ...[...pin].map(() => false)];
  for (let end = 3; end <= pin.length; end += 1) {
    for (let start = 0; start + 3 <= end && !reachable[end]; start += 1) {
      reachable[end] = reachable[start]! && KEYPAD_STROKES.has(pin.slice(start, end));
    }
  }
  return reachable[pin.length]!;
}

/**
 * Why a PIN is too easy to guess, in words the person choosing it can act on (never the PIN itself, which may not be
 * shown or logged), or null when it is not. These are the PINs anyone tries first: one digit repeated (0000), digits
 * in a row up or down, also past 9 to 0 (1234, 7890), a shorter group repeated (1212, 19871987), pairs of one digit
 * (1122), a line of keys on the keypad (2580, 147369), a year 1940–2029, one of the 20 most used PINs
 * (`MOST_USED_PINS`), and the employee's own number (`employeeNumber`, where it is known).
 */
export function weakPinReason(pin: string, context: { employeeNumber?: string } = {}): string | null {
  if (!/^[0-9]{4,8}$/.test(pin)) return 'a PIN is 4 to 8 digits';
  if (pin === context.employeeNumber) {
    return 'a PIN equal to the employee number is known to anyone who sees the number; choose another';
  }
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((digit, i) => (digit - digits[i]! + 10) % 10));
  if (steps.size === 1 && steps.has(0)) {
    return 'a PIN of one digit repeated is among the first anyone tries; choose digits that differ';
  }
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) {
    return 'a PIN of digits in a row, counting up or down (also past 9 to 0), is among the first anyone tries; choose digits in no order';
  }
  const repeatsGroup = [...pin]
    .map((_, i) => i + 1)
    .some(
      (size) =>
        size < pin.length && pin.length % size === 0 && pin.slice(0, size).repeat(pin.length / size) === pin,
    );
  if (repeatsGroup) {
    return 'a PIN that repeats a shorter group of digits is among the first anyone tries; choose digits that do not repeat';
  }
  if (pin.length % 2 === 0 && /^(?:(\d)\1)+$/.test(pin)) {
    return 'a PIN made of pairs of one digit is among the first anyone tries; choose digits that do not come in pairs';
  }
  if (keypadStrokes(pin)) {
    return 'a PIN that follows a line of keys on the keypad (down a column, along a row, corner to corner) is among the first anyone tries; choose keys that are not in a line';
  }
  if (pin.length === 4 && Number(pin) >= 1940 && Number(pin) <= 2029) {
    return 'a PIN that reads as a year, such as a year of birth, is among the first anyone tries; choose digits that are not a year';
  }
  if (MOST_USED_PINS.includes(pin)) {
    return 'this PIN is one of the most used, which anyone tries first; choose another';
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
