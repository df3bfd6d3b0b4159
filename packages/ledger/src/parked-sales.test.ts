import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { Ledger } from './ledger.js';
import type { ParkedSaleRecord } from './parked-sales.js';
import { freshLedger } from './test-support.js';

let fixture: ReturnType<typeof freshLedger>;
beforeEach(() => {
  fixture = freshLedger();
});
afterEach(() => fixture.cleanup());

const PEN = {
  lineId: 'l1',
  productId: 'p-pen',
  barcode: '4006381333931',
  name: 'Pen',
  unitPrice: 250,
  quantity: 2,
};
const PAD = { lineId: 'l3', productId: 'p-pad', barcode: null, name: 'Notepad', unitPrice: 390, quantity: 1 };

function parked(saleId: string, minute: number, patch: Partial<ParkedSaleRecord> = {}): ParkedSaleRecord {
  return {
    saleId,
    currency: 'EUR',
    parkedAt: new Date(Date.parse('2026-12-06T10:00:00.000Z') + minute * 60_000).toISOString(),
    parkedBy: 'cashier-7',
    parkedByName: 'Alex Cashier',
    label: null,
    total: 890,
    lines: [PEN, PAD],
    ...patch,
  };
}

describe('parked sales on this till', () => {
  it('keeps a parked sale exactly as given: who, when, label, total and every line', () => {
    const sale = parked('sale-a', 0, { label: 'Mrs Jones' });
    fixture.ledger.parkedSales.park(sale);
    expect(fixture.ledger.parkedSales.read('sale-a')).toEqual(sale);
    expect(fixture.ledger.parkedSales.read('sale-unknown')).toBeNull();
  });

  it('refuses a card number in its free text (card_data_refused) and writes nothing, a barcode is no card number', () => {
    fixture.ledger.parkedSales.park(parked('sale-a', 0, { label: 'Mrs Jones' }));
    const card = '4111-1111-1111-1111';
    for (const patch of [
      { label: card },
      { lines: [PEN, { ...PAD, name: card }] },
      { lines: [{ ...PAD, custom: { description: card, amount: 100 } }] },
      { lines: [{ ...PAD, discount: { discount: { kind: 'amount', amount: 5 }, reason: card } }] },
      { lines: [{ ...PAD, priceOverride: { unitPrice: 5, reason: card } }] },
    ]) {
      expect(() => fixture.ledger.parkedSales.park(parked('sale-a', 9, patch))).toThrow(
        expect.objectContaining({ code: 'card_data_refused', retryable: false }),
      );
      expect(() => fixture.ledger.parkedSales.park(parked('sale-b', 9, patch))).toThrow(
        /card numbers are never kept/,
      );
    }
    expect(fixture.ledger.parkedSales.list()).toEqual([parked('sale-a', 0, { label: 'Mrs Jones' })]);
    // Luhn-valid digits where ids and barcodes sit are not read.
    fixture.ledger.parkedSales.park(
      parked('sale-c', 1, { lines: [{ ...PEN, productId: card, barcode: card }] }),
    );
    expect(fixture.ledger.parkedSales.count()).toBe(2);
  });

  it("keeps the cart's basket discount as given, and none when it had none", () => {
    const basketDiscount = { discount: { kind: 'amount', amount: 100 }, reason: 'waited long' };
    fixture.ledger.parkedSales.park(parked('sale-a', 0, { basketDiscount }));
    fixture.ledger.parkedSales.park(parked('sale-b', 1));
    expect(fixture.ledger.parkedSales.read('sale-a')).toEqual(parked('sale-a', 0, { basketDiscount }));
    expect(fixture.ledger.parkedSales.read('sale-b')).not.toHaveProperty('basketDiscount');
    expect(() =>
      fixture.ledger.parkedSales.park(
        parked('sale-c', 2, { basketDiscount: { ...basketDiscount, reason: '4111 1111 1111 1111' } }),
      ),
    ).toThrow(/basketDiscount.reason looks like it holds a card number/);
  });

  it('lists the most recently parked first, and counts them', () => {
    fixture.ledger.parkedSales.park(parked('sale-a', 0));
    fixture.ledger.parkedSales.park(parked('sale-b', 5));
    fixture.ledger.parkedSales.park(parked('sale-c', 2));
    expect(fixture.ledger.parkedSales.list().map((sale) => sale.saleId)).toEqual([
      'sale-b',
      'sale-c',
      'sale-a',
    ]);
    expect(fixture.ledger.parkedSales.count()).toBe(3);
  });

  it('parking the same sale again replaces it: one row per sale id', () => {
    fixture.ledger.parkedSales.park(parked('sale-a', 0));
    fixture.ledger.parkedSales.park(parked('sale-a', 3, { lines: [PAD], total: null, label: 'back at 3' }));
    expect(fixture.ledger.parkedSales.list()).toEqual([
      parked('sale-a', 3, { lines: [PAD], total: null, label: 'back at 3' }),
    ]);
  });

  it('removes a parked sale; removing one that is not there answers false and changes nothing', () => {
    fixture.ledger.parkedSales.park(parked('sale-a', 0));
    fixture.ledger.parkedSales.park(parked('sale-b', 1));
    expect(fixture.ledger.parkedSales.unpark('sale-a')).toBe(true);
    expect(fixture.ledger.parkedSales.unpark('sale-a')).toBe(false);
    expect(fixture.ledger.parkedSales.list().map((sale) => sale.saleId)).toEqual(['sale-b']);
  });

  it('survives closing and reopening the ledger, and writes nothing to the journal', () => {
    fixture.ledger.parkedSales.park(parked('sale-a', 0, { label: 'blue coat' }));
    fixture.ledger.close();
    const reopened = Ledger.open(fixture.path);
    onTestFinished(() => reopened.close());
    expect(reopened.parkedSales.read('sale-a')).toEqual(parked('sale-a', 0, { label: 'blue coat' }));
    expect(reopened.journal.count()).toBe(0);
  });
});
