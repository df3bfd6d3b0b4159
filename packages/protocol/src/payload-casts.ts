import {
  APPROVAL_ACTIONS_V2,
  type CashMovementPayloadV1,
  type CashMovementPayloadV2,
  LEGACY_APPROVAL_PERMISSIONS,
  type ManagerApprovalPayload,
  type ManagerApprovalPayloadV1,
  type ManagerApprovalPayloadV2,
  type NoSalePayloadV1,
  type NoSalePayloadV2,
  type PriceOverridePayloadV1,
  type PriceOverridePayloadV2,
  type ReturnPayloadV1,
  type ReturnPayloadV2,
  type ShiftClosePayloadV1,
  type ShiftClosePayloadV2,
  type ShiftOpenPayloadV1,
  type ShiftOpenPayloadV2,
  type VoidPayloadV1,
  type VoidPayloadV2,
} from './business-payloads.js';
import type {
  ReturnPayloadV3,
  SaleLineV1,
  SaleLineV2,
  SalePayloadV1,
  SalePayloadV2,
  SalePayloadV3,
  SalePayloadV4,
  SalePayloadV5,
  SalePayloadV6,
} from './events.js';
import type {
  NoSalePayloadV3,
  ShiftClosePayloadV3,
  ShiftOpenPayloadV3,
  VoidPayloadV3,
} from './shift-payloads.js';

/**
 * The steps between a type's versions, both ways (docs/protocol.md, "Versions"). `up[N]` lifts a vN payload to
 * vN+1, for readers; `down[N]` lowers a vN+1 payload to vN, for a till whose server takes nothing newer. A step down
 * drops what vN+1 added (the employee, the approval link) and is otherwise lossless: the step down of a step up is
 * the payload itself. Where vN needs a value the newer payload does not hold, it throws a `DowncastError`.
 */

/** A latest-shaped payload that cannot be said at an older version: the older version needs what it lacks. */
export class DowncastError extends Error {
  override readonly name = 'DowncastError';
  readonly code = 'not_expressible';
  constructor(
    readonly type: string,
    readonly version: number,
    readonly field: string,
    message: string,
  ) {
    super(`a ${type} cannot be written at version ${version}: ${message}`);
  }
}

/**
 * The approver a v1 payload names (`approvedBy`): the legacy field when the payload kept it; when no approval was
 * needed, `unapproved`; a linked approval without it cannot be said in v1, which has no link.
 */
function legacyApprover(
  type: string,
  payload: { approvalId: string | null; approvedBy?: string | null | undefined },
  unapproved: string | null,
): string | null {
  if (payload.approvedBy !== undefined) return payload.approvedBy;
  if (payload.approvalId === null) return unapproved;
  throw new DowncastError(
    type,
    1,
    'approvedBy',
    `version 1 names the approver, and this payload only links approval ${payload.approvalId}: set approvedBy`,
  );
}

/** A sale line from before v6 as v6 has it: a scanned or keyed product sold by the unit at its catalog price, unchecked. */
export function saleLineV2(line: SaleLineV1): SaleLineV2 {
  return {
    ...line,
    kind: 'product',
    measure: null,
    priceEntered: false,
    overrideReason: null,
    ageCheck: null,
  };
}

export const SALE_CASTS = {
  up: {
    // v1 tills had no time zone: they cut everything in UTC, so UTC is what the sale meant, not a guess.
    1: (payload: SalePayloadV1): SalePayloadV2 => ({ ...payload, timeZone: 'UTC' }),
    // Nobody was recorded before v3.
    2: (payload: SalePayloadV2): SalePayloadV3 => ({
      ...payload,
      employeeId: null,
      approvals: payload.approvals.map((approval) => ({ ...approval, approvalId: null })),
    }),
    // No shift was linked before v4.
    3: (payload: SalePayloadV3): SalePayloadV4 => ({ ...payload, shiftId: null }),
    // The number those receipts printed comes from the envelope (epoch, seq): upcastJournalEvent fills it in.
    4: (payload: SalePayloadV4): SalePayloadV5 => ({ ...payload, receiptNumber: null }),
    // Every line before v6 was a scanned or keyed product sold by the unit at its catalog price, unchecked.
    5: (payload: SalePayloadV5): SalePayloadV6 => ({
      ...payload,
      lines: payload.lines.map(saleLineV2),
      store: null,
    }),
  },
  down: {
    1: ({ timeZone: _, ...payload }: SalePayloadV2): SalePayloadV1 => payload,
    2: ({ employeeId: _, approvals, ...payload }: SalePayloadV3): SalePayloadV2 => ({
      ...payload,
      approvals: approvals.map(({ approvalId: _id, ...approval }) => approval),
    }),
    3: ({ shiftId: _, ...payload }: SalePayloadV4): SalePayloadV3 => payload,
    4: ({ receiptNumber: _, ...payload }: SalePayloadV5): SalePayloadV4 => payload,
    // A v5 line cannot say a weight, a keyed price, a custom line, why its price was overridden or an age check: such
    // a sale is not written at v5 (an override's reason is the record of why the price was cut; it is not dropped).
    5: ({ store: _, lines, ...payload }: SalePayloadV6): SalePayloadV5 => ({
      ...payload,
      lines: lines.map((line): SaleLineV1 => {
        const { kind, measure, priceEntered, overrideReason, ageCheck, ...v1 } = line;
        const lost =
          kind === 'custom'
            ? 'a custom-amount line'
            : measure !== null
              ? 'a weighed line'
              : priceEntered
                ? 'an open-price line'
                : ageCheck !== null
                  ? 'an age check'
                  : overrideReason !== null
                    ? 'a price override'
                    : null;
        if (lost !== null) {
          throw new DowncastError(
            'sale',
            5,
            'lines',
            `version 5 cannot record ${lost} (line ${line.lineId})`,
          );
        }
        return v1;
      }),
    }),
  },
} as const;

export const RETURN_CASTS = {
  up: {
    1: ({ authorization, ...payload }: ReturnPayloadV1): ReturnPayloadV2 => ({
      ...payload,
      authorization:
        authorization.kind === 'manager-override' ? { ...authorization, approvalId: null } : authorization,
      employeeId: null,
    }),
    2: (payload: ReturnPayloadV2): ReturnPayloadV3 => ({
      ...payload,
      lines: payload.lines.map((line) => ({ ...line, measure: null })),
    }),
  },
  down: {
    2: ({ lines, ...payload }: ReturnPayloadV3): ReturnPayloadV2 => ({
      ...payload,
      lines: lines.map(({ measure, ...line }) => {
        if (measure !== null) {
          throw new DowncastError(
            'return',
            2,
            'lines',
            `version 2 cannot record a weighed line (line ${line.lineId})`,
          );
        }
        return line;
      }),
    }),
    1: ({ authorization, employeeId: _, ...payload }: ReturnPayloadV2): ReturnPayloadV1 => ({
      ...payload,
      authorization:
        authorization.kind === 'manager-override'
          ? { kind: authorization.kind, approvedBy: authorization.approvedBy }
          : authorization,
    }),
  },
} as const;

export const VOID_CASTS = {
  up: {
    1: (payload: VoidPayloadV1): VoidPayloadV2 => ({ ...payload, employeeId: null, approvalId: null }),
    2: (payload: VoidPayloadV2): VoidPayloadV3 => ({ ...payload, shiftId: null }),
  },
  down: {
    // v1's approvedBy named who authorised the void: without an approval, the employee who did it.
    1: ({ voidedEventId, reason, employeeId, approvalId, approvedBy }: VoidPayloadV2): VoidPayloadV1 => {
      const approver = legacyApprover('void', { approvalId, approvedBy }, employeeId);
      if (approver === null) {
        throw new DowncastError(
          'void',
          1,
          'approvedBy',
          'version 1 names who voided it, and this void names nobody',
        );
      }
      return { voidedEventId, reason, approvedBy: approver };
    },
    2: ({ shiftId: _, ...payload }: VoidPayloadV3): VoidPayloadV2 => payload,
  },
} as const;

export const NO_SALE_CASTS = {
  up: {
    1: ({ reason, staffId }: NoSalePayloadV1): NoSalePayloadV2 => ({
      reason,
      employeeId: staffId,
      approvalId: null,
    }),
    2: (payload: NoSalePayloadV2): NoSalePayloadV3 => ({ ...payload, shiftId: null }),
  },
  down: {
    1: ({ reason, employeeId }: NoSalePayloadV2): NoSalePayloadV1 => ({ reason, staffId: employeeId }),
    2: ({ shiftId: _, ...payload }: NoSalePayloadV3): NoSalePayloadV2 => payload,
  },
} as const;

/**
 * The steps of a type whose v2 only renamed `staffId` to `employeeId` (shift open and close). `V1` is the v1
 * payload; its v2 is the same with `employeeId` in place of `staffId`.
 */
function staffIdRenamed<V1 extends { staffId: string }>() {
  type V2 = Omit<V1, 'staffId'> & { employeeId: string };
  return {
    up: { 1: ({ staffId, ...payload }: V1): V2 => ({ ...payload, employeeId: staffId }) },
    down: {
      1: ({ employeeId, ...payload }: V2): V1 => ({ ...payload, staffId: employeeId }) as unknown as V1,
    },
  } as const;
}

const shiftOpenV1 = staffIdRenamed<ShiftOpenPayloadV1>();
const shiftCloseV1 = staffIdRenamed<ShiftClosePayloadV1>();

/** v2 → v3: no count or approval was recorded before v3. */
export const SHIFT_OPEN_CASTS = {
  up: {
    ...shiftOpenV1.up,
    2: (payload: ShiftOpenPayloadV2): ShiftOpenPayloadV3 => ({
      ...payload,
      floatCount: null,
      approvalId: null,
    }),
  },
  down: {
    ...shiftOpenV1.down,
    2: ({ floatCount: _, approvalId: _id, ...payload }: ShiftOpenPayloadV3): ShiftOpenPayloadV2 => payload,
  },
} as const;

/** v2 → v3: no count, no blind count (nothing says the count was blind) and no approval before v3. */
export const SHIFT_CLOSE_CASTS = {
  up: {
    ...shiftCloseV1.up,
    2: (payload: ShiftClosePayloadV2): ShiftClosePayloadV3 => ({
      ...payload,
      cashCount: null,
      blind: false,
      approvalId: null,
    }),
  },
  down: {
    ...shiftCloseV1.down,
    2: ({
      cashCount: _,
      blind: _blind,
      approvalId: _id,
      ...payload
    }: ShiftClosePayloadV3): ShiftClosePayloadV2 => payload,
  },
} as const;

export const cashMovementCasts = (type: 'cash-drop' | 'paid-in' | 'paid-out') =>
  ({
    up: {
      1: ({ staffId, ...payload }: CashMovementPayloadV1): CashMovementPayloadV2 => ({
        ...payload,
        employeeId: staffId,
        approvalId: null,
      }),
    },
    down: {
      1: ({
        employeeId,
        approvalId,
        approvedBy,
        ...payload
      }: CashMovementPayloadV2): CashMovementPayloadV1 => ({
        ...payload,
        staffId: employeeId,
        approvedBy: legacyApprover(type, { approvalId, approvedBy }, null),
      }),
    },
  }) as const;

export const PRICE_OVERRIDE_CASTS = {
  up: {
    1: (payload: PriceOverridePayloadV1): PriceOverridePayloadV2 => ({
      ...payload,
      employeeId: null,
      approvalId: null,
    }),
  },
  down: {
    1: ({
      employeeId: _,
      approvalId,
      approvedBy,
      ...payload
    }: PriceOverridePayloadV2): PriceOverridePayloadV1 => ({
      ...payload,
      approvedBy: legacyApprover('price-override', { approvalId, approvedBy }, null),
    }),
  },
} as const;

const isV1Action = (action: string): action is ManagerApprovalPayloadV1['action'] =>
  Object.hasOwn(LEGACY_APPROVAL_PERMISSIONS, action);

const isV2Action = (action: string): action is ManagerApprovalPayloadV2['action'] =>
  (APPROVAL_ACTIONS_V2 as readonly string[]).includes(action);

export const MANAGER_APPROVAL_CASTS = {
  up: {
    // Nobody recorded who asked before v2 (so the read type, not v2's, which needs it); the permission is the one
    // the action stood for.
    1: ({ managerId, ...payload }: ManagerApprovalPayloadV1): ManagerApprovalPayload => ({
      ...payload,
      employeeId: null,
      approverId: managerId,
      permission: LEGACY_APPROVAL_PERMISSIONS[payload.action],
    }),
    // v3 only added actions: a v2 approval is a v3 one as it is.
    2: (payload: ManagerApprovalPayloadV2): ManagerApprovalPayload => payload,
  },
  down: {
    1: ({
      approvalId,
      approverId,
      action,
      subject,
      reason,
    }: ManagerApprovalPayload): ManagerApprovalPayloadV1 => {
      if (!isV1Action(action)) {
        throw new DowncastError('manager-approval', 1, 'action', `version 1 has no action ${action}`);
      }
      if (reason === null) {
        throw new DowncastError('manager-approval', 1, 'reason', 'version 1 needs a reason');
      }
      return { approvalId, managerId: approverId, action, subject, reason };
    },
    // Read-typed on both sides: an approval upcast from v1 (nobody asking) steps down through v2 to v1.
    2: (payload: ManagerApprovalPayload): ManagerApprovalPayload => {
      if (!isV2Action(payload.action)) {
        throw new DowncastError('manager-approval', 2, 'action', `version 2 has no action ${payload.action}`);
      }
      return payload;
    },
  },
} as const;
