/** The customer receipt of a sale, and of a return (refund), as ReceiptDocuments. */

import {
  DEFAULT_LAYOUT,
  discountBlocks,
  footerBlocks,
  headerBlocks,
  itemBlocks,
  qrBlocks,
  wrappedColumns,
} from './common.js';
import type { ReceiptBlock, ReceiptDocument } from './document.js';
import { moneyFormatter } from './money.js';
import type {
  LayoutOptions,
  ReceiptTax,
  ReceiptTender,
  ReturnReceiptData,
  SaleReceiptData,
} from './types.js';

export function saleReceiptLayout(
  data: SaleReceiptData,
  options: LayoutOptions = DEFAULT_LAYOUT,
): ReceiptDocument {
  const money = moneyFormatter(data.currency, data.currencyExponent);
  const { columns } = options;
  const blocks: ReceiptBlock[] = [
    ...trainingBanner(data.training),
    ...headerBlocks(data.header, data.logo, undefined, data.copy, columns),
  ];
  for (const item of data.items) blocks.push(...itemBlocks(item, money, columns, 1));
  blocks.push({ kind: 'rule' });
  const discounts = data.discounts ?? [];
  if (discounts.length > 0) {
    const itemsTotal = data.items.reduce(
      (sum, item) => sum + item.amount - (item.discounts ?? []).reduce((s, d) => s + d.amount, 0),
      0,
    );
    blocks.push({ kind: 'columns', left: 'Subtotal', right: money(itemsTotal) });
    for (const discount of discounts) blocks.push(...discountBlocks(discount, money, columns, 1));
  }
  const saved =
    discounts.reduce((sum, d) => sum + d.amount, 0) +
    data.items.reduce((sum, item) => sum + (item.discounts ?? []).reduce((s, d) => s + d.amount, 0), 0);
  if (data.cashRounding !== undefined && data.cashRounding !== 0) {
    blocks.push({ kind: 'columns', left: 'Cash rounding', right: money(data.cashRounding) });
  }
  blocks.push({
    kind: 'text',
    text: `TOTAL ${data.currency} ${money(data.total)}`,
    bold: true,
    size: 'double',
  });
  if (saved > 0) blocks.push({ kind: 'columns', left: 'You saved', right: money(saved) });
  blocks.push(...taxBlocks(data.taxes, data.pricesIncludeTax, money, columns));
  blocks.push({ kind: 'rule' });
  blocks.push(...tenderBlocks(data.tenders, money, columns));
  blocks.push({ kind: 'columns', left: 'Change', right: money(data.change), bold: true });
  blocks.push(...qrBlocks(data.qrData ?? data.receiptId));
  const footer = footerBlocks(data.footer, data.copy);
  // Above the cut, so the last words on the paper say it too.
  footer.splice(footer.length - 1, 0, ...trainingBanner(data.training));
  blocks.push(...footer);
  return { blocks };
}

/** The words a training receipt carries at its top and bottom; they appear on no other receipt. */
export const TRAINING_BANNER = 'TRAINING - NOT A SALE';

function trainingBanner(training: boolean | undefined): ReceiptBlock[] {
  return training === true
    ? [
        { kind: 'rule' },
        { kind: 'text', text: TRAINING_BANNER, align: 'center', bold: true, size: 'double' },
        { kind: 'rule' },
      ]
    : [];
}

export function returnReceiptLayout(
  data: ReturnReceiptData,
  options: LayoutOptions = DEFAULT_LAYOUT,
): ReceiptDocument {
  const money = moneyFormatter(data.currency, data.currencyExponent);
  const { columns } = options;
  const blocks: ReceiptBlock[] = headerBlocks(data.header, data.logo, 'RETURN', data.copy, columns);
  if (data.originalReceiptNumber !== undefined) {
    blocks.push({ kind: 'columns', left: 'Original receipt', right: data.originalReceiptNumber });
  }
  if (data.reason !== undefined) blocks.push(...wrappedColumns(`Reason: ${data.reason}`, '', columns));
  if (data.originalReceiptNumber !== undefined || data.reason !== undefined) blocks.push({ kind: 'rule' });
  for (const item of data.items) blocks.push(...itemBlocks(item, money, columns, -1));
  blocks.push({ kind: 'rule' });
  blocks.push({
    kind: 'text',
    text: `REFUND ${data.currency} ${money(data.total)}`,
    bold: true,
    size: 'double',
  });
  blocks.push(...taxBlocks(data.taxes, data.pricesIncludeTax, money, columns));
  blocks.push({ kind: 'rule' });
  for (const refund of data.refunds) {
    blocks.push(...wrappedColumns(`Refund ${refund.label}`, money(-refund.amount), columns));
    if (refund.detail !== undefined) blocks.push({ kind: 'columns', left: `  ${refund.detail}`, right: '' });
  }
  blocks.push(...qrBlocks(data.qrData ?? data.receiptId));
  blocks.push(
    { kind: 'text', text: 'Customer signature:', align: 'left' },
    { kind: 'feed', lines: 2 },
    { kind: 'rule' },
  );
  blocks.push(...footerBlocks(data.footer, data.copy));
  return { blocks };
}

/** One line per tax rate: "VAT 20% on 100.00" / "16.67". */
export function taxBlocks(
  taxes: readonly ReceiptTax[],
  included: boolean | undefined,
  money: (amount: number) => string,
  columns: number,
): ReceiptBlock[] {
  return taxes.flatMap((tax) =>
    wrappedColumns(
      `${tax.label ?? tax.code}${included === true ? ' incl.' : ''} on ${money(tax.taxable)}`,
      money(tax.tax),
      columns,
    ),
  );
}

export function tenderBlocks(
  tenders: readonly ReceiptTender[],
  money: (amount: number) => string,
  columns: number,
): ReceiptBlock[] {
  return tenders.flatMap((tender) => [
    ...wrappedColumns(tender.label, money(tender.amount), columns),
    ...(tender.detail !== undefined
      ? [{ kind: 'columns' as const, left: `  ${tender.detail}`, right: '' }]
      : []),
  ]);
}
