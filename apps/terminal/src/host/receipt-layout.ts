import { formatLocalIso } from '@tillwright/commerce';
import type { LatestEvent } from '@tillwright/protocol';
import { receiptNumber, saleReceiptNumber } from '@tillwright/protocol';
import {
  type ReceiptDocument,
  type ReceiptHeaderData,
  type ReceiptItem,
  type SaleReceiptData,
  saleReceiptLayout,
  TENDER_LABELS,
} from '@tillwright/receipts';
import { receiptAdjustments } from './receipt-adjustments.js';

/** The store as its receipts name it: the config's legal details (v5) when HQ set them. */
export interface StoreHeader {
  storeName: string;
  address?: readonly string[];
  taxId?: string;
}

/**
 * The store header read from the feed's configuration each time it is printed, so a change from HQ shows on the next
 * receipt: its name (else `fallbackName`, the till's command-line store name), address lines and tax id.
 */
export function configuredHeader(
  config: () => { storeName?: string; storeAddress?: readonly string[]; taxId?: string },
  fallbackName: string,
): StoreHeader {
  return {
    get storeName() {
      return config().storeName ?? fallbackName;
    },
    get address() {
      return config().storeAddress;
    },
    get taxId() {
      return config().taxId;
    },
  };
}

/**
 * The store header a recorded sale's receipt prints: the store details the sale records (v6 on, as its receipt printed
 * them), so a reprint after HQ renamed or moved the store says what the original said; `today` for a sale that
 * records none, and for a name it recorded as missing.
 */
export function recordedHeader(
  store: { name: string | null; address: readonly string[]; taxId: string | null } | null,
  today: StoreHeader,
): StoreHeader {
  if (store === null) return today;
  return {
    storeName: store.name ?? today.storeName,
    ...(store.address.length === 0 ? {} : { address: store.address }),
    ...(store.taxId === null ? {} : { taxId: store.taxId }),
  };
}

function legalLines(header: StoreHeader): Pick<ReceiptHeaderData, 'address' | 'taxId'> {
  const { address, taxId } = header;
  return { ...(address === undefined ? {} : { address }), ...(taxId === undefined ? {} : { taxId }) };
}

/** A sale or a training sale as the journal holds it, read at its type's latest version. */
export type RecordedSaleEvent = LatestEvent<'sale'> | LatestEvent<'training-sale'>;

/** The name a receipt prints for the employee who rang the sale up. */
export type CashierName = (employeeId: string) => string;

/**
 * The customer receipt of a committed sale, in the receipts package's sale layout. Everything printed comes from
 * the journal event: the lines with their discounts, the tax breakdown, the tenders as tendered, and the change.
 * The time printed is the store's wall clock at the sale, in `timeZone` (IANA), never UTC; the cashier is the
 * employee the sale records (v3 on), by the name `cashierName` gives.
 */
export function saleReceiptData(
  event: RecordedSaleEvent,
  header: StoreHeader,
  timeZone: string,
  cashierName: CashierName,
): SaleReceiptData {
  const sale = event.payload;
  const { employeeId } = sale;
  return {
    header: {
      storeName: header.storeName,
      ...legalLines(header),
      terminalId: event.terminalId,
      receiptNumber: saleReceiptNumber(event),
      time: formatLocalIso(event.occurredAt, timeZone),
      ...(employeeId === null ? {} : { cashier: cashierName(employeeId) }),
    },
    currency: sale.currency,
    receiptId: event.eventId,
    qrData: `tw:${event.eventId}`,
    // Overrides, line and basket discounts in the customer's words (receipt-adjustments.ts).
    ...receiptAdjustments(sale),
    // What the customer pays: the priced total plus any cash rounding (printed on its own line above).
    total: sale.total + sale.cashRounding,
    pricesIncludeTax: sale.pricesIncludeTax,
    taxes: sale.taxes.map((tax) => ({ code: tax.code, label: tax.name, taxable: tax.taxable, tax: tax.tax })),
    cashRounding: sale.cashRounding,
    tenders: sale.tenders.map((tender) => ({ label: TENDER_LABELS[tender.kind], amount: tender.tendered })),
    change: sale.change,
    footer: ['Thank you'],
    training: event.type === 'training-sale',
  };
}

/** A sale's lines as a receipt or a void slip prints them, each with its discounts by name. */
export function receiptItems({ payload: sale }: RecordedSaleEvent): ReceiptItem[] {
  const promotionName = (ref: string) => sale.promotions.find((p) => p.promotionId === ref)?.name ?? ref;
  return sale.lines.map((line) => ({
    name: line.name,
    // A weighed line prints its weight × the price per kg/lb ("0.512 kg x 3.99"); the receipts package prints a
    // measured quantity with 3 decimals.
    ...(line.measure
      ? {
          quantity: line.measure.value / 1000,
          unit: line.measure.unit === 'g' ? 'kg' : 'lb',
          unitPrice: line.measure.pricePerUnit,
        }
      : { quantity: line.quantity, unitPrice: line.unitPrice }),
    amount: line.extended,
    discounts: line.adjustments.map((adjustment) => ({
      label: adjustment.source === 'promotion' ? promotionName(adjustment.ref) : adjustment.ref,
      amount: adjustment.amount,
    })),
  }));
}

/** What a slip is for, named by the prefix of its number. */
export const SLIP_PREFIXES = { void: 'VOID', cash: 'CASH' } as const;
export type SlipKind = keyof typeof SLIP_PREFIXES;

/**
 * A slip's number: its event's place in the journal under the prefix of its kind, `VOID-T1-1-000005`. Sale receipts
 * count `T1-1-000001` on their own (decision 0017), so without the prefix a slip could print a sale's number; with
 * it, none can (a sale's number starts with the till id, never with `VOID-` or `CASH-` before it).
 */
export function slipNumber(
  kind: SlipKind,
  event: { terminalId: string; epoch: number; seq: number },
): string {
  return `${SLIP_PREFIXES[kind]}-${receiptNumber(event.terminalId, event.epoch, event.seq)}`;
}

/**
 * The header of a slip the till prints for one of its journal events: the store, the till, the slip's number
 * (`slipNumber`) and its time on the store's clock.
 */
export function eventHeader(
  kind: SlipKind,
  event: { terminalId: string; epoch: number; seq: number; occurredAt: string },
  header: StoreHeader,
  timeZone: string,
): ReceiptHeaderData {
  return {
    storeName: header.storeName,
    ...legalLines(header),
    terminalId: event.terminalId,
    receiptNumber: slipNumber(kind, event),
    time: formatLocalIso(event.occurredAt, timeZone),
  };
}

export function saleReceipt(
  event: RecordedSaleEvent,
  header: StoreHeader,
  columns: number,
  timeZone: string,
  cashierName: CashierName,
  copy = false,
): ReceiptDocument {
  const data = saleReceiptData(event, header, timeZone, cashierName);
  return saleReceiptLayout(copy ? { ...data, copy } : data, { columns });
}
