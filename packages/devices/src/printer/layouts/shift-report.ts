/**
 * X and Z reports (mid-shift and end-of-shift) from the ledger's shift report: sales, returns, voids, tax per
 * rate, tenders, the expected drawer and, on a Z report, counted against expected per tender.
 */
import type { ReceiptBlock, ReceiptDocument } from '../receipt-document.js';
import {
  DEFAULT_LAYOUT,
  footerBlocks,
  headerBlocks,
  printedTime,
  qrBlocks,
  wrappedColumns,
} from './common.js';
import { moneyFormatter, ReceiptLayoutError } from './money.js';
import type { LayoutOptions, ShiftReportData } from './types.js';

export function xReportLayout(
  data: ShiftReportData,
  options: LayoutOptions = DEFAULT_LAYOUT,
): ReceiptDocument {
  return shiftReport('X REPORT', data, options, false);
}

/** The end-of-shift report; refuses a shift that has not been closed (there is nothing counted to print). */
export function zReportLayout(
  data: ShiftReportData,
  options: LayoutOptions = DEFAULT_LAYOUT,
): ReceiptDocument {
  if (data.close === null) {
    throw new ReceiptLayoutError('invalid_report', `shift ${data.shiftId} is not closed: print an X report`);
  }
  return shiftReport('Z REPORT', data, options, true);
}

function shiftReport(
  title: string,
  data: ShiftReportData,
  { columns }: LayoutOptions,
  final: boolean,
): ReceiptDocument {
  const money = moneyFormatter(data.currency, data.currencyExponent);
  const row = (left: string, right: string): ReceiptBlock[] => wrappedColumns(left, right, columns);
  const heading = (text: string): ReceiptBlock => ({ kind: 'text', text, bold: true });
  const blocks: ReceiptBlock[] = headerBlocks(data.header, data.logo, title, data.copy, columns);
  blocks.push(
    ...row('Shift', data.shiftId),
    ...row('Staff', data.staffId),
    ...row('Opened', printedTime(data.openedAt)),
    ...row('Closed', data.closedAt === null ? 'open' : printedTime(data.closedAt)),
    { kind: 'rule' },
    heading(`Sales (${data.currency})`),
    ...row(`  Count`, String(data.sales.count)),
    ...row(`  Subtotal`, money(data.sales.subtotal)),
    ...row(`  Discounts`, money(-data.sales.discountTotal)),
    ...row(`  Tax`, money(data.sales.taxTotal)),
    ...row(`  Total`, money(data.sales.total)),
    ...row(`Returns (${data.returns.count})`, money(-data.returns.total)),
    ...row(`Voids (${data.voids.count})`, money(-data.voids.total)),
    ...row('No sales', String(data.noSales)),
    { kind: 'rule' },
    heading('Tax per rate'),
  );
  for (const tax of data.taxes)
    blocks.push(...wrappedColumns(tax.label ?? tax.code, money(tax.amount), columns, { indent: 2 }));
  blocks.push({ kind: 'rule' }, heading('Tenders: taken / refunded / net'));
  for (const tender of data.tenders) {
    blocks.push(...wrappedColumns(tender.label, money(tender.net), columns, { indent: 2 }), {
      kind: 'columns',
      left: `    ${money(tender.taken)} / ${money(-tender.refunded)}`,
      right: '',
    });
  }
  const cash = data.cash;
  blocks.push(
    { kind: 'rule' },
    heading('Cash drawer'),
    ...row('  Opening float', money(cash.openingFloat)),
    ...row('  Cash sales', money(cash.sales)),
    ...row('  Cash refunds', money(-cash.refunds)),
    ...row('  Paid in', money(cash.paidIn)),
    ...row('  Paid out', money(-cash.paidOut)),
    ...row('  Drops', money(-cash.drops)),
    { kind: 'columns', left: '  Expected in drawer', right: money(cash.expected), bold: true },
  );
  if (final && data.close !== null) {
    blocks.push({ kind: 'rule' }, heading('Counted / expected / over-short'));
    for (const tender of data.close.tenders) {
      const overShort = tender.overShort > 0 ? `+${money(tender.overShort)}` : money(tender.overShort);
      blocks.push(...wrappedColumns(tender.label, overShort, columns, { indent: 2 }), {
        kind: 'columns',
        left: `    ${money(tender.counted)} / ${money(tender.expected)}`,
        right: '',
      });
    }
    blocks.push({ kind: 'text', text: 'Shift closed. Totals reset.', align: 'center' });
  } else {
    blocks.push({ kind: 'text', text: 'Read only: totals not reset.', align: 'center' });
  }
  blocks.push(...qrBlocks(data.reportId));
  blocks.push(...footerBlocks(undefined, data.copy));
  return { blocks };
}
