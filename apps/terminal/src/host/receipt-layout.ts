import { formatLocalIso } from '@tillwright/commerce';
import type { SaleEvent } from '@tillwright/protocol';
import { receiptNumber, upcastPayload } from '@tillwright/protocol';
import {
  type ReceiptDocument,
  type SaleReceiptData,
  saleReceiptLayout,
  TENDER_LABELS,
} from '@tillwright/receipts';

export interface StoreHeader {
  storeName: string;
}

/** The name a receipt prints for the employee who rang the sale up. */
export type CashierName = (employeeId: string) => string;

/**
 * The customer receipt of a committed sale, in the receipts package's sale layout. Everything printed comes from
 * the journal event: the lines with their discounts, the tax breakdown, the tenders as tendered, and the change.
 * The time printed is the store's wall clock at the sale, in `timeZone` (IANA), never UTC; the cashier is the
 * employee the sale records (v3 on), by the name `cashierName` gives.
 */
export function saleReceiptData(
  event: SaleEvent,
  header: StoreHeader,
  timeZone: string,
  cashierName: CashierName,
): SaleReceiptData {
  const sale = event.payload;
  const promotionName = (ref: string) => sale.promotions.find((p) => p.promotionId === ref)?.name ?? ref;
  const { employeeId } = upcastPayload('sale', event.schema, sale).payload;
  return {
    header: {
      storeName: header.storeName,
      terminalId: event.terminalId,
      receiptNumber: receiptNumber(event.terminalId, event.epoch, event.seq),
      time: formatLocalIso(event.occurredAt, timeZone),
      ...(employeeId === null ? {} : { cashier: cashierName(employeeId) }),
    },
    currency: sale.currency,
    receiptId: event.eventId,
    qrData: `tw:${event.eventId}`,
    items: sale.lines.map((line) => ({
      name: line.name,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      amount: line.extended,
      discounts: line.adjustments.map((adjustment) => ({
        label: adjustment.source === 'promotion' ? promotionName(adjustment.ref) : adjustment.ref,
        amount: adjustment.amount,
      })),
    })),
    // What the customer pays: the priced total plus any cash rounding (printed on its own line above).
    total: sale.total + sale.cashRounding,
    pricesIncludeTax: sale.pricesIncludeTax,
    taxes: sale.taxes.map((tax) => ({ code: tax.code, label: tax.name, taxable: tax.taxable, tax: tax.tax })),
    cashRounding: sale.cashRounding,
    tenders: sale.tenders.map((tender) => ({ label: TENDER_LABELS[tender.kind], amount: tender.tendered })),
    change: sale.change,
    footer: ['Thank you'],
  };
}

export function saleReceipt(
  event: SaleEvent,
  header: StoreHeader,
  columns: number,
  timeZone: string,
  cashierName: CashierName,
): ReceiptDocument {
  return saleReceiptLayout(saleReceiptData(event, header, timeZone, cashierName), { columns });
}
