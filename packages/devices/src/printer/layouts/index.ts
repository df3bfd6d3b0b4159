export { COPY_BANNER, formatQuantity, printedTime, wrappedColumns } from './common.js';
export {
  CURRENCY_EXPONENTS,
  currencyExponent,
  formatMinorUnits,
  moneyFormatter,
  ReceiptLayoutError,
  type ReceiptLayoutErrorCode,
} from './money.js';
export { returnReceiptLayout, saleReceiptLayout } from './sale.js';
export { xReportLayout, zReportLayout } from './shift-report.js';
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
