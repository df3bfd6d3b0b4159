import type { Promotion } from '@tillwright/commerce';
import type { PrinterEmulator } from '@tillwright/devices/sim';
import type { SaleEvent } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PrinterDevices } from './devices.js';
import { defaultPricingConfig, type PricingConfig } from './pricing-config.js';
import { HostError } from './rpc-dispatcher.js';
import { SaleService } from './sale-service.js';
import { CATALOG, connectedPrinter, employeeItem, enrolledLedger, FIXED_NOW } from './test-support.js';

let fixture: ReturnType<typeof enrolledLedger>;
let printer: PrinterEmulator;
let devices: PrinterDevices;
let committed: string[];
let service: SaleService;
let pricing: PricingConfig;
let offline: boolean;
let employee: string | null;

/** The service under test over a fixture's ledger, printing to the emulator. */
function serviceFor(ledgerFixture: ReturnType<typeof enrolledLedger>): SaleService {
  return new SaleService({
    ledger: ledgerFixture.ledger,
    pricing: () => pricing,
    isOffline: () => offline,
    devices,
    header: { storeName: 'Test Store' },
    now: FIXED_NOW,
    onCommitted: (event) => committed.push(event.eventId),
    log: () => {},
    signedInEmployee: () => {
      if (employee === null) throw new HostError('not_signed_in', 'Nobody is signed in on this till', false);
      return employee;
    },
    saleMode: () => ({ training: false, shiftId: SHIFT_ID }),
  });
}

/** The open shift every sale here is rung in; the gate itself: shift-day.test.ts, training.test.ts. */
const SHIFT_ID = '019ab8a0-0000-7000-8000-0000000005f1';

beforeEach(async () => {
  fixture = enrolledLedger();
  ({ printer, devices } = await connectedPrinter());
  committed = [];
  pricing = defaultPricingConfig('DE', 'EUR');
  offline = false;
  employee = 'cashier-7';
  service = serviceFor(fixture);
});
afterEach(async () => {
  await devices.stop();
  await printer.close();
  fixture.cleanup();
});

const penAndBooks = (saleId: string, cashTendered: number) => ({
  saleId,
  currency: 'EUR',
  tenders: [{ kind: 'cash' as const, tendered: cashTendered }],
  lines: [
    { lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 },
    { lineId: 'l2', productId: 'book', barcode: null, quantity: 2 },
  ],
});

describe('completing a sale', () => {
  it('prices from the terminal catalog, commits, then prints and opens the drawer once', async () => {
    const saleId = fixture.nextSaleId();
    const sale = await service.complete(penAndBooks(saleId, 2000));
    expect(sale).toMatchObject({ saleId, total: 1248, paid: 1248, change: 752, alreadyRecorded: false });
    // Pen 2.50 at 19 % inclusive: 0.40 tax; two notebooks 9.98 at 7 %: 0.65 tax.
    expect(sale.taxTotal).toBe(40 + 65);
    expect(sale.receipt).toBe('confirmed');
    expect(sale.drawer).toBe('confirmed');
    expect(committed).toEqual([saleId]);
    const recorded = (fixture.ledger.journal.get(saleId) as SaleEvent).payload;
    expect(recorded.lines.map((l) => l.total)).toEqual([250, 998]);
    expect(recorded.taxes.map(({ code, tax }) => [code, tax])).toEqual([
      ['VAT19', 40],
      ['VAT7', 65],
    ]);
    expect(recorded.pricedWith).toEqual({ catalog: 2, priceList: 1, promotions: 0, taxRules: 1 });
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

  it('refuses a Pay of a recorded sale id with an item added since (its answer was lost), writing nothing', async () => {
    const saleId = fixture.nextSaleId();
    const penOnly = { ...penAndBooks(saleId, 2000), lines: penAndBooks(saleId, 2000).lines.slice(0, 1) };
    const first = await service.complete(penOnly);
    // The answer to that Pay never reached the till; the cashier adds the notebooks and presses Pay again.
    const attempt = service.complete(penAndBooks(saleId, 2000));
    await expect(attempt).rejects.toMatchObject({
      code: 'sale_already_recorded',
      retryable: false,
      message: expect.stringContaining(`receipt ${first.receiptNumber}`),
    });
    expect(fixture.ledger.journal.count()).toBe(1);
    expect((fixture.ledger.journal.get(saleId) as SaleEvent).payload.lines).toHaveLength(1);
    expect(committed).toEqual([saleId]);
    expect(printer.receipts).toHaveLength(1);
    expect(printer.drawerKicks).toBe(1);
  });

  it('refuses a Pay of a recorded sale id with a changed quantity or other tenders, but answers the same Pay', async () => {
    const saleId = fixture.nextSaleId();
    const asked = penAndBooks(saleId, 2000);
    await service.complete(asked);
    const morePens = {
      ...asked,
      lines: asked.lines.map((line) => (line.productId === 'pen' ? { ...line, quantity: 2 } : line)),
    };
    const card = { kind: 'card' as const, amount: 1248, token: 'tok_visa_8f2a1c', authorizationCode: 'A1' };
    for (const changed of [morePens, penAndBooks(saleId, 5000), { ...asked, tenders: [card] }]) {
      await expect(service.complete(changed)).rejects.toMatchObject({ code: 'sale_already_recorded' });
    }
    // The very same Pay again (a plain retry) is still answered with the recorded sale.
    await expect(service.complete(asked)).resolves.toMatchObject({ saleId, alreadyRecorded: true });
    expect(fixture.ledger.journal.count()).toBe(1);
    expect(printer.receipts).toHaveLength(1);
  });

  it('answers a retried Pay by what was asked, not by what it would cost now', async () => {
    const saleId = fixture.nextSaleId();
    const first = await service.complete(penAndBooks(saleId, 2000));
    fixture.ledger.catalog.applyBatch([{ ...CATALOG[0]!, price: 300, version: 3 }], 3);
    pricing = { ...pricing, versions: { priceList: 2, promotions: 0 } };
    await expect(service.complete(penAndBooks(saleId, 2000))).resolves.toMatchObject({
      saleId,
      total: first.total,
      change: first.change,
      alreadyRecorded: true,
    });
  });

  it('tells what a recorded sale sold and how it was paid, and nothing for an id never recorded', async () => {
    const saleId = fixture.nextSaleId();
    const sale = await service.complete(penAndBooks(saleId, 2000));
    expect(service.recorded(saleId)).toEqual({
      sale: { ...sale, alreadyRecorded: true, receipt: 'skipped', drawer: 'skipped' },
      // Written at v1 (this till has not heard from a server): nobody recorded.
      employeeId: null,
      lines: [
        { lineId: 'l1', productId: 'pen', name: 'Ballpoint pen', quantity: 1 },
        { lineId: 'l2', productId: 'book', name: 'Notebook A5', quantity: 2 },
      ],
    });
    expect(service.recorded(fixture.nextSaleId())).toBeNull();
  });

  it('refuses too little cash before anything is written, printed or opened', async () => {
    await expect(service.complete(penAndBooks(fixture.nextSaleId(), 1000))).rejects.toMatchObject({
      code: 'insufficient_payment',
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

  it('applies the configured promotions and records them in the snapshot', async () => {
    const promotion: Promotion = {
      id: 'stationery-10',
      name: 'Stationery 10 % off',
      kind: 'item-percent',
      priority: 1,
      target: { tags: ['stationery'] },
      rate: 100_000,
    };
    pricing = { ...pricing, promotions: [promotion], versions: { priceList: 1, promotions: 7 } };
    const saleId = fixture.nextSaleId();
    const sale = await service.complete(penAndBooks(saleId, 2000));
    // 2.50 → 2.25; 4.99 → 4.49 twice
    expect(sale.total).toBe(225 + 898);
    const recorded = (fixture.ledger.journal.get(saleId) as SaleEvent).payload;
    expect(recorded.promotions).toEqual([
      { promotionId: 'stationery-10', name: 'Stationery 10 % off', amount: 125 },
    ]);
    expect(recorded.pricedWith.promotions).toBe(7);
    expect(printer.receipts[0]!.text).toContain('Stationery 10 % off');
  });

  it('reads promotion windows and the receipt time on the store clock of its time zone', async () => {
    // FIXED_NOW is 12:00Z on 25 November: 13:00 in Berlin (UTC+1), 12:00 in a UTC store.
    const lunch: Promotion = {
      id: 'lunch',
      name: 'Lunch hour',
      kind: 'item-percent',
      priority: 1,
      target: { tags: ['stationery'] },
      rate: 100_000,
      conditions: { minutesOfDay: { from: 13 * 60, to: 14 * 60 } },
    };
    pricing = { ...pricing, promotions: [lunch] };
    const utcSale = await service.complete(penAndBooks(fixture.nextSaleId(), 2000));
    expect(utcSale.total).toBe(1248);
    expect(printer.receipts[0]!.text).toContain('2026-11-25 12:00:00');
    pricing = { ...pricing, timeZone: 'Europe/Berlin' };
    const berlinSale = await service.complete(penAndBooks(fixture.nextSaleId(), 2000));
    expect(berlinSale.total).toBe(225 + 898);
    expect(printer.receipts[1]!.text).toContain('2026-11-25 13:00:00');
  });

  it('takes a card by token only, opening no drawer, and refuses a card number', async () => {
    const saleId = fixture.nextSaleId();
    const card = {
      kind: 'card' as const,
      amount: 1248,
      token: 'tok_visa_8f2a1c',
      authorizationCode: 'A1B2C3',
    };
    const sale = await service.complete({ ...penAndBooks(saleId, 0), tenders: [card] });
    expect(sale).toMatchObject({ change: 0, drawer: 'skipped', receipt: 'confirmed' });
    expect((fixture.ledger.journal.get(saleId) as SaleEvent).payload.tenders).toEqual([
      { kind: 'card', ref: 'tok_visa_8f2a1c', amount: 1248, tendered: 1248, change: 0 },
    ]);
    expect(printer.drawerKicks).toBe(0);
    const pan = { ...card, token: '4111 1111 1111 1111' };
    await expect(
      service.complete({ ...penAndBooks(fixture.nextSaleId(), 0), tenders: [pan] }),
    ).rejects.toMatchObject({
      code: 'card_data_refused',
    });
    expect(fixture.ledger.journal.count()).toBe(1);
  });

  it('refuses a card number given as the card token, however written, before anything is written or printed', async () => {
    for (const token of ['4111.1111.1111.1111', '4111_1111_1111_1111', '04111111111111111111']) {
      const tender = { kind: 'card' as const, amount: 1248, token, authorizationCode: 'A1B2C3' };
      await expect(
        service.complete({ ...penAndBooks(fixture.nextSaleId(), 0), tenders: [tender] }),
      ).rejects.toMatchObject({ code: 'card_data_refused', message: expect.stringMatching(/remove it/) });
    }
    expect(fixture.ledger.journal.count()).toBe(0);
    expect(printer.receipts).toHaveLength(0);
    expect(printer.drawerKicks).toBe(0);
  });

  it('refuses a sale whose product name holds a card number, naming the field, with nothing printed', async () => {
    fixture.ledger.catalog.applyBatch([{ ...CATALOG[0]!, name: 'Pen 4111 1111 1111 1111', version: 3 }], 3);
    await expect(service.complete(penAndBooks(fixture.nextSaleId(), 2000))).rejects.toMatchObject({
      code: 'card_data_refused',
      retryable: false,
      message: expect.stringMatching(/^the sale was not recorded: payload\.lines\.0\.name looks like/),
    });
    expect(fixture.ledger.journal.count()).toBe(0);
    expect(printer.receipts).toHaveLength(0);
    expect(printer.drawerKicks).toBe(0);
  });

  it('refuses a card while offline but still takes cash', async () => {
    offline = true;
    const card = {
      kind: 'card' as const,
      amount: 1248,
      token: 'tok_visa_8f2a1c',
      authorizationCode: 'A1B2C3',
    };
    await expect(
      service.complete({ ...penAndBooks(fixture.nextSaleId(), 0), tenders: [card] }),
    ).rejects.toMatchObject({
      code: 'tender_offline',
    });
    await expect(service.complete(penAndBooks(fixture.nextSaleId(), 1300))).resolves.toMatchObject({
      change: 52,
    });
  });

  it('prints nothing and opens no drawer when the sale cannot be committed', async () => {
    fixture.cleanup();
    fixture = enrolledLedger({ maxSizeBytes: 160 * 1024 });
    service = serviceFor(fixture);
    let failure: unknown = null;
    for (let i = 0; i < 2_000 && failure === null; i++) {
      await service.complete(penAndBooks(fixture.nextSaleId(), 2000)).catch((error: unknown) => {
        failure = error;
      });
    }
    expect(failure).toMatchObject({ code: 'write_failed', retryable: true });
    const saved = fixture.ledger.journal.count();
    expect(committed).toHaveLength(saved);
    expect(printer.receipts).toHaveLength(saved);
    expect(printer.drawerKicks).toBe(saved);
  });

  it('keeps the sale when the printer is unreachable and says the receipt was not sent', async () => {
    await printer.close();
    await vi.waitFor(() => expect(devices.status().printer).toBe('offline'));
    const saleId = fixture.nextSaleId();
    const sale = await service.complete(penAndBooks(saleId, 2000));
    expect(sale).toMatchObject({ receipt: 'not-sent', drawer: 'not-sent', alreadyRecorded: false });
    expect(fixture.ledger.journal.get(saleId)).not.toBeNull();
  });
});

describe('who rang the sale up', () => {
  const announce = (sale: number[]) =>
    fixture.ledger.serverContact.recordVersions({ events: { sale }, feed: {}, config: [1] });

  it('records the employee signed in on sale v3 once the server takes it, and prints their name as the cashier', async () => {
    announce([1, 2, 3]);
    fixture.ledger.feed.apply([employeeItem(1, { employeeId: 'cashier-7', displayName: 'Alex Cashier' })], 1);
    const saleId = fixture.nextSaleId();
    await service.complete(penAndBooks(saleId, 2000));
    const event = fixture.ledger.journal.get(saleId) as SaleEvent;
    expect(event.schema).toBe(3);
    expect(event.schema === 3 && event.payload.employeeId).toBe('cashier-7');
    expect(printer.receipts[0]!.text).toMatch(/Cashier Alex Cashier/);
    expect(service.recorded(saleId)).toMatchObject({ employeeId: 'cashier-7' });
  });

  it('writes what the server takes: v2 without the employee for a server from before employees', async () => {
    announce([1, 2]);
    const saleId = fixture.nextSaleId();
    await service.complete(penAndBooks(saleId, 2000));
    const event = fixture.ledger.journal.get(saleId)!;
    expect(event.schema).toBe(2);
    expect(event.payload).not.toHaveProperty('employeeId');
    expect(printer.receipts[0]!.text).not.toMatch(/Cashier/);
    expect(service.recorded(saleId)).toMatchObject({ employeeId: null });
  });

  it('refuses a sale with nobody signed in (not_signed_in): nothing written, printed or opened, at any version', async () => {
    for (const versions of [[1, 2, 3], [1, 2], null]) {
      if (versions) announce(versions);
      else fixture.ledger.serverContact.recordVersions(null);
      employee = null;
      await expect(service.complete(penAndBooks(fixture.nextSaleId(), 2000))).rejects.toMatchObject({
        code: 'not_signed_in',
      });
    }
    expect(fixture.ledger.journal.count()).toBe(0);
    expect(committed).toEqual([]);
    expect(printer.receipts).toHaveLength(0);
    expect(printer.drawerKicks).toBe(0);
  });
});
