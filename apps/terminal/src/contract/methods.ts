import {
  Barcode,
  CurrencyCode,
  EmployeeId,
  EmployeeNumber,
  Identifier,
  MinorUnits,
  NonNegativeMinorUnits,
  Permissions,
  Pin,
  UuidV7,
} from '@tillwright/protocol';
import { z } from 'zod';
import { cartConfigEvents, cartConfigMethods } from './cart-config-methods.js';
import {
  ActionReason,
  ApprovalCredentials,
  ManualDiscountRequest,
  PrintOutcome,
  SaleLineRequest,
  WithApproval,
} from './common.js';
import { discountMethods } from './discount-methods.js';
import { parkMethods } from './park-methods.js';
import { ProductView } from './product-view.js';
import { receiptMethods } from './receipt-methods.js';
import { ShiftStatusView, shiftMethods } from './shift-methods.js';

export * from './cart-config-methods.js';
export * from './common.js';
export * from './discount-methods.js';
export * from './park-methods.js';
export * from './product-view.js';
export * from './receipt-methods.js';
export * from './shift-methods.js';

/**
 * The renderer ⇄ host contract: every method with its validated params and its result, and every event the
 * host pushes. Electron carries it over IPC, browser mode over a local WebSocket; the host never knows which.
 */

/** What a cashier typed in the search box: printable characters only (no control characters), at most 60. */
export const CatalogSearchParams = z.strictObject({
  text: z
    .string()
    .min(1)
    .max(60)
    .regex(/^[^\p{C}]+$/u, 'printable characters only'),
  limit: z.number().int().min(1).max(50).default(20),
});

/** Why sync stopped and what a person must do: shown to the manager until resolved. */
export const SyncAlertView = z.strictObject({
  code: z.string(),
  message: z.string(),
  action: z.string(),
});
export type SyncAlertView = z.infer<typeof SyncAlertView>;

export const SyncStatusView = z.strictObject({
  /** `stopped`: sync halted on a conflict a person must resolve (see `alert`); selling goes on. */
  state: z.enum(['not-enrolled', 'online', 'offline', 'degraded', 'stopped']),
  pending: z.number().int().nonnegative(),
  oldestPendingAt: z.string().nullable(),
  /** True when the oldest unsent event is older than HQ's `syncAlertAfterMinutes`: a manager should look. */
  overdue: z.boolean(),
  /** When the server last answered this till (the till's time), kept across restarts; null if it never did. */
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  alert: SyncAlertView.nullable(),
  /** Server clock minus till clock in ms (null until measured), and what to tell the manager when it is large. */
  clock: z.strictObject({ offsetMs: z.number().int().nullable(), alert: z.string().nullable() }),
  /**
   * Feed items this till skipped because it does not know their kind or version (it goes on syncing without them,
   * and reads them again once upgraded), and the last one: an older till under a newer HQ, worth an upgrade.
   */
  feed: z.strictObject({
    skipped: z.number().int().nonnegative(),
    lastSkipped: z
      .strictObject({ kind: z.string(), schema: z.number(), version: z.number(), reason: z.string() })
      .nullable(),
  }),
});
export type SyncStatusView = z.infer<typeof SyncStatusView>;

export const CompletedSale = z.strictObject({
  saleId: UuidV7,
  receiptNumber: z.string(),
  currency: CurrencyCode,
  total: MinorUnits,
  taxTotal: MinorUnits,
  /** What the tenders paid: the total plus any cash rounding. */
  paid: MinorUnits,
  cashRounding: MinorUnits,
  change: NonNegativeMinorUnits,
  /** True when this sale id had already been recorded: the answer to a retried Pay, with no second receipt. */
  alreadyRecorded: z.boolean(),
  /** Rung up in training mode: journaled as `training-sale`, printed TRAINING, never counted, no drawer. */
  training: z.boolean(),
  receipt: PrintOutcome,
  drawer: PrintOutcome,
});
export type CompletedSale = z.infer<typeof CompletedSale>;

/**
 * A sale as the journal holds it: what `sale.complete` answered (as a retry would: no receipt, no drawer) and the
 * lines it sold. The renderer asks for it after `sale_already_recorded`, to show the cashier what was sold and paid.
 */
export const RecordedSale = z.strictObject({
  sale: CompletedSale,
  /** Who rang it up: the employee signed in on the till; null for a sale recorded without one. */
  employeeId: Identifier.nullable(),
  lines: z.array(
    z.strictObject({
      lineId: Identifier,
      productId: Identifier,
      name: z.string(),
      quantity: z.number().int().positive(),
      /** A custom-amount line (productId `custom`): its description and amount, which tell it from another. */
      custom: z.strictObject({ description: z.string(), amount: NonNegativeMinorUnits }).optional(),
    }),
  ),
});
export type RecordedSale = z.infer<typeof RecordedSale>;

export const SaleQuote = z.strictObject({
  currency: CurrencyCode,
  subtotal: MinorUnits,
  discountTotal: MinorUnits,
  taxTotal: MinorUnits,
  total: MinorUnits,
  /** What cash would settle the total with, after cash rounding. */
  cashDue: MinorUnits,
  lines: z.array(
    z.strictObject({
      lineId: Identifier,
      /** The unit price charged: the catalog's, the keyed one, the weighed amount, or the override. */
      unitPrice: MinorUnits,
      extended: MinorUnits,
      amount: MinorUnits,
      /** What was taken off the line, each named (a promotion's name, or the reason of a manual discount). */
      discounts: z.array(z.string()),
      adjustments: z.array(
        z.strictObject({
          source: z.enum(['promotion', 'manual-line', 'manual-basket']),
          label: z.string(),
          amount: MinorUnits,
        }),
      ),
    }),
  ),
  /** The automatic promotions that apply to the cart as it stands, by name, with what each takes off. */
  promotions: z.array(z.strictObject({ promotionId: z.string(), name: z.string(), amount: MinorUnits })),
  /**
   * Overrides and discounts beyond the signed-in employee's limits: Pay is refused (`approval_required`) until each
   * carries a manager's approval (`approved`).
   */
  approvals: z.array(
    z.strictObject({
      kind: z.enum(['price-override', 'line-discount', 'basket-discount']),
      lineId: Identifier.nullable(),
      rate: z.number().int(),
      limit: z.number().int(),
      approved: z.boolean(),
    }),
  ),
});
export type SaleQuote = z.infer<typeof SaleQuote>;

export const HelloResult = z.strictObject({
  terminalId: z.string().nullable(),
  storeId: z.string().nullable(),
  currency: CurrencyCode,
  simulators: z.boolean(),
  sync: SyncStatusView,
});
export type HelloResult = z.infer<typeof HelloResult>;

/** What the cashier took. A card is a payment token from the card terminal, never a card number. */
export const TenderRequest = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cash'), tendered: NonNegativeMinorUnits }),
  z.strictObject({
    kind: z.literal('card'),
    amount: NonNegativeMinorUnits,
    token: z.string().min(8).max(128),
    authorizationCode: z.string().min(1).max(32),
    brand: z.string().max(20).optional(),
  }),
]);
export type TenderRequest = z.infer<typeof TenderRequest>;

/** What the cart asks the host to price: its lines and any discount on the whole basket. */
const CartRequest = {
  currency: CurrencyCode,
  lines: z.array(SaleLineRequest).min(1).max(500),
  basketDiscount: ManualDiscountRequest.optional(),
};

/** The till's printer and drawer as the cashier needs to know them; `alerts` are short lines to show, urgent first. */
export const DevicesStatusView = z.strictObject({
  printer: z.enum(['not-configured', 'connecting', 'online', 'offline']),
  paper: z.enum(['ok', 'near-end', 'empty', 'unknown']),
  coverOpen: z.boolean(),
  drawer: z.enum(['open', 'closed', 'unknown']),
  /** The drawer has stayed open longer than the configured time. */
  drawerLeftOpen: z.boolean(),
  alerts: z.array(z.string()),
});
export type DevicesStatusView = z.infer<typeof DevicesStatusView>;

const CountAndTotal = z.strictObject({ count: z.number().int().nonnegative(), total: MinorUnits });

/** One business day's totals on this till, cut in the store's time zone: what was sold, voided and returned. */
export const BusinessDayView = z.strictObject({
  day: z.iso.date(),
  timeZone: z.string(),
  dayStartHour: z.number().int().min(0).max(23),
  /** The day's first instant and the next day's, ISO UTC: [from, until); 23 or 25 hours on a DST day. */
  from: z.string(),
  until: z.string(),
  sales: CountAndTotal,
  voids: CountAndTotal,
  returns: CountAndTotal,
  net: MinorUnits,
  tenders: z.array(
    z.strictObject({
      kind: z.enum(['cash', 'card', 'gift-card', 'store-credit']),
      taken: MinorUnits,
      refunded: MinorUnits,
      net: MinorUnits,
    }),
  ),
});
export type BusinessDayView = z.infer<typeof BusinessDayView>;

/** The employee signed in on this till, as the screen shows them. */
export const SessionEmployee = z.strictObject({
  employeeId: EmployeeId,
  number: EmployeeNumber,
  displayName: z.string(),
  roleId: z.string(),
  roleName: z.string(),
});
export type SessionEmployee = z.infer<typeof SessionEmployee>;

/**
 * Who may work on this till now. `signed-out`: nobody, and nothing can be sold or opened; `signed-in`: `employee`
 * works with `permissions`; `locked`: `employee` is still signed in but the screen waits for a PIN (auto-lock after
 * `autoLockSeconds` without activity, 0 = never, or locked by hand).
 */
export const SessionView = z.strictObject({
  state: z.enum(['signed-out', 'signed-in', 'locked']),
  employee: SessionEmployee.nullable(),
  /** The signed-in employee's permissions, from their role in the configuration in force; null when nobody is. */
  permissions: Permissions.nullable(),
  autoLockSeconds: z.number().int().nonnegative(),
});
export type SessionView = z.infer<typeof SessionView>;

/** A receipt on screen: the printed lines (`columns` characters wide at most), in paper order. */
export const SaleReceiptText = z.strictObject({
  saleId: UuidV7,
  receiptNumber: z.string(),
  columns: z.number().int().positive(),
  lines: z.array(z.string()),
});
export type SaleReceiptText = z.infer<typeof SaleReceiptText>;

export const methods = {
  ...shiftMethods,
  ...parkMethods,
  ...receiptMethods,
  ...cartConfigMethods,
  ...discountMethods,
  'session.hello': { params: z.strictObject({}), result: HelloResult },
  'catalog.lookup': { params: z.strictObject({ barcode: Barcode }), result: ProductView.nullable() },
  /** Name or SKU search as the cashier types, from the first character; best matches first from 3 letters. */
  'catalog.search': {
    params: CatalogSearchParams,
    result: z.strictObject({ products: z.array(ProductView) }),
  },
  /** `saleId`: the sale the cart was started as; needed when a line or the basket carries an `approvalId`. */
  'sale.quote': { params: z.strictObject({ ...CartRequest, saleId: UuidV7.optional() }), result: SaleQuote },
  /**
   * Records the sale once under its id, then prints and opens the drawer. The same request again answers the
   * recorded sale (`alreadyRecorded`); another request under a recorded id (other lines, quantities or tenders) is
   * refused with `sale_already_recorded` and records nothing.
   */
  'sale.complete': {
    params: z.strictObject({
      saleId: UuidV7,
      ...CartRequest,
      tenders: z.array(TenderRequest).min(1).max(10),
    }),
    result: CompletedSale,
  },
  /** The sale recorded under this id, or null when none is. */
  'sale.recorded': { params: z.strictObject({ saleId: UuidV7 }), result: RecordedSale.nullable() },
  /** A recorded sale's receipt as its lines of text, exactly as the printer lays it out (`sale_not_found`). */
  'sale.receipt': { params: z.strictObject({ saleId: UuidV7 }), result: SaleReceiptText },
  /** Prints a recorded sale's receipt again, marked COPY; never opens the drawer. Any signed-in employee. */
  'sale.reprint': {
    params: z.strictObject({ saleId: UuidV7 }),
    result: z.strictObject({ receipt: PrintOutcome }),
  },
  /** A business day's totals (`day`, or the store's current business day), in the store's time zone. */
  'reports.businessDay': {
    params: z.strictObject({ day: z.iso.date().optional() }),
    result: BusinessDayView,
  },
  'sync.status': { params: z.strictObject({}), result: SyncStatusView },
  /** Permission `syncActions`: try again after the cause of an alert was dealt with. */
  'sync.retry': { params: WithApproval, result: SyncStatusView },
  /**
   * Permission `syncActions`: re-enrol this till with a new epoch (after a restore, or when HQ fenced it). Refused
   * while events have not reached HQ, because the old epoch's unsent events could never be sent afterwards.
   */
  'sync.startNewEpoch': { params: WithApproval, result: SyncStatusView },
  'session.status': { params: z.strictObject({}), result: SessionView },
  /** The employees who may sign in at this store (active here), by name: the list to pick from. */
  'session.employees': {
    params: z.strictObject({}),
    result: z.strictObject({
      employees: z.array(
        z.strictObject({ employeeId: EmployeeId, number: EmployeeNumber, displayName: z.string() }),
      ),
    }),
  },
  /**
   * Number and PIN. While someone else is signed in (or the screen is locked on them), this is a switch: the cart in
   * progress stays. The same employee again unlocks the screen.
   */
  'session.signIn': {
    params: z.strictObject({
      number: EmployeeNumber,
      pin: Pin,
      method: z.enum(['number', 'list']).default('number'),
    }),
    result: SessionView,
  },
  'session.signOut': { params: z.strictObject({}), result: SessionView },
  /** Lock the screen now; the employee stays signed in. */
  'session.lock': { params: z.strictObject({}), result: SessionView },
  /** The cashier did something on screen: restarts the auto-lock wait. */
  'session.activity': {
    params: z.strictObject({}),
    result: z.strictObject({ lockInSeconds: z.number().int().nonnegative().nullable() }),
  },
  /** Employees locked out of this till after wrong PINs, for a manager to unlock. */
  'employees.locked': {
    params: z.strictObject({}),
    result: z.strictObject({
      employees: z.array(
        z.strictObject({
          employeeId: EmployeeId,
          number: EmployeeNumber,
          displayName: z.string(),
          lockedUntil: z.string().nullable(),
        }),
      ),
    }),
  },
  /** Permission `unlockEmployees`. */
  'employees.unlock': {
    params: z.strictObject({ employeeId: EmployeeId, approval: ApprovalCredentials.optional() }),
    result: z.strictObject({ unlocked: z.literal(true) }),
  },
  /**
   * Permission `noSale`: open the drawer without a sale, in the open shift (`no_open_shift` otherwise), journaled
   * with its reason; one kick, never retried.
   */
  'drawer.noSale': {
    params: z.strictObject({ reason: ActionReason, approval: ApprovalCredentials.optional() }),
    result: z.strictObject({ drawer: PrintOutcome, approvalId: UuidV7.nullable() }),
  },
  'devices.status': { params: z.strictObject({}), result: DevicesStatusView },
  'devices.simulateScan': {
    params: z.strictObject({ data: Barcode }),
    result: z.strictObject({ accepted: z.boolean() }),
  },
} as const;

export const ScanEvent = z.strictObject({ barcode: z.string(), product: ProductView.nullable() });
export type ScanEvent = z.infer<typeof ScanEvent>;

export const events = {
  ...cartConfigEvents,
  'scanner.scan': ScanEvent,
  'session.status': SessionView,
  'shift.status': ShiftStatusView,
  'sync.status': SyncStatusView,
  'devices.status': DevicesStatusView,
} as const;

export type MethodName = keyof typeof methods;
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type MethodResult<M extends MethodName> = z.infer<(typeof methods)[M]['result']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
