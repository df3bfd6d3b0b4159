import type { SaleEvent } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BusinessDayView } from '../contract/methods.js';
import { businessDayReport } from './day-report.js';
import { defaultPricingConfig, type PricingConfig } from './pricing-config.js';
import { SaleService } from './sale-service.js';
import { CATALOG, enrolledLedger } from './test-support.js';

let fixture: ReturnType<typeof enrolledLedger>;
let clock: Date;
let pricing: PricingConfig;
let service: SaleService;
const SHIFT_ID = '019ab8a0-0000-7000-8000-0000000005f1';

beforeEach(() => {
  fixture = enrolledLedger();
  pricing = { ...defaultPricingConfig('DE', 'EUR'), timeZone: 'Europe/Berlin' };
  clock = new Date(0);
  service = new SaleService({
    ledger: fixture.ledger,
    pricing: () => pricing,
    isOffline: () => false,
    devices: null,
    header: { storeName: 'Test Store' },
    now: () => clock,
    onCommitted: () => {},
    log: () => {},
    signedInEmployee: () => 'cashier-7',
    saleMode: () => ({ training: false, shiftId: SHIFT_ID }),
  });
});
afterEach(() => fixture.cleanup());

async function sellPenAt(iso: string): Promise<SaleEvent> {
  clock = new Date(iso);
  const saleId = fixture.nextSaleId();
  await service.complete({
    saleId,
    currency: 'EUR',
    lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
    tenders: [{ kind: 'cash', tendered: 500 }],
  });
  return fixture.ledger.journal.get(saleId) as SaleEvent;
}

describe("the till's business-day report", () => {
  it('gives today’s sales on Berlin’s 25-hour day: 00:30 and 23:30 local are today, the neighbours are not', async () => {
    await sellPenAt('2026-10-24T21:30:00.000Z'); // Sat 23:30 CEST
    await sellPenAt('2026-10-24T22:30:00.000Z'); // Sun 00:30 CEST
    await sellPenAt('2026-10-25T22:30:00.000Z'); // Sun 23:30 CET
    await sellPenAt('2026-10-25T23:30:00.000Z'); // Mon 00:30 CET
    const today = businessDayReport(fixture.ledger, pricing, new Date('2026-10-25T12:00:00.000Z'));
    expect(BusinessDayView.parse(today)).toEqual(today);
    expect(today).toMatchObject({
      day: '2026-10-25',
      timeZone: 'Europe/Berlin',
      sales: { count: 2, total: 500 },
    });
    expect(today.tenders.find((t) => t.kind === 'cash')?.net).toBe(500);
    expect(businessDayReport(fixture.ledger, pricing, clock, '2026-10-24').sales.count).toBe(1);
  });

  it('counts the night after midnight in the evening’s day when the store’s day starts at 04:00', async () => {
    pricing = { ...pricing, dayStartHour: 4 };
    await sellPenAt('2026-10-24T23:30:00.000Z'); // Sun 01:30 CEST
    const lateNight = new Date('2026-10-25T01:45:00.000Z'); // 02:45 CET, second pass of the repeated hour
    expect(businessDayReport(fixture.ledger, pricing, lateNight)).toMatchObject({
      day: '2026-10-24',
      sales: { count: 1 },
    });
  });
});

describe('the catalog versions a sale was priced with', () => {
  it('still read the sold price after a pull re-prices the product', async () => {
    const sale = await sellPenAt('2026-11-25T12:00:00.000Z');
    fixture.ledger.catalog.applyBatch([{ ...CATALOG[0]!, price: 275, version: 3 }], 3);
    const priced = sale.payload.pricedWith.catalog;
    expect(fixture.ledger.catalog.findById('pen')?.price).toBe(275);
    expect(fixture.ledger.catalog.productAt('pen', priced)?.price).toBe(sale.payload.lines[0]!.unitPrice);
    expect(sale.payload.lines[0]!.unitPrice).toBe(250);
  });
});
