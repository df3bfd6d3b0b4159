import type { CatalogProduct } from '@tillwright/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { freshLedger } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

const pen: CatalogProduct = {
  productId: 'p1',
  sku: 'PEN-1',
  name: 'Ballpoint pen',
  barcodes: ['4006381333931', '96385074'],
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
  return fixture.ledger;
}

describe('catalog cache', () => {
  it('finds a product by any of its barcodes after a batch is applied', () => {
    const ledger = setup();
    ledger.catalog.applyBatch([pen], 1);
    expect(ledger.catalog.findByBarcode('96385074')).toMatchObject({
      productId: 'p1',
      price: 250,
      taxCategory: 'standard',
      tags: ['stationery'],
    });
    expect(ledger.catalog.findByBarcode('0000000000000')).toBeNull();
    expect(ledger.catalog.cursor()).toBe(1);
  });

  it('applies a later version of a product, moving its barcodes', () => {
    const ledger = setup();
    ledger.catalog.applyBatch([pen], 1);
    ledger.catalog.applyBatch([{ ...pen, price: 275, barcodes: ['4006381333931'], version: 2 }], 2);
    expect(ledger.catalog.findByBarcode('4006381333931')?.price).toBe(275);
    expect(ledger.catalog.findByBarcode('96385074')).toBeNull();
  });

  it('hides inactive products from lookups', () => {
    const ledger = setup();
    ledger.catalog.applyBatch([{ ...pen, active: false }], 1);
    expect(ledger.catalog.findByBarcode('4006381333931')).toBeNull();
  });

  it('applies a batch all or nothing: a bad row leaves products and cursor untouched', () => {
    const ledger = setup();
    ledger.catalog.applyBatch([pen], 1);
    const bad = { ...pen, productId: 'p2', price: -1, barcodes: ['111'], version: 2 };
    expect(() => ledger.catalog.applyBatch([{ ...pen, price: 999, version: 2 }, bad], 2)).toThrow();
    expect(ledger.catalog.findByBarcode('4006381333931')?.price).toBe(250);
    expect(ledger.catalog.cursor()).toBe(1);
  });
});
