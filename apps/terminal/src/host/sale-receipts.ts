import {
  decodeEscPos,
  decoderCodePages,
  encodeReceipt,
  PRINTER_PROFILES,
  PROFILE_80MM,
} from '@tillwright/devices';
import type { Ledger } from '@tillwright/ledger';
import { saleReceiptNumber } from '@tillwright/protocol';
import type { MethodResult } from '../contract/methods.js';
import type { SaleDevices } from './devices.js';
import { type RecordedSaleEvent, recordedHeader, type StoreHeader, saleReceipt } from './receipt-layout.js';
import { HostError } from './rpc-dispatcher.js';

export interface SaleReceiptsDeps {
  ledger: Ledger;
  devices: SaleDevices | null;
  header: StoreHeader;
  /** The store's zone today: the time of a sale written before v2, which did not record the zone it was sold in. */
  timeZone: () => string;
  log: (message: string) => void;
}

/**
 * Receipts of sales already recorded, from the journal: as text for the screen, and reprinted as copies. Both lay out
 * the sale exactly as Pay printed it (saleReceipt), under the store details it was sold with, a reprint adding COPY at its top and bottom. No permission beyond
 * being signed in: a copy moves no money and opens no drawer, and the customer could photograph the original anyway.
 */
export class SaleReceipts {
  private reprints = 0;

  constructor(private readonly deps: SaleReceiptsDeps) {}

  /**
   * The receipt as the printer prints it, line by line: the document is encoded to ESC/POS for the till's paper and
   * decoded back, so the screen shows the same wrapping, columns and banners as the paper (QR codes as `[QR …]`).
   */
  text(saleId: string): MethodResult<'sale.receipt'> {
    const sale = this.sale(saleId);
    const profile = PRINTER_PROFILES.find((p) => p.columns === this.deps.devices?.columns) ?? PROFILE_80MM;
    const bytes = encodeReceipt(this.document(sale, profile.columns, false), profile);
    const [decoded] = decodeEscPos(bytes, { codePages: decoderCodePages(profile) }).receipts;
    return {
      saleId: sale.eventId,
      receiptNumber: saleReceiptNumber(sale),
      columns: profile.columns,
      lines: decoded ? decoded.text.split('\n') : [],
    };
  }

  /** Prints the sale's receipt again, marked COPY; each reprint is its own print job. The drawer stays shut. */
  async reprint(saleId: string): Promise<MethodResult<'sale.reprint'>> {
    const sale = this.sale(saleId);
    const { devices } = this.deps;
    if (!devices) return { receipt: 'skipped' };
    this.reprints += 1;
    const jobId = `reprint-${sale.eventId}-${Date.now()}-${this.reprints}`;
    const result = await devices.printReceipt(jobId, this.document(sale, devices.columns, true));
    if (result.error) this.deps.log(`reprint of ${sale.eventId}: ${result.outcome}: ${result.error}`);
    return { receipt: result.outcome };
  }

  private document(sale: RecordedSaleEvent, columns: number, copy: boolean) {
    const cashierName = (id: string) => this.deps.ledger.feed.employee(id)?.displayName ?? id;
    // The store as the sale records it (its receipt printed that), else today's header.
    const header = recordedHeader(sale.payload.store, this.deps.header);
    return saleReceipt(sale, header, columns, this.saleTimeZone(sale), cashierName, copy);
  }

  /**
   * The zone the sale's receipt printed its time in: the one the sale records (v2 on), whatever the store's zone is
   * today; a sale written at v1 recorded none (read as 'UTC'), and Pay printed it in the zone of the day.
   */
  private saleTimeZone(sale: RecordedSaleEvent): string {
    const written = this.deps.ledger.journal.get(sale.eventId);
    const recordsZone = sale.type === 'training-sale' || (written?.schema ?? 1) >= 2;
    return recordsZone ? sale.payload.timeZone : this.deps.timeZone();
  }

  private sale(saleId: string): RecordedSaleEvent {
    const event = this.deps.ledger.journal.read(saleId);
    if (!event || (event.type !== 'sale' && event.type !== 'training-sale')) {
      throw new HostError(
        'sale_not_found',
        'No sale with this id is recorded on this till, so there is no receipt to show or print',
        false,
      );
    }
    return event;
  }
}
