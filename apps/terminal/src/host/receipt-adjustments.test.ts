import type { Promotion } from '@tillwright/commerce';
import type { PrinterEmulator } from '@tillwright/devices/sim';
import { KNOWN_EVENT_VERSIONS } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PrinterDevices } from './devices.js';
import { defaultPricingConfig } from './pricing-config.js';
import { SaleService } from './sale-service.js';
import { connectedPrinter, enrolledLedger, FIXED_NOW } from './test-support.js';

const PENS: Promotion = {
  id: 'pens-20',
  name: 'Pens 20 % off',
  kind: 'item-percent',
  target: { productIds: ['pen'] },
  rate: 200_000,
  priority: 0,
};

let fixture: ReturnType<typeof enrolledLedger>;
let printer: PrinterEmulator;
let devices: PrinterDevices;
let sales: SaleService;

beforeEach(async () => {
  fixture = enrolledLedger();
  fixture.ledger.serverContact.recordVersions({ events: KNOWN_EVENT_VERSIONS, feed: {}, config: [1, 2, 3] });
  ({ printer, devices } = await connectedPrinter());
  // The built-in limits (10 % line, 5 % basket, 10 % override): nothing here needs an approval.
  const pricing = { ...defaultPricingConfig('DE', 'EUR'), promotions: [PENS] };
  sales = new SaleService({
    ledger: fixture.ledger,
    pricing: () => pricing,
    isOffline: () => false,
    devices,
    header: { storeName: 'Tillwright Stationers' },
    now: FIXED_NOW,
    onCommitted: () => {},
    log: () => {},
    signedInEmployee: () => 'cashier-7',
    saleMode: () => ({ training: false, shiftId: '019ab8a0-0000-7000-8000-0000000005f1' }),
  });
});
afterEach(async () => {
  await devices.stop();
  await printer.close();
  fixture.cleanup();
});

describe('a receipt with promotions, discounts and a price override', () => {
  it('prints each by name and amount: the promotion, the override with the price it replaced, the discounts with their reasons', async () => {
    const sale = await sales.complete({
      saleId: fixture.nextSaleId(),
      currency: 'EUR',
      tenders: [{ kind: 'cash', tendered: 2000 }],
      lines: [
        { lineId: 'l1', productId: 'pen', barcode: null, quantity: 2 },
        {
          lineId: 'l2',
          productId: 'book',
          barcode: null,
          quantity: 1,
          priceOverride: { unitPrice: 450, reason: 'damaged box' },
          discount: { discount: { kind: 'percent', rate: 100_000 }, reason: 'loyal customer' },
        },
      ],
      basketDiscount: { discount: { kind: 'percent', rate: 50_000 }, reason: 'staff party' },
    });
    // Pens 5.00 − 1.00; notebook 4.99 → 4.50 − 0.45; basket 5 % of 8.05 = 0.40: 7.65.
    expect(sale.total).toBe(765);
    const paper = printer.receipts[0]!.text;
    expect(paper).toMatch(/Ballpoint pen\s+5\.00/);
    expect(paper).toMatch(/ {2}Pens 20 % off\s+-1\.00/);
    // The notebook at its listed price, the override taking off the difference.
    expect(paper).toMatch(/Notebook A5\s+4\.99/);
    expect(paper).toMatch(/ {2}Price override \(was 4\.99\): damaged box\s+-0\.49/);
    expect(paper).toMatch(/ {2}Discount 10 %: loyal customer\s+-0\.45/);
    // The basket discount once, under the subtotal, not shared out on the lines.
    expect(paper).toMatch(/Subtotal\s+8\.05/);
    expect(paper).toMatch(/ {2}Basket discount 5 %: staff party\s+-0\.40/);
    expect(paper).toMatch(/You saved\s+2\.34/);
    expect(paper).toContain('TOTAL EUR 7.65');
  });

  it('names an amount discount by its reason alone when it is no whole percent', async () => {
    await sales.complete({
      saleId: fixture.nextSaleId(),
      currency: 'EUR',
      tenders: [{ kind: 'cash', tendered: 2000 }],
      lines: [
        {
          lineId: 'l2',
          productId: 'book',
          barcode: null,
          quantity: 1,
          discount: { discount: { kind: 'amount', amount: 33 }, reason: 'scratched cover' },
        },
      ],
    });
    expect(printer.receipts[0]!.text).toMatch(/ {2}Discount: scratched cover\s+-0\.33/);
  });
});
