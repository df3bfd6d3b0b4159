import type { CatalogProduct } from '@tillwright/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { freshLedger } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

const apples: CatalogProduct = {
  productId: 'apples',
  sku: 'APL-1',
  name: 'Apples',
  barcodes: ['2800010000006'],
  currency: 'EUR',
  price: 399,
  taxCategory: 'reduced',
  tags: [],
  active: true,
  version: 1,
  measure: 'kg',
};

function setup() {
  const fixture = freshLedger();
  cleanup = fixture.cleanup;
  return fixture.ledger;
}

describe('catalog cache: how a product is sold (issue #17)', () => {
  it('keeps a weighed product, an open-price product and an age-restricted one with what they need', () => {
    const ledger = setup();
    ledger.catalog.applyBatch(
      [
        apples,
        {
          ...apples,
          productId: 'flowers',
          sku: 'FLW',
          name: 'Flowers',
          barcodes: [],
          measure: 'unit',
          openPrice: { min: 100, max: 5000 },
        },
        {
          ...apples,
          productId: 'wine',
          sku: 'WIN',
          name: 'Red wine',
          barcodes: [],
          measure: undefined,
          minimumAge: 18,
        },
      ],
      1,
    );
    expect(ledger.catalog.findById('apples')).toMatchObject({
      measure: 'kg',
      openPrice: null,
      minimumAge: null,
    });
    expect(ledger.catalog.findById('flowers')).toMatchObject({
      measure: 'unit',
      openPrice: { min: 100, max: 5000 },
      minimumAge: null,
    });
    expect(ledger.catalog.findById('wine')).toMatchObject({
      measure: 'unit',
      openPrice: null,
      minimumAge: 18,
    });
    expect(ledger.catalog.findByBarcode('2800010000006')?.measure).toBe('kg');
    expect(ledger.catalog.search('wine')[0]?.minimumAge).toBe(18);
  });

  it('a product pulled again without them (HQ dropped the flag) is sold by the unit, at its price, unchecked', () => {
    const ledger = setup();
    ledger.catalog.applyBatch([{ ...apples, openPrice: { min: 0, max: 100 }, minimumAge: 16 }], 1);
    const { measure: _m, openPrice: _o, minimumAge: _a, ...plain } = apples;
    ledger.catalog.applyBatch([{ ...plain, version: 2 }], 2);
    expect(ledger.catalog.findById('apples')).toMatchObject({
      measure: 'unit',
      openPrice: null,
      minimumAge: null,
    });
  });
});
