import type { PinHash } from './employees.js';
import type { JournalEvent } from './event-versions.js';
import type { EventType, PayloadOf, SaleLineV1, SaleLineV2, SalePayloadV1, SalePayloadV6 } from './events.js';
import type { EmployeeFeedItem } from './feed.js';
import { saleLineV2 } from './payload-casts.js';
import type { ShiftReport } from './shift-report.js';

/**
 * Version 1 sale lines as version 6 has them: products sold by the unit at their catalog price, nothing checked. For
 * tests that build a latest sale from `sampleSalePayload`. Not used by production code.
 */
export function asLatestSaleLines(lines: readonly SaleLineV1[]): SaleLineV2[] {
  return lines.map(saleLineV2);
}

/**
 * A valid priced sale for tests across the repo: one line of `unitPrice`, tax-inclusive at 19 %, paid in cash.
 * Not used by production code.
 */
export function sampleSalePayload(unitPrice = 250, cashTendered = unitPrice): SalePayloadV1 {
  const tax = Math.round((unitPrice * 19) / 119);
  return {
    currency: 'EUR',
    pricesIncludeTax: true,
    jurisdiction: 'DE',
    lines: [
      {
        lineId: 'l1',
        productId: 'pen',
        sku: 'PEN-BLUE',
        barcode: '4006381333931',
        name: 'Ballpoint pen, blue',
        quantity: 1,
        taxCategory: 'standard',
        catalogUnitPrice: unitPrice,
        unitPrice,
        extended: unitPrice,
        adjustments: [],
        amount: unitPrice,
        net: unitPrice - tax,
        taxes: [{ code: 'VAT19', amount: tax }],
        total: unitPrice,
      },
    ],
    promotions: [],
    taxes: [{ code: 'VAT19', name: 'MwSt 19 %', rate: 190_000, taxable: unitPrice - tax, tax }],
    subtotal: unitPrice,
    discountTotal: 0,
    taxTotal: tax,
    total: unitPrice,
    approvals: [],
    tenders: [
      {
        kind: 'cash',
        ref: null,
        amount: unitPrice,
        tendered: cashTendered,
        change: cashTendered - unitPrice,
      },
    ],
    cashRounding: 0,
    paid: unitPrice,
    change: cashTendered - unitPrice,
    pricedWith: { catalog: 1, priceList: 1, promotions: 0, taxRules: 1 },
  };
}

const SHIFT_ID = '019ab8a0-0000-7000-8000-000000005401';
const SALE_ID = '019ab8a0-0000-7000-8000-000000005402';
const APPROVAL_ID = '019ab8a0-0000-7000-8000-000000005403';
const STAFF = 'staff-1';
const MANAGER = 'manager-1';

/** The types written at version 1 before employees were recorded (#15): each has a later version since. */
export type EventTypeBeforeEmployees = Exclude<
  EventType,
  | 'employee-signed-in'
  | 'employee-signed-out'
  | 'employee-locked-out'
  | 'employee-unlocked'
  | 'training-sale'
  | 'training-mode'
>;
/** A payload of `type` as version `version` has it. */
export type PayloadAt<T extends EventType, V extends number> = Extract<
  JournalEvent,
  { type: T; schema: V }
>['payload'];

/**
 * A valid version 1 payload of every type that had one before employees, as tills wrote them then, with every
 * free-text field present. Not used by production code.
 */
export function sampleV1Payloads(): { [T in EventTypeBeforeEmployees]: PayloadAt<T, 1> } {
  const sale = sampleSalePayload(1000);
  const cashMovement = {
    shiftId: SHIFT_ID,
    currency: 'EUR',
    amount: 5000,
    reason: 'float top-up',
    staffId: STAFF,
    approvedBy: MANAGER,
  };
  return {
    sale: {
      ...sale,
      lines: [
        { ...sale.lines[0]!, adjustments: [{ source: 'manual-line', ref: 'loyal customer', amount: 0 }] },
      ],
      promotions: [{ promotionId: 'SPRING', name: 'Spring sale', amount: 0 }],
      tenders: [{ kind: 'gift-card', ref: 'gc_77aa', amount: 1000, tendered: 1000, change: 0 }],
    },
    return: {
      originalSaleId: SALE_ID,
      originalStoreId: 'S1',
      originalTerminalId: 'T1',
      currency: 'EUR',
      lines: [
        {
          lineId: 'l1',
          productId: 'pen',
          quantity: 1,
          net: 840,
          taxes: [{ code: 'VAT19', amount: 160 }],
          total: 1000,
        },
      ],
      taxes: [{ code: 'VAT19', amount: 160 }],
      total: 1000,
      refunds: [{ tenderIndex: 0, kind: 'gift-card', ref: 'gc_77aa', amount: 1000, paidOut: 1000 }],
      cashRounding: 0,
      reason: 'broken on arrival',
      authorization: { kind: 'local-journal' },
    },
    void: { voidedEventId: SALE_ID, reason: 'rung up twice', approvedBy: MANAGER },
    'no-sale': { reason: 'change for the float', staffId: STAFF },
    'shift-open': { shiftId: SHIFT_ID, staffId: STAFF, currency: 'EUR', openingFloat: 10_000 },
    'shift-close': {
      shiftId: SHIFT_ID,
      staffId: STAFF,
      expected: [{ kind: 'cash', amount: 10_000 }],
      counted: [{ kind: 'cash', amount: 10_000 }],
      overShort: [{ kind: 'cash', amount: 0 }],
    },
    'cash-drop': cashMovement,
    'paid-in': cashMovement,
    'paid-out': cashMovement,
    'price-override': {
      saleId: SALE_ID,
      lineId: 'l1',
      productId: 'pen',
      fromUnitPrice: 1000,
      toUnitPrice: 800,
      reason: 'scuffed box',
      approvedBy: MANAGER,
    },
    'manager-approval': {
      approvalId: APPROVAL_ID,
      managerId: MANAGER,
      action: 'price-override',
      subject: 'line l1',
      reason: 'scuffed box',
    },
  };
}

/**
 * A valid ShiftReport of a closed shift (a Z report), for tests and samples across the repo (the receipt layouts'
 * sample Z report prints it): 57 sales in EUR, taxes A and B, cash and card, the drawer 50 cents short. Not used
 * by production code.
 */
export function sampleClosedShiftReport(): ShiftReport {
  return {
    shiftId: '01959a00-0000-7000-8000-000000000007',
    openedBy: 'zoe',
    closedBy: 'max',
    currency: 'EUR',
    openedAt: '2025-03-14T07:00:00Z',
    closedAt: '2025-03-14T17:00:00Z',
    floatCount: [
      { value: 2000, count: 5 },
      { value: 500, count: 5 },
      { value: 200, count: 10 },
      { value: 50, count: 10 },
    ],
    sales: { count: 57, subtotal: 123450, discountTotal: 2150, taxTotal: 9876, total: 121300 },
    returns: { count: 2, total: 900 },
    voids: { count: 1, total: 450 },
    noSales: 3,
    taxes: [
      { code: 'A', amount: 6543 },
      { code: 'B', amount: 3333 },
    ],
    tenders: [
      { kind: 'cash', taken: 45000, refunded: 900, net: 44100 },
      { kind: 'card', taken: 76300, refunded: 0, net: 76300 },
    ],
    cash: {
      openingFloat: 15000,
      sales: 45000,
      refunds: 900,
      paidIn: 0,
      paidOut: 1200,
      drops: 20000,
      expected: 37900,
    },
    movements: [
      {
        eventId: '01959a00-0000-7000-8000-000000000008',
        type: 'cash-drop',
        amount: 20000,
        reason: 'midday drop to the safe',
        employeeId: 'zoe',
        approvalId: null,
        occurredAt: '2025-03-14T12:00:00Z',
      },
      {
        eventId: '01959a00-0000-7000-8000-00000000000a',
        type: 'paid-out',
        amount: 1200,
        reason: 'window cleaner',
        employeeId: 'zoe',
        approvalId: '01959a00-0000-7000-8000-000000000009',
        occurredAt: '2025-03-14T14:30:00Z',
      },
    ],
    close: {
      expected: [
        { kind: 'cash', amount: 37900 },
        { kind: 'card', amount: 76300 },
      ],
      counted: [
        { kind: 'cash', amount: 37850 },
        { kind: 'card', amount: 76300 },
      ],
      overShort: [
        { kind: 'cash', amount: -50 },
        { kind: 'card', amount: 0 },
      ],
      cashCount: [
        { value: 2000, count: 10 },
        { value: 500, count: 20 },
        { value: 200, count: 25 },
        { value: 100, count: 20 },
        { value: 50, count: 15 },
        { value: 10, count: 10 },
      ],
      blind: true,
    },
  };
}

/**
 * A valid payload of the latest version of every event type, with every free-text field present (lists have an
 * item, nullable references are set), so a test can put something in each field PAYLOAD_TEXT_FIELDS declares: done
 * by `staff-1`, approved by `manager-1` through approval `…5403` where an approval fits (each keeping the approver
 * in its legacy `approvedBy`, so that it can be written at every version). Not used by production code.
 */
export function samplePayloads(): { [T in EventType]: PayloadOf<T> } {
  const v1 = sampleV1Payloads();
  const done = { employeeId: STAFF };
  const approved = { ...done, approvalId: APPROVAL_ID, approvedBy: MANAGER };
  const { staffId: _, ...cashMovement } = v1['cash-drop'];
  const { staffId: _closedBy, ...shiftClose } = v1['shift-close'];
  const inShift = { shiftId: SHIFT_ID };
  // The receipt number is null as a writer hands it over: the ledger assigns it.
  // A v6 line states no weight, keyed price, override or age check here, so that the sale can be written at every
  // version (`withOverrideReason` gives one that fills every free-text field).
  const sale = {
    ...v1.sale,
    lines: v1.sale.lines.map((line) => ({
      ...line,
      kind: 'product' as const,
      measure: null,
      priceEntered: false,
      overrideReason: null,
      ageCheck: null,
    })),
    approvals: [],
    timeZone: 'Europe/Berlin',
    ...done,
    ...inShift,
    receiptNumber: null,
    store: { name: 'Tillwright Mitte', address: ['Torstr. 1', '10119 Berlin'], taxId: 'DE123456789' },
  };
  return {
    sale,
    return: {
      ...v1.return,
      lines: v1.return.lines.map((line) => ({ ...line, measure: null })),
      authorization: { kind: 'local-journal' },
      ...done,
    },
    void: { ...v1.void, ...approved, ...inShift },
    'no-sale': { reason: v1['no-sale'].reason, ...done, approvalId: APPROVAL_ID, ...inShift },
    'shift-open': {
      shiftId: SHIFT_ID,
      currency: 'EUR',
      openingFloat: 10_000,
      ...done,
      floatCount: [
        { value: 5000, count: 1 },
        { value: 1000, count: 4 },
        { value: 100, count: 10 },
      ],
      approvalId: APPROVAL_ID,
    },
    'shift-close': {
      ...shiftClose,
      ...done,
      cashCount: [{ value: 5000, count: 2 }],
      blind: true,
      approvalId: APPROVAL_ID,
    },
    'cash-drop': { ...cashMovement, ...approved },
    'paid-in': { ...cashMovement, ...approved },
    'paid-out': { ...cashMovement, ...approved },
    'price-override': { ...v1['price-override'], ...approved },
    'manager-approval': {
      approvalId: APPROVAL_ID,
      employeeId: STAFF,
      approverId: MANAGER,
      permission: 'priceOverridePercent',
      action: 'price-override',
      subject: 'line l1',
      reason: 'scuffed box',
      requested: { amount: 200 },
    },
    'employee-signed-in': { ...done, method: 'number' },
    'employee-signed-out': { ...done, reason: 'switch' },
    'employee-locked-out': { ...done, failedAttempts: 5, lockedUntil: null },
    'employee-unlocked': { ...done, unlockedBy: MANAGER, approvalId: APPROVAL_ID },
    'training-sale': { ...sale, shiftId: null },
    'training-mode': { on: true, ...done, approvalId: APPROVAL_ID },
  };
}

/**
 * A well-formed PIN hash with the default parameters, its salt and key `fill` repeated, which no PIN is known to
 * match: for employees whose PIN a test never checks. Not used by production code.
 */
export function samplePinHash(fill = 1): PinHash {
  return {
    algorithm: 'scrypt',
    N: 16384,
    r: 8,
    p: 1,
    keyLength: 32,
    salt: Buffer.alloc(16, fill).toString('base64'),
    hash: Buffer.alloc(32, fill).toString('base64'),
  };
}

/**
 * An `employee` feed item for store `storeId`: Ada, number 1042, an active cashier with `samplePinHash(1)`, as
 * `changes` alter her. Not used by production code.
 */
export function sampleEmployeeFeedItem(
  version: number,
  changes: Partial<EmployeeFeedItem['employee']> = {},
  storeId = 'S1',
): EmployeeFeedItem {
  return {
    kind: 'employee',
    version,
    storeId,
    employee: {
      employeeId: 'emp-1',
      number: '1042',
      displayName: 'Ada',
      roleId: 'cashier',
      active: true,
      pin: samplePinHash(1),
      ...changes,
    },
  };
}

/** A v6 sale payload whose first line's price was overridden, for `reason`: it can no longer be written at v5. */
export function withOverrideReason<P extends SalePayloadV6>(sale: P, reason: string): P {
  const [first, ...rest] = sale.lines;
  return { ...sale, lines: [{ ...first!, overrideReason: reason }, ...rest] };
}
