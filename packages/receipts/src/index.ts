/**
 * `@tillwright/receipts`: receipt layouts (sale, return, X and Z report, void and cash movement slips) as pure functions from plain data to a
 * ReceiptDocument, the document model the printers encode, and the word wrap both use. Money is formatted by
 * @tillwright/commerce; the shift report is @tillwright/protocol's. Sample inputs: `@tillwright/receipts/samples`.
 */
export {
  COPY_BANNER,
  formatQuantity,
  printedTime,
  TENDER_LABELS,
  wrappedColumns,
} from './common.js';
export type { ReceiptBlock, ReceiptDocument, ReceiptImage, TextAlign, TextSize } from './document.js';
export { moneyFormatter, ReceiptLayoutError, type ReceiptLayoutErrorCode } from './money.js';
export { returnReceiptLayout, saleReceiptLayout, TRAINING_BANNER } from './sale.js';
export { xReportLayout, zReportLayout } from './shift-report.js';
export { cashMovementSlipLayout, voidSlipLayout } from './slips.js';
export { wrapText } from './text.js';
export type {
  CashMovementSlipData,
  LayoutOptions,
  ReceiptDiscount,
  ReceiptHeaderData,
  ReceiptItem,
  ReceiptTax,
  ReceiptTender,
  ReturnReceiptData,
  SaleReceiptData,
  ShiftReportData,
  VoidSlipData,
} from './types.js';
