import { formatMinorUnits } from '@tillwright/commerce';
import type { ReceiptDocument } from '@tillwright/devices';
import type { SaleEvent } from '@tillwright/protocol';
import { receiptNumber } from '@tillwright/protocol';

const TENDER_LABELS = {
  cash: 'Cash',
  card: 'Card',
  'gift-card': 'Gift card',
  'store-credit': 'Store credit',
} as const;

export interface StoreHeader {
  storeName: string;
}

/** Lays out the customer receipt of a committed sale. Everything printed comes from the journal event. */
export function saleReceipt(event: SaleEvent, header: StoreHeader): ReceiptDocument {
  const sale = event.payload;
  const money = (amount: number) => formatMinorUnits(amount, sale.currency);
  const number = receiptNumber(event.terminalId, event.epoch, event.seq);
  return {
    blocks: [
      { kind: 'text', text: header.storeName, align: 'center', bold: true, size: 'double' },
      { kind: 'text', text: `Receipt ${number}`, align: 'center' },
      { kind: 'text', text: event.occurredAt.replace('T', ' ').slice(0, 19), align: 'center' },
      { kind: 'rule' },
      ...sale.lines.flatMap((line) => [
        { kind: 'columns' as const, left: line.name, right: money(line.extended) },
        ...(line.quantity > 1
          ? [{ kind: 'text' as const, text: `  ${line.quantity} x ${money(line.unitPrice)}` }]
          : []),
        ...line.adjustments.map((adjustment) => ({
          kind: 'columns' as const,
          left: `  ${adjustment.source === 'promotion' ? (sale.promotions.find((p) => p.promotionId === adjustment.ref)?.name ?? adjustment.ref) : adjustment.ref}`,
          right: `-${money(adjustment.amount)}`,
        })),
      ]),
      { kind: 'rule' },
      ...(sale.discountTotal > 0
        ? [{ kind: 'columns' as const, left: 'You saved', right: money(sale.discountTotal) }]
        : []),
      { kind: 'columns', left: `TOTAL ${sale.currency}`, right: money(sale.total), bold: true },
      ...sale.taxes.map((tax) => ({
        kind: 'columns' as const,
        left: `  ${tax.name}${sale.pricesIncludeTax ? ' incl.' : ''} on ${money(tax.taxable)}`,
        right: money(tax.tax),
      })),
      ...(sale.cashRounding !== 0
        ? [{ kind: 'columns' as const, left: 'Cash rounding', right: money(sale.cashRounding) }]
        : []),
      ...sale.tenders.map((tender) => ({
        kind: 'columns' as const,
        left: TENDER_LABELS[tender.kind],
        right: money(tender.tendered),
      })),
      ...(sale.change > 0 ? [{ kind: 'columns' as const, left: 'Change', right: money(sale.change) }] : []),
      { kind: 'feed', lines: 1 },
      { kind: 'qr', data: `tw:${event.eventId}` },
      { kind: 'text', text: 'Thank you', align: 'center' },
      { kind: 'cut' },
    ],
  };
}
