import { BasketError, money, priceBasket, settleCash, TenderError } from '@tillwright/commerce';
import { encodeReceipt, PROFILE_80MM, type PrintResult } from '@tillwright/devices';
import type { Ledger } from '@tillwright/ledger';
import { type JournalEvent, receiptNumber, type SaleLineV1 } from '@tillwright/protocol';
import type { CompletedSale, MethodParams } from '../contract/methods.js';
import { type StoreHeader, saleReceipt } from './receipt-layout.js';
import { HostError } from './rpc-dispatcher.js';

/** What the sale flow needs from a receipt printer with a drawer behind it. */
export interface ReceiptPrinter {
  print(jobId: string, bytes: Uint8Array): Promise<PrintResult>;
  kickDrawer(jobId: string): Promise<PrintResult>;
}

export interface SaleServiceDeps {
  ledger: Ledger;
  printer: ReceiptPrinter | null;
  header: StoreHeader;
  now: () => Date;
  onCommitted: (event: JournalEvent) => void;
  log: (message: string) => void;
}

/**
 * Completes a sale: prices it from the terminal's own catalog (never from what the renderer displayed), commits it
 * to the journal, and only then prints the receipt and opens the drawer. A retried Pay with the same sale id returns
 * the sale already recorded and prints nothing again; a drawer kick is never retried.
 */
export class SaleService {
  constructor(private readonly deps: SaleServiceDeps) {}

  async complete(request: MethodParams<'sale.complete'>): Promise<CompletedSale> {
    const { ledger } = this.deps;
    const existing = ledger.journal.get(request.saleId);
    if (existing) return this.describe(existing, true, 'skipped', 'skipped');

    const lines = request.lines.map((line) => {
      const product = ledger.catalog.findById(line.productId);
      if (!product) {
        throw new HostError(
          'unknown_product',
          `product ${line.productId} is not in this terminal's catalog`,
          false,
        );
      }
      return { line, product, unitPrice: money(product.price, product.currency), quantity: line.quantity };
    });
    const priced = this.price(request.currency, lines, request.cashTendered);
    const payload = {
      currency: request.currency,
      lines: priced.basket.lines.map(
        ({ item, lineTotal }): SaleLineV1 => ({
          lineId: item.line.lineId,
          productId: item.product.productId,
          sku: item.product.sku,
          barcode: item.line.barcode,
          name: item.product.name,
          quantity: item.quantity,
          unitPrice: item.product.price,
          lineTotal: lineTotal.amount,
        }),
      ),
      subtotal: priced.basket.subtotal.amount,
      total: priced.basket.total.amount,
      tenders: [
        {
          kind: 'cash' as const,
          tendered: priced.cash.tendered.amount,
          amount: priced.cash.applied.amount,
          change: priced.cash.change.amount,
        },
      ],
      pricedWith: { catalogVersion: ledger.catalog.cursor() },
    };

    const { event, created } = ledger.journal.record({
      eventId: request.saleId,
      type: 'sale',
      occurredAt: this.deps.now().toISOString(),
      payload,
    });
    if (!created) return this.describe(event, true, 'skipped', 'skipped');
    this.deps.onCommitted(event);

    const receipt = await this.printReceipt(event);
    const drawer = await this.openDrawer(event);
    return this.describe(event, false, receipt, drawer);
  }

  private price<T extends { unitPrice: ReturnType<typeof money>; quantity: number }>(
    currency: string,
    items: T[],
    cashTendered: number,
  ) {
    try {
      const basket = priceBasket(currency, items);
      const cash = settleCash(basket.total, money(cashTendered, currency));
      return { basket, cash };
    } catch (error) {
      if (error instanceof TenderError || error instanceof BasketError) {
        throw new HostError(error.code, error.message, false);
      }
      throw error;
    }
  }

  private async printReceipt(event: JournalEvent): Promise<CompletedSale['receipt']> {
    if (!this.deps.printer) return 'skipped';
    const bytes = encodeReceipt(saleReceipt(event, this.deps.header), PROFILE_80MM);
    const result = await this.deps.printer.print(`receipt-${event.eventId}`, bytes);
    if (result.error)
      this.deps.log(`receipt for ${event.eventId}: ${result.outcome}: ${result.error.message}`);
    return result.outcome;
  }

  private async openDrawer(event: JournalEvent): Promise<CompletedSale['drawer']> {
    if (!this.deps.printer) return 'skipped';
    const result = await this.deps.printer.kickDrawer(`drawer-${event.eventId}`);
    if (result.error)
      this.deps.log(`drawer for ${event.eventId}: ${result.outcome}: ${result.error.message}`);
    return result.outcome;
  }

  private describe(
    event: JournalEvent,
    alreadyRecorded: boolean,
    receipt: CompletedSale['receipt'],
    drawer: CompletedSale['drawer'],
  ): CompletedSale {
    const cash = event.payload.tenders[0]!;
    return {
      saleId: event.eventId,
      receiptNumber: receiptNumber(event.terminalId, event.epoch, event.seq),
      currency: event.payload.currency,
      total: event.payload.total,
      tendered: cash.tendered,
      change: cash.change,
      alreadyRecorded,
      receipt,
      drawer,
    };
  }
}
