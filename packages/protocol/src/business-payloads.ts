import { z } from 'zod';
import { PERMISSION_NAMES, type PermissionName } from './permissions.js';
import {
  CurrencyCode,
  Identifier,
  IsoTimestamp,
  MinorUnits,
  NonNegativeMinorUnits,
  UuidV7,
} from './primitives.js';

/**
 * Payloads of every journal event but the sale, version 1. Each business fact is its own event; a correction is a
 * new event that refers to the one it corrects, never an edit.
 */
const Reason = z.string().min(1).max(200);
const StaffId = z.string().min(1).max(64);
/**
 * An employee of the org, as the till's sign-in knows them. Local to this file on purpose: employees.ts exports the
 * org's `EmployeeId`, the same primitive.
 */
const EmployeeId = Identifier;
/**
 * Who did it, on every event from the employee versions on: the employee signed in on the till. Null only on an event
 * upcast from a version before employees (nobody was recorded then); writers always set it, and the ledger refuses a
 * new event without it (`employee_missing`).
 */
const DoneBy = EmployeeId.nullable();
/** The manager-approval event that allowed the action; null when none was needed (or before approvals were linked). */
const ApprovalLink = UuidV7.nullable();
/** How a sale is paid and a return refunded. */
export const TenderKind = z.enum(['cash', 'card', 'gift-card', 'store-credit']);
export type TenderKind = z.infer<typeof TenderKind>;
const TaxAmounts = z.array(z.strictObject({ code: Identifier, amount: MinorUnits })).max(10);

const LocalJournalAuthorization = z.strictObject({ kind: z.literal('local-journal') });
const ServerTokenAuthorization = z.strictObject({
  kind: z.literal('server-token'),
  token: z.string().min(1).max(2048),
});

export const ReturnPayloadV1 = z.strictObject({
  /** The sale being returned from: its event id, and where it was rung up (another store for a cross-store return). */
  originalSaleId: UuidV7,
  originalStoreId: Identifier,
  originalTerminalId: Identifier,
  currency: CurrencyCode,
  lines: z
    .array(
      z.strictObject({
        lineId: Identifier,
        productId: Identifier,
        quantity: z.number().int().positive(),
        net: MinorUnits,
        taxes: TaxAmounts,
        total: MinorUnits,
      }),
    )
    .min(1)
    .max(1000),
  taxes: TaxAmounts,
  total: MinorUnits,
  refunds: z
    .array(
      z.strictObject({
        /** Which tender of the original sale this refund goes back to. */
        tenderIndex: z.number().int().nonnegative().max(19),
        kind: TenderKind,
        ref: z.string().min(1).max(128).nullable(),
        amount: NonNegativeMinorUnits,
        paidOut: NonNegativeMinorUnits,
      }),
    )
    .min(1)
    .max(20),
  cashRounding: MinorUnits,
  reason: Reason,
  /** How the return was allowed: from the local journal, by the server's signed token, or by a manager offline. */
  authorization: z.discriminatedUnion('kind', [
    LocalJournalAuthorization,
    ServerTokenAuthorization,
    z.strictObject({ kind: z.literal('manager-override'), approvedBy: StaffId }),
  ]),
});
export type ReturnPayloadV1 = z.infer<typeof ReturnPayloadV1>;

/** A post-void: a completed sale cancelled within its shift (money handed back), by a manager. */
export const VoidPayloadV1 = z.strictObject({
  voidedEventId: UuidV7,
  reason: Reason,
  approvedBy: StaffId,
});
export type VoidPayloadV1 = z.infer<typeof VoidPayloadV1>;

/** The drawer opened without a sale. */
export const NoSalePayloadV1 = z.strictObject({ reason: Reason, staffId: StaffId });
export type NoSalePayloadV1 = z.infer<typeof NoSalePayloadV1>;

export const ShiftOpenPayloadV1 = z.strictObject({
  shiftId: UuidV7,
  staffId: StaffId,
  currency: CurrencyCode,
  openingFloat: NonNegativeMinorUnits,
});
export type ShiftOpenPayloadV1 = z.infer<typeof ShiftOpenPayloadV1>;

const TenderAmounts = z.array(z.strictObject({ kind: TenderKind, amount: MinorUnits })).max(10);

export const ShiftClosePayloadV1 = z.strictObject({
  shiftId: UuidV7,
  staffId: StaffId,
  /** What the journal says each tender should hold, computed when the shift closed. */
  expected: TenderAmounts,
  counted: TenderAmounts,
  /** counted − expected per tender: positive is over, negative is short. */
  overShort: TenderAmounts,
});
export type ShiftClosePayloadV1 = z.infer<typeof ShiftClosePayloadV1>;

/** Cash taken out to the safe (drop), or paid in or out of the drawer for a reason. */
export const CashMovementPayloadV1 = z.strictObject({
  shiftId: UuidV7,
  currency: CurrencyCode,
  amount: NonNegativeMinorUnits,
  reason: Reason,
  staffId: StaffId,
  approvedBy: StaffId.nullable(),
});
export type CashMovementPayloadV1 = z.infer<typeof CashMovementPayloadV1>;

export const PriceOverridePayloadV1 = z.strictObject({
  saleId: UuidV7,
  lineId: Identifier,
  productId: Identifier,
  fromUnitPrice: NonNegativeMinorUnits,
  toUnitPrice: NonNegativeMinorUnits,
  reason: Reason,
  approvedBy: StaffId.nullable(),
});
export type PriceOverridePayloadV1 = z.infer<typeof PriceOverridePayloadV1>;

const APPROVAL_ACTIONS_V1 = [
  'price-override',
  'line-discount',
  'basket-discount',
  'void',
  'no-sale',
  'return',
  'cash-movement',
  'cross-store-return-offline',
] as const;

export const ManagerApprovalPayloadV1 = z.strictObject({
  approvalId: UuidV7,
  managerId: StaffId,
  action: z.enum(APPROVAL_ACTIONS_V1),
  /** What was approved: a sale id, a line, or a free-text subject. */
  subject: z.string().min(1).max(200),
  reason: Reason,
});
export type ManagerApprovalPayloadV1 = z.infer<typeof ManagerApprovalPayloadV1>;

// ---------------------------------------------------------------------------------------------------------------
// Version 2 of every type above (issue #15): who did it (`employeeId`), and the manager approval that allowed it
// (`approvalId`) instead of a bare approver's name. Upcasts and downcasts: payload-casts.ts.
// ---------------------------------------------------------------------------------------------------------------

/**
 * The approver as version 1 recorded it, kept readable under its old name on the version that links the approval
 * instead: present on an event upcast from v1; a writer sets it only to be able to write the event at v1 for a
 * server that takes nothing newer (see `payloadForVersion`), since the linked approval event names the approver.
 */
const LegacyApprover = StaffId.nullable().optional();

/** Return v2: v1, who refunded it, and the approval a manager's override of an offline return was given by. */
export const ReturnPayloadV2 = ReturnPayloadV1.extend({
  authorization: z.discriminatedUnion('kind', [
    LocalJournalAuthorization,
    ServerTokenAuthorization,
    z.strictObject({ kind: z.literal('manager-override'), approvedBy: StaffId, approvalId: ApprovalLink }),
  ]),
  employeeId: DoneBy,
});
export type ReturnPayloadV2 = z.infer<typeof ReturnPayloadV2>;

/** Void v2: who voided the sale, and the approval that allowed it (null: the employee holds the permission). */
export const VoidPayloadV2 = z.strictObject({
  voidedEventId: UuidV7,
  reason: Reason,
  employeeId: DoneBy,
  approvalId: ApprovalLink,
  approvedBy: StaffId.optional(),
});
export type VoidPayloadV2 = z.infer<typeof VoidPayloadV2>;

/** No-sale v2: `staffId` is now `employeeId`, and the approval that allowed opening the drawer, if one was needed. */
export const NoSalePayloadV2 = z.strictObject({
  reason: Reason,
  employeeId: EmployeeId,
  approvalId: ApprovalLink,
});
export type NoSalePayloadV2 = z.infer<typeof NoSalePayloadV2>;

/** Shift open v2: `staffId` is now `employeeId`. */
export const ShiftOpenPayloadV2 = ShiftOpenPayloadV1.omit({ staffId: true }).extend({
  employeeId: EmployeeId,
});
export type ShiftOpenPayloadV2 = z.infer<typeof ShiftOpenPayloadV2>;

/** Shift close v2: `staffId` is now `employeeId`. */
export const ShiftClosePayloadV2 = ShiftClosePayloadV1.omit({ staffId: true }).extend({
  employeeId: EmployeeId,
});
export type ShiftClosePayloadV2 = z.infer<typeof ShiftClosePayloadV2>;

/** Cash drop, paid in, paid out v2: `staffId` is now `employeeId`, `approvedBy` gives way to `approvalId`. */
export const CashMovementPayloadV2 = CashMovementPayloadV1.omit({ staffId: true, approvedBy: true }).extend({
  employeeId: EmployeeId,
  approvalId: ApprovalLink,
  approvedBy: LegacyApprover,
});
export type CashMovementPayloadV2 = z.infer<typeof CashMovementPayloadV2>;

/** Price override v2: who overrode the price, and `approvalId` instead of `approvedBy`. */
export const PriceOverridePayloadV2 = PriceOverridePayloadV1.omit({ approvedBy: true }).extend({
  employeeId: DoneBy,
  approvalId: ApprovalLink,
  approvedBy: LegacyApprover,
});
export type PriceOverridePayloadV2 = z.infer<typeof PriceOverridePayloadV2>;

/** What a manager may be asked to approve at version 2: v1's actions and those the till's sign-in brought. */
export const APPROVAL_ACTIONS_V2 = [
  ...APPROVAL_ACTIONS_V1,
  'unlock-employee',
  'sync-retry',
  'sync-new-epoch',
] as const;
/** Every action a manager may be asked to approve: v2's and, from version 3, those shifts brought (issue #16). */
export const APPROVAL_ACTIONS = [
  ...APPROVAL_ACTIONS_V2,
  'shift-open',
  'shift-close',
  'training-mode',
] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

const ManagerApprovalFields = {
  approvalId: UuidV7,
  approverId: EmployeeId,
  /** The permission of the roles configuration the request was above: one of its names, nothing else. */
  permission: z.enum(PERMISSION_NAMES),
  action: z.enum(APPROVAL_ACTIONS_V2),
  subject: z.string().min(1).max(200),
  reason: Reason.nullable(),
  requested: z
    .strictObject({
      percent: z.number().min(0).max(100).optional(),
      amount: NonNegativeMinorUnits.optional(),
    })
    .optional(),
};
/** Nobody approves their own request. */
const notOwnRequest = <S extends z.ZodType<{ approverId: string; employeeId: string | null }>>(schema: S) =>
  schema.refine((approval) => approval.approverId !== approval.employeeId, {
    message: 'nobody approves their own request',
    path: ['approverId'],
  });

/**
 * Manager approval v2: who asked (`employeeId`, the employee signed in), who approved by their PIN (`approverId`),
 * the permission of the roles configuration the request was above (`noSale`, `discountPercent`, …), what, why and
 * how far (`requested`). Nobody approves their own request, so who asked is always named. The action it allowed
 * names it by `approvalId`. This is what is written and validated; readers get `ManagerApprovalPayload`.
 */
export const ManagerApprovalPayloadV2 = notOwnRequest(
  z.strictObject({ ...ManagerApprovalFields, employeeId: EmployeeId }),
);
export type ManagerApprovalPayloadV2 = z.infer<typeof ManagerApprovalPayloadV2>;

/** Manager approval v3: v2 with the actions shifts brought (`shift-open`, `shift-close`, `training-mode`). */
export const ManagerApprovalPayloadV3 = notOwnRequest(
  z.strictObject({ ...ManagerApprovalFields, action: z.enum(APPROVAL_ACTIONS), employeeId: EmployeeId }),
);
export type ManagerApprovalPayloadV3 = z.infer<typeof ManagerApprovalPayloadV3>;

/**
 * A manager approval as readers get it, of any version (`PayloadOf<'manager-approval'>`): v3, except that
 * `employeeId` is null on an approval upcast from v1, which recorded nobody asking. Writing v2 or v3 needs it
 * (`ManagerApprovalPayloadV3`): the ledger refuses a new approval without it (`employee_missing`), the server
 * quarantines one without it as invalid.
 */
export const ManagerApprovalPayload = notOwnRequest(
  z.strictObject({ ...ManagerApprovalFields, action: z.enum(APPROVAL_ACTIONS), employeeId: DoneBy }),
);
export type ManagerApprovalPayload = z.infer<typeof ManagerApprovalPayload>;

/**
 * The permission key a v1 approval's action stands for (a v1 approval named no permission), in the spelling of the
 * roles configuration's keys: a v1 approval reads as v2 with the key of its action.
 */
export const LEGACY_APPROVAL_PERMISSIONS: {
  readonly [A in (typeof APPROVAL_ACTIONS_V1)[number]]: PermissionName;
} = {
  'price-override': 'priceOverridePercent',
  'line-discount': 'discountPercent',
  'basket-discount': 'discountPercent',
  void: 'postVoid',
  'no-sale': 'noSale',
  // A version 1 return approval allowed a refund the cashier could not give alone.
  return: 'refundLimit',
  'cash-movement': 'cashMovement',
  'cross-store-return-offline': 'crossStoreReturn',
};

// ---------------------------------------------------------------------------------------------------------------
// Sign-in, sign-out and PIN lockouts at the till (issue #15), version 1 each. Locking an idle screen is not
// journaled: the employee stays signed in.
// ---------------------------------------------------------------------------------------------------------------

export const EmployeeSignedInPayloadV1 = z.strictObject({
  employeeId: EmployeeId,
  /** How they picked themselves before the PIN: typed their employee number, or chose their name from a list. */
  method: z.enum(['number', 'list']),
});
export type EmployeeSignedInPayloadV1 = z.infer<typeof EmployeeSignedInPayloadV1>;

export const EmployeeSignedOutPayloadV1 = z.strictObject({
  employeeId: EmployeeId,
  /** Signed out, or made way for another employee signing in on the same till. */
  reason: z.enum(['sign-out', 'switch']),
});
export type EmployeeSignedOutPayloadV1 = z.infer<typeof EmployeeSignedOutPayloadV1>;

/** Too many wrong PINs: the employee named is locked out of this till. */
export const EmployeeLockedOutPayloadV1 = z.strictObject({
  employeeId: EmployeeId,
  failedAttempts: z.number().int().positive().max(1000),
  /** Until when; null: until a manager unlocks them. */
  lockedUntil: IsoTimestamp.nullable(),
});
export type EmployeeLockedOutPayloadV1 = z.infer<typeof EmployeeLockedOutPayloadV1>;

/** A locked-out employee unlocked by a manager, with the approval that allowed it; nobody unlocks themselves. */
export const EmployeeUnlockedPayloadV1 = z
  .strictObject({ employeeId: EmployeeId, unlockedBy: EmployeeId, approvalId: UuidV7 })
  .refine((unlock) => unlock.unlockedBy !== unlock.employeeId, {
    message: 'nobody unlocks themselves',
    path: ['unlockedBy'],
  });
export type EmployeeUnlockedPayloadV1 = z.infer<typeof EmployeeUnlockedPayloadV1>;
