import type { CatalogProduct, SaleEvent } from '@tillwright/protocol';
import { sampleSalePayload } from '@tillwright/protocol/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerReader } from './ledger.js';
import { freshLedger } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

const pen: CatalogProduct = {
  productId: 'p1',
  sku: 'PEN-1',
  name: 'Ballpoint pen',
  barcodes: ['4006381333931'],
  currency: 'EUR',
  price: 250,
  taxCategory: 'standard',
  tags: ['stationery'],
  active: true,
  version: 1,
};

function setup() {
  const fixture = freshLedger();
  cleanup = fixture.cleanup;
  const sellAt = (catalog: number) =>
    fixture.ledger.journal.record({
      eventId: fixture.nextId(),
      type: 'sale',
      occurredAt: '2026-11-25T10:00:00.000Z',
      payload: {
        ...sampleSalePayload(250),
        pricedWith: { catalog, priceList: 1, promotions: 0, taxRules: 1 },
      },
    }).event as SaleEvent;
  return { ...fixture, sellAt };
}

describe('the till keeps the catalog versions it priced with', () => {
  it('reads a product re-priced by a pull after a sale back at the sale’s catalog version, at the old price', () => {
    const { ledger, sellAt } = setup();
    ledger.catalog.applyBatch([pen], 1);
    const sale = sellAt(ledger.catalog.cursor());
    ledger.catalog.applyBatch([{ ...pen, price: 275, name: 'Ballpoint pen (new)', version: 2 }], 2);

    expect(ledger.catalog.findByBarcode('4006381333931')?.price).toBe(275);
    expect(ledger.catalog.productAt('p1', sale.payload.pricedWith.catalog)).toEqual(pen);
    expect(ledger.catalog.productAt('p1', 2)).toMatchObject({ price: 275, version: 2 });
  });

  it('answers the newest version at or below the asked catalog version, and null before the product existed', () => {
    const { ledger } = setup();
    ledger.catalog.applyBatch([{ ...pen, version: 3 }], 3);
    ledger.catalog.applyBatch([{ ...pen, price: 300, version: 7 }], 8);
    expect(ledger.catalog.productAt('p1', 2)).toBeNull();
    expect(ledger.catalog.productAt('p1', 3)?.price).toBe(250);
    expect(ledger.catalog.productAt('p1', 6)?.price).toBe(250);
    expect(ledger.catalog.productAt('p1', 7)?.price).toBe(300);
    expect(ledger.catalog.productAt('p1', 1_000)?.price).toBe(300);
    expect(ledger.catalog.productAt('nobody', 1_000)).toBeNull();
  });

  it('keeps a deactivated version too, so a sale before the deactivation still reads its product', () => {
    const { ledger } = setup();
    ledger.catalog.applyBatch([pen], 1);
    ledger.catalog.applyBatch([{ ...pen, active: false, version: 2 }], 2);
    expect(ledger.catalog.findById('p1')).toBeNull();
    expect(ledger.catalog.productAt('p1', 1)?.active).toBe(true);
    expect(ledger.catalog.productAt('p1', 2)?.active).toBe(false);
  });

  it('keeps the body first pulled when a full re-pull brings the same versions again', () => {
    const { ledger } = setup();
    ledger.catalog.applyBatch([pen], 1);
    ledger.catalog.restartCursor();
    ledger.catalog.applyBatch([pen], 1);
    expect(ledger.catalog.productAt('p1', 1)).toEqual(pen);
  });

  it('keeps history out of an all-or-nothing batch that failed', () => {
    const { ledger } = setup();
    ledger.catalog.applyBatch([pen], 1);
    const bad = { ...pen, productId: 'p2', price: -1, version: 2 };
    expect(() => ledger.catalog.applyBatch([{ ...pen, price: 999, version: 2 }, bad], 2)).toThrow();
    expect(ledger.catalog.productAt('p1', 2)?.price).toBe(250);
  });

  it('reads history from a read-only handle beside the writer', () => {
    const { ledger, path } = setup();
    ledger.catalog.applyBatch([pen], 1);
    ledger.catalog.applyBatch([{ ...pen, price: 275, version: 2 }], 2);
    const reader = LedgerReader.open(path);
    try {
      expect(reader.catalog.productAt('p1', 1)?.price).toBe(250);
    } finally {
      reader.close();
    }
  });
});

describe('retention of the catalog history', () => {
  const LATER = '2999-01-01T00:00:00.000Z';

  it('never drops a version a journal sale was priced with, nor any product’s current version', () => {
    const { ledger, sellAt } = setup();
    ledger.catalog.applyBatch([pen], 1);
    ledger.catalog.applyBatch([{ ...pen, price: 260, version: 5 }], 5);
    // Priced at catalog 6: reads version 5 (5 ≤ 6 < 9).
    sellAt(6);
    ledger.catalog.applyBatch([{ ...pen, price: 270, version: 9 }], 9);

    expect(ledger.catalog.pruneHistory(LATER)).toBe(1);
    expect(ledger.catalog.productAt('p1', 6)?.price).toBe(260);
    expect(ledger.catalog.productAt('p1', 9)?.price).toBe(270);
    // Version 1 was superseded and no sale reads it: a tombstone answers null, never version 5's price.
    expect(ledger.catalog.productAt('p1', 1)).toBeNull();
    expect(ledger.catalog.productAt('p1', 4)).toBeNull();
    expect(ledger.catalog.pruneHistory(LATER)).toBe(0);
  });

  it('drops nothing superseded after the cut-off', () => {
    const { ledger } = setup();
    ledger.catalog.applyBatch([pen], 1);
    ledger.catalog.applyBatch([{ ...pen, price: 260, version: 2 }], 2);
    expect(ledger.catalog.pruneHistory('2000-01-01T00:00:00.000Z')).toBe(0);
    expect(ledger.catalog.productAt('p1', 1)?.price).toBe(250);
  });

  it('restores a dropped version when a full re-pull brings it again', () => {
    const { ledger } = setup();
    ledger.catalog.applyBatch([pen], 1);
    ledger.catalog.applyBatch([{ ...pen, price: 260, version: 2 }], 2);
    ledger.catalog.pruneHistory(LATER);
    expect(ledger.catalog.productAt('p1', 1)).toBeNull();
    ledger.catalog.restartCursor();
    ledger.catalog.applyBatch([pen], 1);
    expect(ledger.catalog.productAt('p1', 1)).toEqual(pen);
  });
});
