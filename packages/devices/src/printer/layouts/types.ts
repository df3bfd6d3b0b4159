/**
 * The inputs of the receipt layouts: plain typed data, no journal types, so any app can map its own records
 * onto them. Every amount is an integer in minor units of `currency` (cents for EUR, yen for JPY).
 */
import type { ReceiptImage } from '../receipt-document.js';

export interface ReceiptHeaderData {
  storeName: string;
  /** Address lines, printed centred under the store name. */
  address?: readonly string[];
  /** VAT / tax registration number, printed under the address. */
  taxId?: string;
  terminalId: string;
  /** The receipt (or report) number as the customer sees it. */
  receiptNumber: string;
  /** ISO 8601 date-time; printed as "YYYY-MM-DD HH:MM:SS" (the local time already applied by the caller). */
  time: string;
  cashier?: string;
}

export interface ReceiptDiscount {
  label: string;
  /** The reduction, positive: printed as a negative amount. */
  amount: number;
}

export interface ReceiptItem {
  name: string;
  /** Units (integer) or a measured quantity (e.g. 0.375 with unit "kg"); never money. */
  quantity: number;
  unit?: string;
  unitPrice: number;
  /** The line amount before line discounts (quantity × unit price, as the pricing engine computed it). */
  amount: number;
  discounts?: readonly ReceiptDiscount[];
  /** Tax code printed after the amount ("A", "B"), matching a ReceiptTax.code. */
  taxCode?: string;
}

export interface ReceiptTax {
  code: string;
  /** e.g. "VAT 20%"; defaults to the code. */
  label?: string;
  taxable: number;
  tax: number;
}

export interface ReceiptTender {
  /** e.g. "Cash", "Card". */
  label: string;
  amount: number;
  /** A second line, e.g. a masked card number or an approval code. */
  detail?: string;
}

/** What every customer-facing layout shares. */
interface ReceiptCommon {
  header: ReceiptHeaderData;
  currency: string;
  /** Minor-unit exponent when `currency` is not in CURRENCY_EXPONENTS. */
  currencyExponent?: number;
  /** Printed as a QR code: the receipt id (the lookup key for returns and reprints). */
  receiptId: string;
  /** Payload of the QR code; defaults to `receiptId`. */
  qrData?: string;
  /** A logo printed centred above the header (width a multiple of 8, at most the paper width in dots). */
  logo?: ReceiptImage;
  /** Lines at the bottom ("Thank you", return policy), centred. */
  footer?: readonly string[];
  /** A reprint: COPY banners at the top and the bottom. */
  copy?: boolean;
}

export interface SaleReceiptData extends ReceiptCommon {
  items: readonly ReceiptItem[];
  /** Discounts on the whole basket (line discounts go on the items). */
  discounts?: readonly ReceiptDiscount[];
  /** Amount due, after discounts (and cash rounding). */
  total: number;
  /** True when prices include tax (the tax lines then read "incl."). */
  pricesIncludeTax?: boolean;
  taxes: readonly ReceiptTax[];
  /** Cash rounding applied to the total (signed), when not zero. */
  cashRounding?: number;
  tenders: readonly ReceiptTender[];
  change: number;
}

export interface ReturnReceiptData extends ReceiptCommon {
  /** The receipt number of the sale being returned, when known. */
  originalReceiptNumber?: string;
  reason?: string;
  /** Returned items; amounts positive (printed as refunds). */
  items: readonly ReceiptItem[];
  /** Refund total, positive. */
  total: number;
  pricesIncludeTax?: boolean;
  /** Tax refunded per rate, positive. */
  taxes: readonly ReceiptTax[];
  /** How the refund was paid out, positive amounts. */
  refunds: readonly ReceiptTender[];
}

/** An X (mid-shift, read only) or Z (end of shift) report: the shape of the ledger's shiftReport projection. */
export interface ShiftReportData {
  header: ReceiptHeaderData;
  currency: string;
  currencyExponent?: number;
  /** The report's id, printed as a QR code. */
  reportId: string;
  logo?: ReceiptImage;
  copy?: boolean;
  shiftId: string;
  staffId: string;
  openedAt: string;
  closedAt: string | null;
  sales: { count: number; subtotal: number; discountTotal: number; taxTotal: number; total: number };
  returns: { count: number; total: number };
  voids: { count: number; total: number };
  noSales: number;
  taxes: readonly { code: string; label?: string; amount: number }[];
  tenders: readonly { label: string; taken: number; refunded: number; net: number }[];
  cash: {
    openingFloat: number;
    sales: number;
    refunds: number;
    paidIn: number;
    paidOut: number;
    drops: number;
    expected: number;
  };
  /** Counted against expected per tender; required for a Z report. */
  close: {
    tenders: readonly { label: string; expected: number; counted: number; overShort: number }[];
  } | null;
}

/** Layout options: the column count of the target profile (names are wrapped to it). */
export interface LayoutOptions {
  columns: number;
}
