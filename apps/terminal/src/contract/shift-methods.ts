import {
  CurrencyCode,
  EmployeeId,
  MinorUnits,
  NonNegativeMinorUnits,
  ShiftReport,
  UuidV7,
} from '@tillwright/protocol';
import { z } from 'zod';
import { ActionReason, ApprovalCredentials, PrintOutcome, WithApproval } from './common.js';

/** The shift, cash movement, post-void and training part of the contract (issue #16): its views and methods. */

/** A note or coin of the store currency, as a count is entered in: largest first. */
export const DenominationView = z.strictObject({
  /** Minor units. */
  value: z.number().int().positive(),
  kind: z.enum(['note', 'coin']),
  /** As printed on it, in the store currency: "20.00", "0.05". */
  label: z.string(),
});
export type DenominationView = z.infer<typeof DenominationView>;

/** How many of each note and coin were counted; the total is computed by the host, never typed. */
export const DenominationCountRequest = z
  .array(z.strictObject({ value: z.number().int().positive(), count: z.number().int().min(0).max(100_000) }))
  .max(40);
export type DenominationCountRequest = z.infer<typeof DenominationCountRequest>;

/** The till's open shift, as the status bar and the manager's screens show it. */
export const ShiftView = z.strictObject({
  shiftId: UuidV7,
  openedAt: z.string(),
  openedBy: z.strictObject({ employeeId: EmployeeId, displayName: z.string() }),
  currency: CurrencyCode,
  openingFloat: NonNegativeMinorUnits,
  /** Opened on an earlier business day than the store's today: probably left open (power loss, a forgotten close). */
  fromEarlierDay: z.boolean(),
});
export type ShiftView = z.infer<typeof ShiftView>;

export const ShiftStatusView = z.strictObject({
  /** The open shift; null: nothing can be sold (outside training mode) until someone with `shiftOpen` opens one. */
  shift: ShiftView.nullable(),
  /** Training mode: sales are journaled as training, printed TRAINING, never counted; no cash moves. */
  training: z.boolean(),
  /** The store currency's notes and coins, largest first. */
  denominations: z.array(DenominationView),
  /** The tenders other than cash a close asks to be counted (the card terminal's batch total, …). */
  otherTenders: z.array(z.enum(['card', 'gift-card', 'store-credit'])),
});
export type ShiftStatusView = z.infer<typeof ShiftStatusView>;

/** An X report (open shift) or Z report (closed), with the names of who opened and closed it for the screen. */
export const ShiftReportView = z.strictObject({
  report: ShiftReport,
  openedByName: z.string(),
  closedByName: z.string().nullable(),
});
export type ShiftReportView = z.infer<typeof ShiftReportView>;

/** A completed sale of the open shift, as the post-void list shows it, latest first. */
export const VoidableSaleView = z.strictObject({
  saleId: UuidV7,
  receiptNumber: z.string(),
  occurredAt: z.string(),
  currency: CurrencyCode,
  total: MinorUnits,
  cashier: z.string().nullable(),
  tenders: z.array(z.enum(['cash', 'card', 'gift-card', 'store-credit'])),
  /** Already voided, partly returned, or not voidable here (a card sale waits for the payment terminal): `why` says which. */
  voidable: z.boolean(),
  why: z.string().nullable(),
});
export type VoidableSaleView = z.infer<typeof VoidableSaleView>;

export const CashMovementType = z.enum(['cash-drop', 'paid-in', 'paid-out']);
export type CashMovementType = z.infer<typeof CashMovementType>;

export const shiftMethods = {
  /** The open shift (if any), training mode, and what a count is entered in. */
  'shift.status': { params: z.strictObject({}), result: ShiftStatusView },
  /**
   * Permission `shiftOpen`: open this till's shift with the float counted by denomination. Refused
   * `shift_already_open` (with the open shift in the error's words) while one is open: close that one first.
   */
  'shift.open': {
    params: z.strictObject({
      floatCount: DenominationCountRequest,
      approval: ApprovalCredentials.optional(),
    }),
    result: ShiftStatusView,
  },
  /**
   * Permission `shiftClose` (it shows the cash expected, which the close's count is blind to), else a manager's
   * approval: the X report of the open shift, from the journal alone; `no_open_shift` when none is.
   */
  'shift.report': { params: WithApproval, result: ShiftReportView },
  /**
   * Permission `shiftClose`, else a manager's approval: prints the X report of the open shift; with none open, a copy
   * of the last closed shift's Z report (marked COPY) for one that was lost; `no_open_shift` when there is neither.
   */
  'shift.printReport': { params: WithApproval, result: z.strictObject({ receipt: PrintOutcome }) },
  /**
   * Permission `shiftClose`: the blind count (cash by denomination, other tenders as amounts) closes the shift;
   * only then are expected and over/short computed, journaled and answered, and the Z report printed.
   */
  'shift.close': {
    params: z.strictObject({
      cashCount: DenominationCountRequest,
      otherTenders: z
        .array(
          z.strictObject({
            kind: z.enum(['card', 'gift-card', 'store-credit']),
            amount: NonNegativeMinorUnits,
          }),
        )
        .max(3),
      approval: ApprovalCredentials.optional(),
    }),
    result: z.strictObject({ report: ShiftReportView, receipt: PrintOutcome }),
  },
  /**
   * A cash drop (`cashMovement`), paid in (`cashMovement`) or paid out (`paidOutLimit` ≥ amount) in the open shift:
   * journaled with its reason, then the drawer kicked once (never retried) and a slip printed.
   */
  'cash.movement': {
    params: z.strictObject({
      type: CashMovementType,
      amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      reason: ActionReason,
      approval: ApprovalCredentials.optional(),
    }),
    result: z.strictObject({
      eventId: UuidV7,
      approvalId: UuidV7.nullable(),
      drawer: PrintOutcome,
      slip: PrintOutcome,
    }),
  },
  /** The completed sales of the open shift, latest first (at most 50), with whether each can be post-voided. */
  'sale.voidable': {
    params: z.strictObject({}),
    result: z.strictObject({ sales: z.array(VoidableSaleView) }),
  },
  /**
   * Permission `postVoid`: void a completed cash sale of the open shift. Journals `void`, prints a void slip and
   * kicks the drawer once for the cash handed back (`refunded`).
   */
  'sale.postVoid': {
    params: z.strictObject({
      saleId: UuidV7,
      reason: ActionReason,
      approval: ApprovalCredentials.optional(),
    }),
    result: z.strictObject({
      voidId: UuidV7,
      approvalId: UuidV7.nullable(),
      currency: CurrencyCode,
      refunded: MinorUnits,
      slip: PrintOutcome,
      drawer: PrintOutcome,
    }),
  },
  /** Permission `trainingMode`: training on or off for this till (journaled `training-mode`). */
  'training.set': {
    params: z.strictObject({ on: z.boolean(), approval: ApprovalCredentials.optional() }),
    result: ShiftStatusView,
  },
} as const;
