/**
 * Slips for the drawer, not for the customer: a post-void (what was voided, what was handed back) and a cash
 * movement (drop, paid in, paid out). Each names who did it and who approved it, and ends on a signature line.
 */
import {
  DEFAULT_LAYOUT,
  footerBlocks,
  headerBlocks,
  itemBlocks,
  qrBlocks,
  wrappedColumns,
} from './common.js';
import type { ReceiptBlock, ReceiptDocument } from './document.js';
import { moneyFormatter } from './money.js';
import type { CashMovementSlipData, LayoutOptions, VoidSlipData } from './types.js';

export function voidSlipLayout(data: VoidSlipData, options: LayoutOptions = DEFAULT_LAYOUT): ReceiptDocument {
  const money = moneyFormatter(data.currency, data.currencyExponent);
  const { columns } = options;
  const blocks: ReceiptBlock[] = headerBlocks(data.header, data.logo, 'POST-VOID', data.copy, columns);
  blocks.push(
    { kind: 'columns', left: 'Original receipt', right: data.originalReceiptNumber },
    { kind: 'rule' },
  );
  for (const item of data.items) blocks.push(...itemBlocks(item, money, columns, -1));
  blocks.push(
    { kind: 'rule' },
    { kind: 'text', text: `VOID ${data.currency} ${money(-data.total)}`, bold: true, size: 'double' },
  );
  for (const tender of data.handedBack) {
    blocks.push(...wrappedColumns(`Handed back ${tender.label}`, money(tender.amount), columns));
    if (tender.detail !== undefined) blocks.push({ kind: 'columns', left: `  ${tender.detail}`, right: '' });
  }
  blocks.push({ kind: 'rule' }, ...whoAndWhy(data, columns));
  return {
    blocks: [...blocks, ...qrBlocks(data.eventId), ...signature(), ...footerBlocks(undefined, data.copy)],
  };
}

const MOVEMENT_TITLES = { 'cash-drop': 'CASH DROP', 'paid-in': 'PAID IN', 'paid-out': 'PAID OUT' } as const;

export function cashMovementSlipLayout(
  data: CashMovementSlipData,
  options: LayoutOptions = DEFAULT_LAYOUT,
): ReceiptDocument {
  const money = moneyFormatter(data.currency, data.currencyExponent);
  const { columns } = options;
  const blocks: ReceiptBlock[] = headerBlocks(
    data.header,
    data.logo,
    MOVEMENT_TITLES[data.type],
    data.copy,
    columns,
  );
  const direction = data.type === 'paid-in' ? 'into the drawer' : 'out of the drawer';
  blocks.push(
    {
      kind: 'text',
      text: `${data.currency} ${money(data.amount)}`,
      bold: true,
      size: 'double',
      align: 'center',
    },
    { kind: 'text', text: direction, align: 'center' },
    { kind: 'rule' },
    ...whoAndWhy(data, columns),
  );
  return {
    blocks: [...blocks, ...qrBlocks(data.eventId), ...signature(), ...footerBlocks(undefined, data.copy)],
  };
}

function whoAndWhy(
  data: Pick<VoidSlipData, 'reason' | 'employee' | 'approvedBy'>,
  columns: number,
): ReceiptBlock[] {
  return [
    ...wrappedColumns(`Reason: ${data.reason}`, '', columns),
    ...wrappedColumns(`By: ${data.employee}`, '', columns),
    ...(data.approvedBy === undefined ? [] : wrappedColumns(`Approved by: ${data.approvedBy}`, '', columns)),
  ];
}

function signature(): ReceiptBlock[] {
  return [
    { kind: 'feed', lines: 1 },
    { kind: 'text', text: 'Signature:', align: 'left' },
    { kind: 'feed', lines: 2 },
    { kind: 'rule' },
  ];
}
