import { z } from 'zod';
import {
  CashMovementPayloadV2,
  EmployeeLockedOutPayloadV1,
  EmployeeSignedInPayloadV1,
  EmployeeSignedOutPayloadV1,
  EmployeeUnlockedPayloadV1,
  ManagerApprovalPayload,
  PriceOverridePayloadV2,
} from './business-payloads.js';
import { LineMeasureV1 } from './line-measure.js';
import {
  Barcode,
  CurrencyCode,
  IanaTimeZone,
  Identifier,
  IsoTimestamp,
  MinorUnits,
  NonNegativeMinorUnits,
  Sha256Hex,
  UuidV7,
} from './primitives.js';
import { ReturnPayloadV3 } from './return-payload-v3.js';
import {
  NoSalePayloadV3,
  ShiftClosePayloadV3,
  ShiftOpenPayloadV3,
  TrainingModePayloadV1,
  VoidPayloadV3,
} from './shift-payloads.js';

const Rate = z.number().int().min(0).max(1_000_000);
const TaxAmount = z.strictObject({ code: Identifier, amount: MinorUnits });

export const SaleLineV1 = z.strictObject({
  lineId: Identifier,
  productId: Identifier,
  sku: Identifier,
  barcode: Barcode.nullable(),
  name: z.string().min(1).max(200),
  quantity: z.number().int().positive().max(100_000),
  taxCategory: Identifier,
  catalogUnitPrice: NonNegativeMinorUnits,
  unitPrice: NonNegativeMinorUnits,
  extended: NonNegativeMinorUnits,
  adjustments: z
    .array(
      z.strictObject({
        source: z.enum(['promotion', 'manual-line', 'manual-basket']),
        ref: z.string().min(1).max(120),
        amount: NonNegativeMinorUnits,
      }),
    )
    .max(50),
  amount: NonNegativeMinorUnits,
  net: MinorUnits,
  taxes: z.array(TaxAmount).max(10),
  total: MinorUnits,
});
export type SaleLineV1 = z.infer<typeof SaleLineV1>;

/** A tender as recorded: cards and gift cards by token reference only, never card data. */
export const TenderV1 = z.strictObject({
  kind: z.enum(['cash', 'card', 'gift-card', 'store-credit']),
  ref: z.string().min(1).max(128).nullable(),
  amount: NonNegativeMinorUnits,
  tendered: NonNegativeMinorUnits,
  change: NonNegativeMinorUnits,
});
export type TenderV1 = z.infer<typeof TenderV1>;

/** An override or discount beyond the manager limits, and who approved it. */
const SaleApprovalV1 = z.strictObject({
  kind: z.enum(['price-override', 'line-discount', 'basket-discount']),
  lineId: Identifier.nullable(),
  rate: Rate,
  limit: Rate,
  approvedBy: z.string().min(1).max(64),
});

/** The complete priced snapshot of a sale: enough for HQ to verify every total without re-pricing. */
export const SalePayloadV1 = z.strictObject({
  currency: CurrencyCode,
  pricesIncludeTax: z.boolean(),
  jurisdiction: Identifier,
  lines: z.array(SaleLineV1).min(1).max(1000),
  promotions: z
    .array(z.strictObject({ promotionId: Identifier, name: z.string().max(120), amount: MinorUnits }))
    .max(100),
  taxes: z
    .array(
      z.strictObject({
        code: Identifier,
        name: z.string().max(80),
        rate: Rate,
        taxable: MinorUnits,
        tax: MinorUnits,
      }),
    )
    .max(20),
  subtotal: MinorUnits,
  discountTotal: MinorUnits,
  taxTotal: MinorUnits,
  total: MinorUnits,
  approvals: z.array(SaleApprovalV1).max(100),
  tenders: z.array(TenderV1).min(1).max(20),
  cashRounding: MinorUnits,
  paid: MinorUnits,
  change: NonNegativeMinorUnits,
  /** Versions of the reference data the sale was priced with. */
  pricedWith: z.strictObject({
    catalog: z.number().int().nonnegative(),
    priceList: z.number().int().nonnegative(),
    promotions: z.number().int().nonnegative(),
    taxRules: z.number().int().nonnegative(),
  }),
});
export type SalePayloadV1 = z.infer<typeof SalePayloadV1>;

/**
 * Sale version 2: version 1 and the store's time zone when the sale was rung up, so a receipt reprinted or a report
 * cut years later uses the zone of that day. Version 1 tills cut everything in UTC: a v1 sale reads as v2 in `UTC`.
 */
export const SalePayloadV2 = SalePayloadV1.extend({ timeZone: IanaTimeZone });
export type SalePayloadV2 = z.infer<typeof SalePayloadV2>;

/** Named locally: employees.ts exports the org's `EmployeeId`, the same primitive. */
const EmployeeId = Identifier;

/**
 * Sale version 3: version 2, who rang it up (`employeeId`, the employee signed in on the till) and, on each approval,
 * the manager-approval event that gave it. `employeeId` is null, and an approval's `approvalId` too, only on a sale
 * upcast from v1 or v2 (no employee was recorded then): writers always set it, and the ledger refuses a new sale
 * without it.
 */
export const SalePayloadV3 = SalePayloadV2.extend({
  employeeId: EmployeeId.nullable(),
  approvals: z.array(SaleApprovalV1.extend({ approvalId: UuidV7.nullable() })).max(100),
});
export type SalePayloadV3 = z.infer<typeof SalePayloadV3>;

/**
 * Sale version 4 (issue #16): version 3 and the shift it was rung in. `shiftId` is null only on a sale upcast from
 * v3 or older, and on a `training-sale`, which needs no open shift.
 */
export const SalePayloadV4 = SalePayloadV3.extend({ shiftId: UuidV7.nullable() });
export type SalePayloadV4 = z.infer<typeof SalePayloadV4>;

/**
 * Sale version 5 (issue #17): version 4 and its receipt number, from the till's own consecutive count of sales
 * (docs/decisions/0017-receipt-numbers.md). The writer hands the ledger `null` and the ledger assigns the number in
 * the transaction that records the sale; a stored v5 sale always holds one. Read from v4 or older, the number is the
 * one those receipts printed, derived from the sale's place in the journal (`upcastJournalEvent` fills it in).
 */
export const SalePayloadV5 = SalePayloadV4.extend({ receiptNumber: z.string().min(1).max(80).nullable() });
export type SalePayloadV5 = z.infer<typeof SalePayloadV5>;

/** The cashier's confirmation that the customer is old enough for an age-restricted product, before it was added. */
export const AgeCheckV1 = z.strictObject({
  minimumAge: z.number().int().min(1).max(99),
  /** The employee who checked (the one signed in when the line was added). */
  checkedBy: EmployeeId,
  checkedAt: IsoTimestamp,
  /** `id-checked`: a document was looked at; `visibly-over-age`: plainly older than the store's check-age policy. */
  method: z.enum(['id-checked', 'visibly-over-age']),
});
export type AgeCheckV1 = z.infer<typeof AgeCheckV1>;

/**
 * A sale line from version 6 on: version 1's and what the cart sells besides a scanned unit (issue #17). `kind`
 * `custom` is a custom-amount line (no product: `productId` and `sku` are `custom`, `name` the description typed);
 * `priceEntered`: the cashier keyed the price (an open-price item or a custom line), so `catalogUnitPrice` is that
 * price; `overrideReason`: why `unitPrice` differs from `catalogUnitPrice` (a price override), null when it does not.
 */
export const SaleLineV2 = SaleLineV1.extend({
  kind: z.enum(['product', 'custom']),
  measure: LineMeasureV1.nullable(),
  priceEntered: z.boolean(),
  overrideReason: z.string().min(1).max(120).nullable(),
  ageCheck: AgeCheckV1.nullable(),
}).refine((line) => line.measure === null || line.quantity === 1, {
  message: 'a weighed line sells one measured quantity',
  path: ['quantity'],
});
export type SaleLineV2 = z.infer<typeof SaleLineV2>;

/** The store as a sale's receipt printed it: a reprint years later says what the original said. */
export const ReceiptStoreV1 = z.strictObject({
  name: z.string().min(1).max(200).nullable(),
  address: z.array(z.string().min(1).max(60)).max(6),
  taxId: z.string().min(1).max(40).nullable(),
});
export type ReceiptStoreV1 = z.infer<typeof ReceiptStoreV1>;

/**
 * Sale version 6 (issue #17): version 5 with version 2 lines (weighed, open-price, custom-amount, overridden and
 * age-checked lines) and the store details its receipt printed (`store`; null on a sale read from an older version,
 * whose receipt printed today's).
 */
export const SalePayloadV6 = SalePayloadV5.extend({
  lines: z.array(SaleLineV2).min(1).max(1000),
  store: ReceiptStoreV1.nullable(),
});
export type SalePayloadV6 = z.infer<typeof SalePayloadV6>;

export const GENESIS_HASH = '0'.repeat(64);

const envelope = {
  eventId: UuidV7,
  terminalId: Identifier,
  storeId: Identifier,
  epoch: z.number().int().positive(),
  seq: z.number().int().positive(),
  occurredAt: IsoTimestamp,
  prevHash: Sha256Hex,
  hash: Sha256Hex,
};

/**
 * The schema of one event type at one version: the envelope, `type`, `schema` (the version of this type's payload,
 * 1 for every event written before versions existed) and the payload.
 */
export function eventOf<T extends string, V extends number, P extends z.ZodType>(
  type: T,
  version: V,
  payload: P,
) {
  return z.strictObject({ ...envelope, schema: z.literal(version), type: z.literal(type), payload });
}

/**
 * Each event type with the schema of its latest payload: what readers get after upcasting (event-versions.ts holds
 * every version). Add a type here and in EVENT_VERSIONS and every boundary validates it.
 */
export const EVENT_PAYLOADS = {
  sale: SalePayloadV6,
  return: ReturnPayloadV3,
  void: VoidPayloadV3,
  'no-sale': NoSalePayloadV3,
  'shift-open': ShiftOpenPayloadV3,
  'shift-close': ShiftClosePayloadV3,
  'cash-drop': CashMovementPayloadV2,
  'paid-in': CashMovementPayloadV2,
  'paid-out': CashMovementPayloadV2,
  'price-override': PriceOverridePayloadV2,
  'manager-approval': ManagerApprovalPayload,
  'employee-signed-in': EmployeeSignedInPayloadV1,
  'employee-signed-out': EmployeeSignedOutPayloadV1,
  'employee-locked-out': EmployeeLockedOutPayloadV1,
  'employee-unlocked': EmployeeUnlockedPayloadV1,
  /** A sale rung in training mode: never counted anywhere, never moves cash. */
  'training-sale': SalePayloadV6,
  'training-mode': TrainingModePayloadV1,
} as const;
export type EventType = keyof typeof EVENT_PAYLOADS;
/** The latest payload of a type: what every reader works with. */
export type PayloadOf<T extends EventType> = z.infer<(typeof EVENT_PAYLOADS)[T]>;

/**
 * How each text field of a payload is treated for card data (docs/security.md, "Card data"). Paths are relative to
 * the payload; `*` stands for every item of an array. Enums and literals are not listed: they cannot hold free text.
 */
export interface PayloadTextFields {
  /** Typed or chosen by a person, or a reference to something outside the journal: scanned for card numbers. */
  freeText: readonly string[];
  /** Ids, codes and barcodes: never scanned, because long digit runs are normal there and would match by chance. */
  identifiers: readonly string[];
}

const CASH_MOVEMENT_IDENTIFIERS = ['shiftId', 'currency', 'employeeId', 'approvalId', 'approvedBy'];

/**
 * Every event type declares its text fields, and a test holds each declaration to its schema: a new type, or a new
 * text field in an existing one, is not done until it is listed as free text or as an identifier. One list serves
 * every version of a type: a field a version lacks is simply absent. It names the latest version's fields; the
 * fields only older versions have (`staffId`, `managerId`) were identifiers, which are never scanned, and no free-text
 * field was renamed.
 */

const SALE_TEXT_FIELDS: PayloadTextFields = {
  freeText: [
    'lines.*.name',
    'lines.*.adjustments.*.ref',
    'promotions.*.name',
    'taxes.*.name',
    'tenders.*.ref',
    'lines.*.overrideReason',
  ],
  identifiers: [
    'currency',
    'jurisdiction',
    'timeZone',
    'receiptNumber',
    'lines.*.lineId',
    'lines.*.productId',
    'lines.*.sku',
    'lines.*.barcode',
    'lines.*.taxCategory',
    'lines.*.taxes.*.code',
    'promotions.*.promotionId',
    'taxes.*.code',
    'approvals.*.lineId',
    'approvals.*.approvedBy',
    'approvals.*.approvalId',
    'employeeId',
    'shiftId',
    'lines.*.ageCheck.checkedBy',
    'lines.*.ageCheck.checkedAt',
    // The store's name, address and tax id come from HQ's configuration, never from a cashier, and a tax id may
    // pass the card-number check (a French SIRET does): a store's own details must not refuse its every sale.
    'store.name',
    'store.address.*',
    'store.taxId',
  ],
};

export const PAYLOAD_TEXT_FIELDS: { readonly [T in EventType]: PayloadTextFields } = {
  sale: SALE_TEXT_FIELDS,
  return: {
    freeText: ['refunds.*.ref', 'reason'],
    identifiers: [
      'originalSaleId',
      'originalStoreId',
      'originalTerminalId',
      'currency',
      'lines.*.lineId',
      'lines.*.productId',
      'lines.*.taxes.*.code',
      'taxes.*.code',
      'authorization.token',
      'authorization.approvedBy',
      'authorization.approvalId',
      'employeeId',
    ],
  },
  void: {
    freeText: ['reason'],
    identifiers: ['voidedEventId', 'employeeId', 'approvalId', 'approvedBy', 'shiftId'],
  },
  'no-sale': { freeText: ['reason'], identifiers: ['employeeId', 'approvalId', 'shiftId'] },
  'shift-open': { freeText: [], identifiers: ['shiftId', 'employeeId', 'currency', 'approvalId'] },
  'shift-close': { freeText: [], identifiers: ['shiftId', 'employeeId', 'approvalId'] },
  'cash-drop': { freeText: ['reason'], identifiers: CASH_MOVEMENT_IDENTIFIERS },
  'paid-in': { freeText: ['reason'], identifiers: CASH_MOVEMENT_IDENTIFIERS },
  'paid-out': { freeText: ['reason'], identifiers: CASH_MOVEMENT_IDENTIFIERS },
  'price-override': {
    freeText: ['reason'],
    identifiers: ['saleId', 'lineId', 'productId', 'employeeId', 'approvalId', 'approvedBy'],
  },
  'manager-approval': {
    freeText: ['subject', 'reason'],
    identifiers: ['approvalId', 'employeeId', 'approverId'],
  },
  'employee-signed-in': { freeText: [], identifiers: ['employeeId'] },
  'employee-signed-out': { freeText: [], identifiers: ['employeeId'] },
  'employee-locked-out': { freeText: [], identifiers: ['employeeId', 'lockedUntil'] },
  'employee-unlocked': { freeText: [], identifiers: ['employeeId', 'unlockedBy', 'approvalId'] },
  'training-sale': SALE_TEXT_FIELDS,
  'training-mode': { freeText: [], identifiers: ['employeeId', 'approvalId'] },
};

/**
 * The receipt number of a sale written before v5 (and of the slips and reports, which have no count of their own):
 * derived from where the event sits in its terminal's journal. `saleNumber` of v5 sales has the same shape.
 */
export function receiptNumber(terminalId: string, epoch: number, seq: number): string {
  return `${terminalId}-${epoch}-${String(seq).padStart(6, '0')}`;
}

/** The prefix of a training sale's receipt number: training has its own count, and never looks like a sale. */
export const TRAINING_RECEIPT_PREFIX = 'TRN-';

/** The receipt number of the `count`th sale (or training sale) of a till in an epoch. */
export function saleNumber(terminalId: string, epoch: number, count: number, training: boolean): string {
  return `${training ? TRAINING_RECEIPT_PREFIX : ''}${receiptNumber(terminalId, epoch, count)}`;
}

/** The count a receipt number ends with: `T1-2-000042` → 42; null when it does not end with one. */
export function receiptCount(number: string): number | null {
  const match = /-(\d+)$/.exec(number);
  return match ? Number(match[1]) : null;
}

/** The number a sale's receipt carries: the one it holds from v5 on, else the one of its place in the journal. */
export function saleReceiptNumber(sale: {
  terminalId: string;
  epoch: number;
  seq: number;
  payload: { receiptNumber?: string | null };
}): string {
  return sale.payload.receiptNumber ?? receiptNumber(sale.terminalId, sale.epoch, sale.seq);
}

export { LineMeasureV1, ReturnPayloadV3 };
