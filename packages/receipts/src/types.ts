/**
 * The inputs of the receipt layouts: plain typed data, so any app can map its own records onto them; the X and Z
 * reports take the protocol's ShiftReport as the ledger computes it. Every amount is an integer in minor units of
 * the currency (cents for EUR, yen for JPY).
 */
import type { ShiftReport, TenderKind } from '@tillwright/protocol';
import type { ReceiptImage } from './document.js';

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
  /** Minor-unit exponent when `currency` is not in @tillwright/commerce's currency table. */
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
  /** Rung up in training mode: "TRAINING - NOT A SALE" at the top and the bottom. */
  training?: boolean;
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

/**
 * An X (mid-shift, read only) or Z (end of shift) report: the ledger's shift report (@tillwright/protocol's
 * `ShiftReport`, one definition of its shape) and how to present it.
 */
export interface ShiftReportData {
  header: ReceiptHeaderData;
  /** The figures printed, in minor units of `report.currency`. */
  report: ShiftReport;
  /** Minor-unit exponent when `report.currency` is not in @tillwright/commerce's currency table. */
  currencyExponent?: number;
  /** The report's id, printed as a QR code. */
  reportId: string;
  /**
   * IANA time zone (`Europe/Brussels`) the shift's opening and closing are printed in; the report holds UTC
   * instants, printed as UTC when this is absent.
   */
  timeZone?: string;
  /** Printed names of the tax codes (`A` → `VAT A 21%`); a code without one prints as the code. */
  taxLabels?: Readonly<Record<string, string>>;
  /** Printed names of the tenders, over TENDER_LABELS. */
  tenderLabels?: Readonly<Partial<Record<TenderKind, string>>>;
  /**
   * Employees' names by employee id (who opened and closed the shift, who moved cash); an id without one prints as
   * the id.
   */
  names?: Readonly<Record<string, string>>;
  /** Who gave each approval, by approval id (a cash movement's `approvalId`); one without prints as "approved". */
  approvers?: Readonly<Record<string, string>>;
  logo?: ReceiptImage;
  copy?: boolean;
}

/** What a slip shares: the header, currency and how it is printed. Slips are signed, never handed to a customer. */
interface SlipCommon {
  header: ReceiptHeaderData;
  currency: string;
  /** Minor-unit exponent when `currency` is not in @tillwright/commerce's currency table. */
  currencyExponent?: number;
  /** The journal event's id, printed as a QR code. */
  eventId: string;
  reason: string;
  /** The name of the employee who did it, and of the manager who approved it (absent: no approval was needed). */
  employee: string;
  approvedBy?: string;
  logo?: ReceiptImage;
  copy?: boolean;
}

/** A post-void: the original sale cancelled, the money handed back. */
export interface VoidSlipData extends SlipCommon {
  originalReceiptNumber: string;
  /** The voided sale's items, amounts positive (printed as taken back). */
  items: readonly ReceiptItem[];
  /** The voided sale's total, positive. */
  total: number;
  /** What was handed back, per tender, positive. */
  handedBack: readonly ReceiptTender[];
}

/** A cash drop, paid in or paid out. */
export interface CashMovementSlipData extends SlipCommon {
  type: 'cash-drop' | 'paid-in' | 'paid-out';
  /** Positive. */
  amount: number;
}

/** Layout options: the column count of the target profile (names are wrapped to it). */
export interface LayoutOptions {
  columns: number;
}
