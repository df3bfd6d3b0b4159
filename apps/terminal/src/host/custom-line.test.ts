import type { PrinterEmulator } from '@tillwright/devices/sim';
import { KNOWN_EVENT_VERSIONS, type SaleEvent } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SaleLineRequest } from '../contract/methods.js';
import type { PrinterDevices } from './devices.js';
import { defaultPricingConfig, type PricingConfig } from './pricing-config.js';
import { SaleService } from './sale-service.js';
import { connectedPrinter, enrolledLedger, FIXED_NOW } from './test-support.js';

/**
 * Custom-amount lines (issue #17, point 1): a line with no product, where HQ's configuration allows it — the
 * description the cashier typed, once, at the amount keyed, up to the store's limit, taxed in the store's category.
 */

const SHIFT_ID = '019ab8a0-0000-7000-8000-0000000005f1';
const ALLOWED = { allowed: true, maxAmount: 50_00, taxCategory: 'standard' };

let fixture: ReturnType<typeof enrolledLedger>;
let printer: PrinterEmulator;
let devices: PrinterDevices;
let pricing: PricingConfig;
let sales: SaleService;

beforeEach(async () => {
  fixture = enrolledLedger();
  // A server that takes sale v6, which records how each line was sold.
  fixture.ledger.serverContact.recordVersions({ events: KNOWN_EVENT_VERSIONS, feed: {}, config: [1, 2, 3] });
  ({ printer, devices } = await connectedPrinter());
  pricing = { ...defaultPricingConfig('DE', 'EUR'), customLines: ALLOWED };
  sales = new SaleService({
    ledger: fixture.ledger,
    pricing: () => pricing,
    isOffline: () => false,
    devices,
    header: { storeName: 'Test Store' },
    now: FIXED_NOW,
    onCommitted: () => {},
    log: () => {},
    signedInEmployee: () => 'cashier-7',
    saleMode: () => ({ training: false, shiftId: SHIFT_ID }),
  });
});
afterEach(async () => {
  await devices.stop();
  await printer.close();
  fixture.cleanup();
});

const repair = (changes: Partial<SaleLineRequest> = {}): SaleLineRequest => ({
  lineId: 'l2',
  productId: 'custom',
  barcode: null,
  quantity: 1,
  custom: { description: 'Pen repair', amount: 12_50 },
  ...changes,
});
const pen: SaleLineRequest = { lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 };
const quote = (...lines: SaleLineRequest[]) => sales.quote({ currency: 'EUR', lines });
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    const { code, message, retryable } = error as { code: string; message: string; retryable: boolean };
    return { code, message, retryable };
  }
  throw new Error('not refused');
};

describe('a custom-amount line', () => {
  it('is priced at the amount keyed, once, taxed in the configured category', () => {
    const priced = quote(pen, repair());
    expect(priced.lines[1]).toMatchObject({ lineId: 'l2', unitPrice: 12_50, amount: 12_50 });
    // 19 % included in the pen's 2.50 (0.40) and in the repair's 12.50 (2.00).
    expect(priced).toMatchObject({ total: 15_00, taxTotal: 40 + 2_00 });
  });

  it('is recorded as a custom line in the sale (v6), and the receipt prints its description and amount', async () => {
    const saleId = fixture.nextSaleId();
    const sale = await sales.complete({
      saleId,
      currency: 'EUR',
      lines: [pen, repair()],
      tenders: [{ kind: 'cash', tendered: 20_00 }],
    });
    expect(sale).toMatchObject({ total: 15_00, change: 5_00 });
    const recorded = (fixture.ledger.journal.get(saleId) as SaleEvent).payload;
    expect(recorded.lines[1]).toMatchObject({
      productId: 'custom',
      sku: 'custom',
      barcode: null,
      name: 'Pen repair',
      quantity: 1,
      unitPrice: 12_50,
      taxCategory: 'standard',
      kind: 'custom',
      priceEntered: true,
      measure: null,
      ageCheck: null,
    });
    expect(recorded.lines[0]).toMatchObject({ kind: 'product', priceEntered: false });
    expect(printer.receipts[0]!.text).toMatch(/Pen repair\s+12\.50/);
  });

  it('is refused where the store does not allow custom lines, recording nothing', async () => {
    pricing = { ...pricing, customLines: { ...ALLOWED, allowed: false } };
    expect(refusal(() => quote(pen, repair()))).toEqual({
      code: 'custom_lines_not_allowed',
      message:
        'This store does not allow custom-amount lines: find the item by name (F2) or ask HQ to allow them',
      retryable: false,
    });
    const attempt = sales.complete({
      saleId: fixture.nextSaleId(),
      currency: 'EUR',
      lines: [pen, repair()],
      tenders: [{ kind: 'cash', tendered: 20_00 }],
    });
    await expect(attempt).rejects.toMatchObject({ code: 'custom_lines_not_allowed' });
    expect(fixture.ledger.journal.count()).toBe(0);
    expect(printer.receipts).toHaveLength(0);
  });

  it('is refused above the store limit, naming the limit in money, recording nothing', async () => {
    expect(refusal(() => quote(repair({ custom: { description: 'Deposit', amount: 50_01 } })))).toEqual({
      code: 'custom_amount_too_large',
      message:
        'A custom-amount line may be at most EUR 50.00 at this store (50.01 was entered): enter a smaller amount',
      retryable: false,
    });
    // The limit itself is allowed.
    expect(quote(repair({ custom: { description: 'Deposit', amount: 50_00 } })).total).toBe(50_00);
    const attempt = sales.complete({
      saleId: fixture.nextSaleId(),
      currency: 'EUR',
      lines: [repair({ custom: { description: 'Deposit', amount: 99_00 } })],
      tenders: [{ kind: 'cash', tendered: 100_00 }],
    });
    await expect(attempt).rejects.toMatchObject({ code: 'custom_amount_too_large' });
    expect(fixture.ledger.journal.count()).toBe(0);
  });

  it('is sold once: another quantity is refused', () => {
    expect(refusal(() => quote(repair({ quantity: 2 }))).code).toBe('custom_line_quantity');
  });

  it('needs its description and amount, and carries nothing else', () => {
    const { custom: _, ...bare } = repair();
    expect(refusal(() => quote(bare)).code).toBe('custom_line_incomplete');
    expect(refusal(() => quote(repair({ enteredPrice: 100 }))).code).toBe('custom_line_invalid');
    // A custom amount on a product line is refused too: it would be ignored otherwise.
    expect(refusal(() => quote({ ...pen, custom: { description: 'Pen', amount: 1 } })).code).toBe(
      'custom_line_invalid',
    );
  });

  it('is refused with a clear error when the configured tax category is not in the tax rules', () => {
    pricing = { ...pricing, customLines: { ...ALLOWED, taxCategory: 'luxury' } };
    expect(refusal(() => quote(repair()))).toEqual({
      code: 'custom_line_tax_category',
      message:
        'Custom-amount lines are set to tax category "luxury", which this till\'s tax rules (DE) do not have: ' +
        "ask HQ to correct the store's configuration",
      retryable: false,
    });
  });

  it('makes a retried Pay with another description or amount another request: refused, not answered as recorded', async () => {
    const saleId = fixture.nextSaleId();
    const pay = (custom: { description: string; amount: number }) =>
      sales.complete({
        saleId,
        currency: 'EUR',
        lines: [pen, repair({ custom })],
        tenders: [{ kind: 'cash', tendered: 20_00 }],
      });
    await pay({ description: 'Pen repair', amount: 12_50 });
    expect((await pay({ description: 'Pen repair', amount: 12_50 })).alreadyRecorded).toBe(true);
    await expect(pay({ description: 'Pen repair', amount: 13_50 })).rejects.toMatchObject({
      code: 'sale_already_recorded',
    });
    await expect(pay({ description: 'Ink refill', amount: 12_50 })).rejects.toMatchObject({
      code: 'sale_already_recorded',
    });
    expect(fixture.ledger.journal.count()).toBe(1);
  });

  it('is refused at Pay when the server only takes sales older than v6, which cannot record it', async () => {
    fixture.ledger.serverContact.recordVersions({
      events: { ...KNOWN_EVENT_VERSIONS, sale: [1, 2, 3, 4, 5] },
      feed: {},
      config: [1, 2, 3],
    });
    const attempt = sales.complete({
      saleId: fixture.nextSaleId(),
      currency: 'EUR',
      lines: [pen, repair()],
      tenders: [{ kind: 'cash', tendered: 20_00 }],
    });
    await expect(attempt).rejects.toMatchObject({ code: 'server_too_old', retryable: false });
    expect(fixture.ledger.journal.count()).toBe(0);
  });
});
