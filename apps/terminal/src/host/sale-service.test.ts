import { type PrinterEmulator, startPrinterEmulator, TcpPrinter } from '@tillwright/devices';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SaleService } from './sale-service.js';
import { enrolledLedger, FIXED_NOW } from './test-support.js';

let fixture: ReturnType<typeof enrolledLedger>;
let printer: PrinterEmulator;
let committed: string[];
let service: SaleService;

beforeEach(async () => {
  fixture = enrolledLedger();
  printer = await startPrinterEmulator({ port: 0 });
  committed = [];
  service = new SaleService({
    ledger: fixture.ledger,
    printer: new TcpPrinter({ host: '127.0.0.1', port: printer.port, statusTimeoutMs: 500 }),
    header: { storeName: 'Test Store' },
    now: FIXED_NOW,
    onCommitted: (event) => committed.push(event.eventId),
    log: () => {},
  });
});
afterEach(async () => {
  await printer.close();
  fixture.cleanup();
});

const penAndBooks = (saleId: string, cashTendered: number) => ({
  saleId,
  currency: 'EUR',
  cashTendered,
  lines: [
    { lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 },
    { lineId: 'l2', productId: 'book', barcode: null, quantity: 2 },
  ],
});

describe('completing a sale', () => {
  it('prices from the terminal catalog, commits, then prints and opens the drawer once', async () => {
    const saleId = fixture.nextSaleId();
    const sale = await service.complete(penAndBooks(saleId, 2000));
    expect(sale).toMatchObject({ saleId, total: 1248, tendered: 2000, change: 752, alreadyRecorded: false });
    expect(sale.receipt).toBe('confirmed');
    expect(sale.drawer).toBe('confirmed');
    expect(committed).toEqual([saleId]);
    expect(fixture.ledger.journal.get(saleId)?.payload.lines.map((l) => l.lineTotal)).toEqual([250, 998]);
    expect(printer.receipts).toHaveLength(1);
    expect(printer.receipts[0]!.text).toMatch(/TOTAL EUR\s+12\.48/);
    expect(printer.drawerKicks).toBe(1);
  });

  it('answers a repeated Pay with the recorded sale and prints nothing more', async () => {
    const saleId = fixture.nextSaleId();
    const [first, second] = await Promise.all([
      service.complete(penAndBooks(saleId, 2000)),
      service.complete(penAndBooks(saleId, 2000)),
    ]);
    expect(first.alreadyRecorded).toBe(false);
    expect(second).toMatchObject({ saleId, alreadyRecorded: true, receipt: 'skipped', drawer: 'skipped' });
    const third = await service.complete(penAndBooks(saleId, 2000));
    expect(third.receiptNumber).toBe(first.receiptNumber);
    expect(fixture.ledger.journal.count()).toBe(1);
    expect(printer.receipts).toHaveLength(1);
    expect(printer.drawerKicks).toBe(1);
  });

  it('refuses too little cash before anything is written, printed or opened', async () => {
    await expect(service.complete(penAndBooks(fixture.nextSaleId(), 1000))).rejects.toMatchObject({
      code: 'insufficient_cash',
    });
    expect(fixture.ledger.journal.count()).toBe(0);
    expect(printer.receipts).toHaveLength(0);
    expect(printer.drawerKicks).toBe(0);
  });

  it('refuses a product the terminal does not know, with nothing written', async () => {
    const request = {
      ...penAndBooks(fixture.nextSaleId(), 5000),
      lines: [{ lineId: 'l1', productId: 'ghost', barcode: null, quantity: 1 }],
    };
    await expect(service.complete(request)).rejects.toMatchObject({ code: 'unknown_product' });
    expect(fixture.ledger.journal.count()).toBe(0);
  });

  it('keeps the sale when the printer is unreachable and says the receipt was not sent', async () => {
    await printer.close();
    const saleId = fixture.nextSaleId();
    const sale = await service.complete(penAndBooks(saleId, 2000));
    expect(sale).toMatchObject({ receipt: 'not-sent', drawer: 'not-sent', alreadyRecorded: false });
    expect(fixture.ledger.journal.get(saleId)).not.toBeNull();
  });
});
