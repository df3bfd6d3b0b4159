/**
 * X and Z reports (mid-shift and end-of-shift) from the ledger's shift report: who opened (and closed) it, the float
 * count, sales, returns, voids, tax per rate, tenders, the expected drawer, the cash movements and, on a Z report,
 * the cash count by denomination (blind or not) and counted against expected per tender.
 */
import { formatLocalIso } from '@tillwright/commerce';
import type { ShiftReport, TenderKind } from '@tillwright/protocol';
import {
  DEFAULT_LAYOUT,
  footerBlocks,
  headerBlocks,
  printedTime,
  qrBlocks,
  TENDER_LABELS,
  wrappedColumns,
} from './common.js';
import type { ReceiptBlock, ReceiptDocument } from './document.js';
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
  if (data.report.close === null) {
    throw new ReceiptLayoutError(
      'invalid_report',
      `shift ${data.report.shiftId} is not closed: print an X report`,
    );
  }
  return shiftReport('Z REPORT', data, options, true);
}

function shiftReport(
  title: string,
  data: ShiftReportData,
  { columns }: LayoutOptions,
  final: boolean,
): ReceiptDocument {
  const { report } = data;
  const money = moneyFormatter(report.currency, data.currencyExponent);
  const label = (kind: TenderKind) => data.tenderLabels?.[kind] ?? TENDER_LABELS[kind];
  const time = (instant: string) => printedTime(localTime(instant, data.timeZone));
  const row = (left: string, right: string): ReceiptBlock[] => wrappedColumns(left, right, columns);
  const heading = (text: string): ReceiptBlock => ({ kind: 'text', text, bold: true });
  const name = (employeeId: string) => data.names?.[employeeId] ?? employeeId;
  const blocks: ReceiptBlock[] = headerBlocks(data.header, data.logo, title, data.copy, columns);
  blocks.push(
    ...row('Shift', report.shiftId),
    ...row('Opened', time(report.openedAt)),
    ...row('Opened by', name(report.openedBy)),
    ...row('Closed', report.closedAt === null ? 'open' : time(report.closedAt)),
    ...(report.closedBy === null ? [] : row('Closed by', name(report.closedBy))),
  );
  if (report.floatCount !== null) {
    blocks.push({ kind: 'rule' }, heading('Opening float count'));
    blocks.push(...countBlocks(report.floatCount, money, columns));
  }
  blocks.push(
    { kind: 'rule' },
    heading(`Sales (${report.currency})`),
    ...row(`  Count`, String(report.sales.count)),
    ...row(`  Subtotal`, money(report.sales.subtotal)),
    ...row(`  Discounts`, money(-report.sales.discountTotal)),
    ...row(`  Tax`, money(report.sales.taxTotal)),
    ...row(`  Total`, money(report.sales.total)),
    ...row(`Returns (${report.returns.count})`, money(-report.returns.total)),
    // `sales` is already net of voided sales (ShiftReport): they are shown apart, not taken off again.
    ...row(`Voided, not in sales (${report.voids.count})`, money(report.voids.total)),
    ...row('No sales', String(report.noSales)),
    { kind: 'rule' },
    heading('Tax per rate'),
  );
  for (const tax of report.taxes) {
    const name = data.taxLabels?.[tax.code] ?? tax.code;
    blocks.push(...wrappedColumns(name, money(tax.amount), columns, { indent: 2 }));
  }
  blocks.push({ kind: 'rule' }, heading('Tenders: taken / refunded / net'));
  for (const tender of report.tenders) {
    blocks.push(...wrappedColumns(label(tender.kind), money(tender.net), columns, { indent: 2 }), {
      kind: 'columns',
      left: `    ${money(tender.taken)} / ${money(-tender.refunded)}`,
      right: '',
    });
  }
  const cash = report.cash;
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
  if (report.movements.length > 0) {
    blocks.push({ kind: 'rule' }, heading('Cash movements'));
    for (const movement of report.movements) {
      const signed = movement.type === 'paid-in' ? movement.amount : -movement.amount;
      blocks.push(
        ...wrappedColumns(
          `${MOVEMENT_LABELS[movement.type]} ${time(movement.occurredAt).slice(11, 16)}`,
          money(signed),
          columns,
          {
            indent: 2,
          },
        ),
        ...wrappedColumns(movement.reason, '', columns, { indent: 4 }),
        ...wrappedColumns(
          `by ${name(movement.employeeId)}${approval(movement.approvalId, data)}`,
          '',
          columns,
          {
            indent: 4,
          },
        ),
      );
    }
  }
  if (final && report.close !== null) {
    if (report.close.cashCount !== null) {
      blocks.push(
        { kind: 'rule' },
        heading(report.close.blind ? 'Cash counted (blind)' : 'Cash counted'),
        ...countBlocks(report.close.cashCount, money, columns),
      );
    }
    blocks.push({ kind: 'rule' }, heading('Counted / expected / over-short'));
    for (const tender of countedTenders(report.close)) {
      const overShort = tender.overShort > 0 ? `+${money(tender.overShort)}` : money(tender.overShort);
      blocks.push(...wrappedColumns(label(tender.kind), overShort, columns, { indent: 2 }), {
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

const MOVEMENT_LABELS = { 'cash-drop': 'Drop', 'paid-in': 'Paid in', 'paid-out': 'Paid out' } as const;

/** ", approved by Morgan", ", approved" (approver unknown to the caller), or nothing when none was needed. */
function approval(approvalId: string | null, data: ShiftReportData): string {
  if (approvalId === null) return '';
  const approver = data.approvers?.[approvalId];
  return approver === undefined ? ', approved' : `, approved by ${approver}`;
}

/** A count by denomination: "20.00 x 5" and its amount, largest first, then the total. */
function countBlocks(
  counts: readonly { value: number; count: number }[],
  money: (amount: number) => string,
  columns: number,
): ReceiptBlock[] {
  const blocks = [...counts]
    .sort((a, b) => b.value - a.value)
    .filter((c) => c.count > 0)
    .flatMap((c) =>
      wrappedColumns(`${money(c.value)} x ${c.count}`, money(c.value * c.count), columns, { indent: 2 }),
    );
  const total = counts.reduce((sum, c) => sum + c.value * c.count, 0);
  blocks.push({ kind: 'columns', left: '  Total counted', right: money(total), bold: true });
  return blocks;
}

/** The close's three lists (expected, counted, over-short), one row per tender, in the order they first appear. */
function countedTenders(close: NonNullable<ShiftReport['close']>) {
  const lists = [close.expected, close.counted, close.overShort];
  const kinds = [...new Set(lists.flat().map((entry) => entry.kind))];
  const amount = (list: (typeof lists)[number], kind: TenderKind) =>
    list.find((entry) => entry.kind === kind)?.amount ?? 0;
  return kinds.map((kind) => ({
    kind,
    expected: amount(close.expected, kind),
    counted: amount(close.counted, kind),
    overShort: amount(close.overShort, kind),
  }));
}

/** `instant` as the store's wall clock in `timeZone`, or as given without one. */
function localTime(instant: string, timeZone: string | undefined): string {
  if (timeZone === undefined) return instant;
  try {
    return formatLocalIso(instant, timeZone);
  } catch (error) {
    throw new ReceiptLayoutError('invalid_report', `cannot print ${instant} in time zone ${timeZone}`, {
      cause: error,
    });
  }
}
