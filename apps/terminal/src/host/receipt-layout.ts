import { formatMinorUnits } from '@tillwright/commerce';
import type { ReceiptDocument } from '@tillwright/devices';
import type { JournalEvent } from '@tillwright/protocol';
import { receiptNumber } from '@tillwright/protocol';

export interface StoreHeader {
  storeName: string;
}

/** Lays out the customer receipt of a committed sale. Everything printed comes from the journal event. */
export function saleReceipt(event: JournalEvent, header: StoreHeader): ReceiptDocument {
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
        { kind: 'columns' as const, left: line.name, right: money(line.lineTotal) },
        ...(line.quantity > 1
          ? [{ kind: 'text' as const, text: `  ${line.quantity} x ${money(line.unitPrice)}` }]
          : []),
      ]),
      { kind: 'rule' },
      { kind: 'columns', left: `TOTAL ${sale.currency}`, right: money(sale.total), bold: true },
      ...sale.tenders.flatMap((tender) => [
        { kind: 'columns' as const, left: 'Cash', right: money(tender.tendered) },
        { kind: 'columns' as const, left: 'Change', right: money(tender.change) },
      ]),
      { kind: 'feed', lines: 1 },
      { kind: 'qr', data: `tw:${event.eventId}` },
      { kind: 'text', text: 'Thank you', align: 'center' },
      { kind: 'cut' },
    ],
  };
}
