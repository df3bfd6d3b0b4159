/**
 * Building blocks shared by the layouts. Two-column lines are `columns` blocks (the encoder pads them to the
 * profile's width); a long product name is wrapped here, to the width left of its amount, so it never pushes the
 * amount off the line and is never cut short.
 */
import type { TenderKind } from '@tillwright/protocol';
import type { ReceiptBlock, ReceiptImage } from './document.js';
import { wrapText } from './text.js';
import type { LayoutOptions, ReceiptDiscount, ReceiptHeaderData, ReceiptItem } from './types.js';

export const DEFAULT_LAYOUT: LayoutOptions = Object.freeze({ columns: 48 });

/** How each tender kind is named on receipts and reports, unless the data names it otherwise. */
export const TENDER_LABELS: Readonly<Record<TenderKind, string>> = Object.freeze({
  cash: 'Cash',
  card: 'Card',
  'gift-card': 'Gift card',
  'store-credit': 'Store credit',
});

/** The banner of a reprint. The word COPY appears nowhere else on any layout. */
export const COPY_BANNER = '*** COPY ***';

export function copyBanner(copy: boolean | undefined): ReceiptBlock[] {
  return copy === true
    ? [{ kind: 'text', text: COPY_BANNER, align: 'center', bold: true, size: 'double' }]
    : [];
}

/** "2024-05-01T14:03:09.123+02:00" → "2024-05-01 14:03:09"; anything else is printed as given. */
export function printedTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)/.exec(iso);
  return match ? `${match[1]} ${match[2]}` : iso;
}

export function headerBlocks(
  header: ReceiptHeaderData,
  logo: ReceiptImage | undefined,
  title: string | undefined,
  copy: boolean | undefined,
  columns: number,
): ReceiptBlock[] {
  const blocks: ReceiptBlock[] = [];
  if (logo !== undefined) blocks.push({ kind: 'image', image: logo }, { kind: 'feed', lines: 1 });
  blocks.push(...copyBanner(copy));
  blocks.push({ kind: 'text', text: header.storeName, align: 'center', bold: true, size: 'double' });
  for (const line of header.address ?? []) blocks.push({ kind: 'text', text: line, align: 'center' });
  if (header.taxId !== undefined)
    blocks.push({ kind: 'text', text: `Tax ID ${header.taxId}`, align: 'center' });
  if (title !== undefined) {
    blocks.push(
      { kind: 'feed', lines: 1 },
      { kind: 'text', text: title, align: 'center', bold: true, size: 'double' },
    );
  }
  blocks.push({ kind: 'rule' });
  const terminal = `Terminal ${header.terminalId}`;
  const number = `No. ${header.receiptNumber}`;
  // Long terminal ids and receipt numbers get a line each rather than a truncated terminal id.
  if (terminal.length + 1 + number.length <= columns)
    blocks.push({ kind: 'columns', left: terminal, right: number });
  else blocks.push({ kind: 'text', text: terminal }, { kind: 'text', text: number });
  blocks.push({
    kind: 'columns',
    left: printedTime(header.time),
    right: header.cashier !== undefined ? `Cashier ${header.cashier}` : '',
  });
  blocks.push({ kind: 'rule' });
  return blocks;
}

/**
 * `left` and a right-flush `right` on one line; when `left` is too long it wraps onto further lines (indented
 * by `indent` spaces), the amount staying on the first line.
 */
export function wrappedColumns(
  left: string,
  right: string,
  columns: number,
  options: { bold?: boolean; indent?: number } = {},
): ReceiptBlock[] {
  const indent = ' '.repeat(options.indent ?? 0);
  const rightWidth = Array.from(right).length;
  const firstWidth = Math.max(8, columns - indent.length - rightWidth - 1);
  const [first = '', ...rest] = wrapText(left, firstWidth);
  const blocks: ReceiptBlock[] = [column(indent + first, right, options.bold)];
  const restWidth = Math.max(8, columns - indent.length - 2);
  for (const line of wrapText(rest.join(' '), restWidth)) {
    if (line !== '') blocks.push(column(`${indent}  ${line}`, '', options.bold));
  }
  return blocks;
}

function column(left: string, right: string, bold: boolean | undefined): ReceiptBlock {
  return bold === true ? { kind: 'columns', left, right, bold } : { kind: 'columns', left, right };
}

/** Quantity without floats in the output: integers as is, measures with up to 3 decimals. */
export function formatQuantity(quantity: number, unit?: string): string {
  const text = Number.isInteger(quantity) ? String(quantity) : quantity.toFixed(3).replace(/0+$/, '');
  return unit !== undefined ? `${text} ${unit}` : text;
}

/** An item: the name with its amount (wrapped), "qty x unit price" when it is not a single unit, discounts. */
export function itemBlocks(
  item: ReceiptItem,
  money: (amount: number) => string,
  columns: number,
  sign: 1 | -1,
): ReceiptBlock[] {
  const amount = money(sign * item.amount) + (item.taxCode !== undefined ? ` ${item.taxCode}` : '');
  const blocks = wrappedColumns(item.name, amount, columns);
  if (item.quantity !== 1 || item.unit !== undefined) {
    blocks.push({
      kind: 'columns',
      left: `  ${formatQuantity(item.quantity, item.unit)} x ${money(item.unitPrice)}`,
      right: '',
    });
  }
  for (const discount of item.discounts ?? []) blocks.push(...discountBlocks(discount, money, columns, sign));
  return blocks;
}

export function discountBlocks(
  discount: ReceiptDiscount,
  money: (amount: number) => string,
  columns: number,
  sign: 1 | -1,
): ReceiptBlock[] {
  return wrappedColumns(discount.label, money(-sign * discount.amount), columns, { indent: 2 });
}

export function qrBlocks(data: string): ReceiptBlock[] {
  return [
    { kind: 'feed', lines: 1 },
    { kind: 'qr', data },
  ];
}

export function footerBlocks(
  footer: readonly string[] | undefined,
  copy: boolean | undefined,
): ReceiptBlock[] {
  const blocks: ReceiptBlock[] = (footer ?? []).map((text) => ({ kind: 'text', text, align: 'center' }));
  blocks.push(...copyBanner(copy));
  blocks.push({ kind: 'cut' });
  return blocks;
}
