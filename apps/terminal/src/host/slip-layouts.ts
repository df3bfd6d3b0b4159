import { formatMinorUnits } from '@tillwright/commerce';
import type { ReceiptBlock, ReceiptDocument } from '@tillwright/receipts';

/** What every drawer slip names: where, when, who, and who approved. */
export interface SlipCommon {
  storeName: string;
  terminalId: string;
  /** The store's wall clock, "2026-11-25 13:00". */
  time: string;
  currency: string;
  employee: string;
  approver: string | null;
  reason: string;
  eventId: string;
}

export interface CashMovementSlip extends SlipCommon {
  type: 'cash-drop' | 'paid-in' | 'paid-out';
  amount: number;
}

export interface VoidSlip extends SlipCommon {
  originalReceiptNumber: string;
  saleTotal: number;
  refunded: number;
}

const TITLES: Record<CashMovementSlip['type'], string> = {
  'cash-drop': 'CASH DROP',
  'paid-in': 'PAID IN',
  'paid-out': 'PAID OUT',
};

/** The slip a cash drop, paid in or paid out prints: kept with the cash, signed by who handled it. */
export function cashMovementSlipLayout(slip: CashMovementSlip, columns: number): ReceiptDocument {
  return slipDocument(TITLES[slip.type], slip, columns, [
    { kind: 'columns', left: 'Amount', right: `${slip.currency} ${money(slip, slip.amount)}`, bold: true },
  ]);
}

/** The slip a post-void prints: which sale, what was handed back. */
export function voidSlipLayout(slip: VoidSlip, columns: number): ReceiptDocument {
  return slipDocument('VOID', slip, columns, [
    { kind: 'columns', left: 'Receipt voided', right: slip.originalReceiptNumber },
    { kind: 'columns', left: 'Sale total', right: money(slip, slip.saleTotal) },
    {
      kind: 'columns',
      left: 'Cash handed back',
      right: `${slip.currency} ${money(slip, slip.refunded)}`,
      bold: true,
    },
  ]);
}

function slipDocument(
  title: string,
  slip: SlipCommon,
  columns: number,
  body: ReceiptBlock[],
): ReceiptDocument {
  const blocks: ReceiptBlock[] = [
    { kind: 'text', text: slip.storeName, align: 'center', bold: true },
    { kind: 'text', text: title, align: 'center', bold: true, size: 'double' },
    { kind: 'rule' },
    { kind: 'columns', left: `Terminal ${slip.terminalId}`, right: slip.time },
    ...body,
    { kind: 'text', text: `Reason: ${slip.reason}` },
    { kind: 'text', text: `By: ${slip.employee}` },
  ];
  if (slip.approver !== null) blocks.push({ kind: 'text', text: `Approved by: ${slip.approver}` });
  blocks.push(
    { kind: 'feed', lines: 2 },
    { kind: 'text', text: 'Signature' },
    { kind: 'text', text: '_'.repeat(Math.min(columns, 32)) },
    { kind: 'text', text: slip.eventId },
    { kind: 'cut' },
  );
  return { blocks };
}

const money = (slip: SlipCommon, amount: number) => formatMinorUnits(amount, slip.currency);
