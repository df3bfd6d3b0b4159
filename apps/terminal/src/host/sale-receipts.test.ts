import type { PrinterEmulator } from '@tillwright/devices/sim';
import { KNOWN_EVENT_VERSIONS } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PrinterDevices } from './devices.js';
import { defaultPricingConfig } from './pricing-config.js';
import type { StoreHeader } from './receipt-layout.js';
import { SaleReceipts } from './sale-receipts.js';
import { SaleService } from './sale-service.js';
import { connectedPrinter, enrolledLedger, FIXED_NOW } from './test-support.js';

const HEADER: StoreHeader = {
  storeName: 'Tillwright Stationers',
  address: ['12 Market Street', '1000 Brussels'],
  taxId: 'BE0123456789',
};
const SHIFT_ID = '019ab8a0-0000-7000-8000-0000000005f1';

let fixture: ReturnType<typeof enrolledLedger>;
let printer: PrinterEmulator;
let devices: PrinterDevices;
let sales: SaleService;
let receipts: SaleReceipts;
/** The store's configuration as HQ has it now; a test may move the store to another zone. */
let pricing: ReturnType<typeof defaultPricingConfig>;
/** The store header as HQ's configuration has it now; a test may rename the store. */
let header: StoreHeader;

beforeEach(async () => {
  fixture = enrolledLedger();
  // A server that takes sale v5: the sale records its cashier and its own receipt number.
  fixture.ledger.serverContact.recordVersions({ events: KNOWN_EVENT_VERSIONS, feed: {}, config: [1, 2, 3] });
  ({ printer, devices } = await connectedPrinter());
  pricing = defaultPricingConfig('DE', 'EUR');
  header = { ...HEADER };
  sales = new SaleService({
    ledger: fixture.ledger,
    pricing: () => pricing,
    isOffline: () => false,
    devices,
    header: {
      get storeName() {
        return header.storeName;
      },
      get address() {
        return header.address;
      },
      get taxId() {
        return header.taxId;
      },
    },
    now: FIXED_NOW,
    onCommitted: () => {},
    log: () => {},
    signedInEmployee: () => 'cashier-7',
    saleMode: () => ({ training: false, shiftId: SHIFT_ID }),
  });
  receipts = new SaleReceipts({
    ledger: fixture.ledger,
    devices,
    header: {
      get storeName() {
        return header.storeName;
      },
      get address() {
        return header.address;
      },
      get taxId() {
        return header.taxId;
      },
    },
    timeZone: () => pricing.timeZone,
    log: () => {},
  });
});
afterEach(async () => {
  await devices.stop();
  await printer.close();
  fixture.cleanup();
});

const sell = () =>
  sales.complete({
    saleId: fixture.nextSaleId(),
    currency: 'EUR',
    tenders: [{ kind: 'cash', tendered: 2000 }],
    lines: [
      { lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 },
      { lineId: 'l2', productId: 'book', barcode: null, quantity: 2 },
    ],
  });

describe('a sale receipt', () => {
  it('prints what the law asks: the store, its address and tax id, till, number, local time, cashier, taxes', async () => {
    const sale = await sell();
    expect(sale.receiptNumber).toBe('S1-T01-1-000001');
    const paper = printer.receipts[0]!.text;
    for (const expected of [
      'Tillwright Stationers',
      '12 Market Street',
      '1000 Brussels',
      'Tax ID BE0123456789',
      'Terminal S1-T01',
      'No. S1-T01-1-000001',
      'Cashier cashier-7',
      // FIXED_NOW on the store's clock (the default pricing's zone, UTC).
      '2026-11-25 12:00:00',
    ]) {
      expect(paper).toContain(expected);
    }
    // One line per tax rate, with what it was charged on.
    expect(paper).toMatch(/MwSt 19 % incl\. on 2\.10\s+0\.40/);
    expect(paper).toMatch(/MwSt 7 % incl\. on 9\.33\s+0\.65/);
  });

  it('shows on screen exactly the lines the printer printed', async () => {
    const sale = await sell();
    const onScreen = receipts.text(sale.saleId);
    expect(onScreen).toMatchObject({ saleId: sale.saleId, receiptNumber: 'S1-T01-1-000001', columns: 48 });
    expect(onScreen.lines.join('\n')).toBe(printer.receipts[0]!.text);
    expect(onScreen.lines.some((line) => line.includes('COPY'))).toBe(false);
  });

  it('reprints as a copy, marked COPY at top and bottom, each reprint its own job, never opening the drawer', async () => {
    const sale = await sell();
    expect(printer.drawerKicks).toBe(1);
    expect(await receipts.reprint(sale.saleId)).toEqual({ receipt: 'confirmed' });
    expect(await receipts.reprint(sale.saleId)).toEqual({ receipt: 'confirmed' });
    expect(printer.receipts).toHaveLength(3);
    for (const copy of printer.receipts.slice(1)) {
      const lines = copy.text.split('\n').filter((line) => line.trim() !== '');
      expect(lines[0]!.trim()).toBe('*** COPY ***');
      expect(lines.at(-1)!.trim()).toBe('*** COPY ***');
      expect(copy.text).toContain('No. S1-T01-1-000001');
    }
    expect(printer.receipts[0]!.text).not.toContain('COPY');
    expect(printer.drawerKicks).toBe(1);
  });

  it('shows and reprints the time on the clock of the store where the sale was rung up, after the store moved zone', async () => {
    const sale = await sell();
    // HQ moves the store to New York after the sale (rung up in the store's zone then, UTC, as the sale records).
    pricing = { ...pricing, timeZone: 'America/New_York' };
    expect(receipts.text(sale.saleId).lines.join('\n')).toContain('2026-11-25 12:00:00');
    await receipts.reprint(sale.saleId);
    expect(printer.receipts[1]!.text).toContain('2026-11-25 12:00:00');
    // A sale rung up after the move prints New York's clock, and so do its copies.
    const later = await sell();
    expect(printer.receipts[2]!.text).toContain('2026-11-25 07:00:00');
    expect(receipts.text(later.saleId).lines.join('\n')).toContain('2026-11-25 07:00:00');
  });

  it('a reprint and the preview print the store the sale was sold under, after HQ renamed and moved it', async () => {
    const sale = await sell();
    header = {
      storeName: 'Tillwright Paper & Co',
      address: ['1 New Road', '2000 Antwerp'],
      taxId: 'BE0999999999',
    };
    await receipts.reprint(sale.saleId);
    const copy = printer.receipts[1]!.text;
    const onScreen = receipts.text(sale.saleId).lines.join('\n');
    for (const text of [copy, onScreen]) {
      expect(text).toContain('Tillwright Stationers');
      expect(text).toContain('12 Market Street');
      expect(text).toContain('Tax ID BE0123456789');
      expect(text).not.toContain('Tillwright Paper & Co');
      expect(text).not.toContain('Antwerp');
    }
    // A sale rung up after the rename prints the new name.
    const later = await sell();
    expect(receipts.text(later.saleId).lines.join('\n')).toContain('Tillwright Paper & Co');
  });

  it('records a sale of a store whose tax id passes the card-number check: HQ set it, no cashier typed it', async () => {
    // A French SIRET: 14 digits that happen to pass Luhn, like a card number.
    header = { ...HEADER, taxId: '443 061 841 00047' };
    const sale = await sell();
    expect(sale.alreadyRecorded).toBe(false);
    expect(printer.receipts[0]!.text).toContain('Tax ID 443 061 841 00047');
  });

  it('refuses a sale id the till has not recorded, printing nothing', async () => {
    const unknown = fixture.nextSaleId();
    expect(() => receipts.text(unknown)).toThrow(expect.objectContaining({ code: 'sale_not_found' }));
    await expect(receipts.reprint(unknown)).rejects.toMatchObject({ code: 'sale_not_found' });
    expect(printer.receipts).toHaveLength(0);
  });
});
