/**
 * `@tillwright/receipts`: receipt layouts (sale, return, X and Z report) as pure functions from plain data to a
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
export { returnReceiptLayout, saleReceiptLayout } from './sale.js';
export { xReportLayout, zReportLayout } from './shift-report.js';
export { wrapText } from './text.js';
export type {
  LayoutOptions,
  ReceiptDiscount,
  ReceiptHeaderData,
  ReceiptItem,
  ReceiptTax,
  ReceiptTender,
  ReturnReceiptData,
  SaleReceiptData,
  ShiftReportData,
} from './types.js';
