import type { CatalogProduct } from '@tillwright/protocol';
import Database from 'better-sqlite3';
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

describe('catalog name search', () => {
  function seeded() {
    const ledger = setup();
    ledger.catalog.applyBatch(
      [
        pen,
        {
          ...pen,
          productId: 'p2',
          sku: 'PEN-RED',
          name: 'Ballpoint pen, red',
          barcodes: ['111'],
          version: 2,
        },
        { ...pen, productId: 'p3', sku: 'CAFE-1', name: 'Café crème beans', barcodes: ['222'], version: 3 },
        {
          ...pen,
          productId: 'p4',
          sku: 'NB-A5',
          name: 'Notebook A5',
          barcodes: ['333'],
          version: 4,
          active: false,
        },
      ],
      4,
    );
    return ledger;
  }

  it('finds products by the start of each word, in any order', () => {
    const ledger = seeded();
    expect(ledger.catalog.search('pen red').map((p) => p.productId)).toEqual(['p2']);
    expect(
      ledger.catalog
        .search('ball')
        .map((p) => p.productId)
        .sort(),
    ).toEqual(['p1', 'p2']);
  });

  it('ignores accents and case, matches SKUs, and hides inactive products', () => {
    const ledger = seeded();
    expect(ledger.catalog.search('CAFE creme').map((p) => p.productId)).toEqual(['p3']);
    expect(ledger.catalog.search('pen-red').map((p) => p.productId)).toEqual(['p2']);
    expect(ledger.catalog.search('notebook')).toEqual([]);
  });

  it('treats what the cashier types as words, never as search syntax', () => {
    const ledger = seeded();
    expect(ledger.catalog.search('pen" OR name:*')).toHaveLength(0);
    expect(ledger.catalog.search('***')).toEqual([]);
    expect(ledger.catalog.search('pen)(')).toHaveLength(2);
  });

  it('answers from the first character, unranked while every word is short, ranked from 3 letters', () => {
    const ledger = seeded();
    expect(
      ledger.catalog
        .search('b')
        .map((p) => p.productId)
        .sort(),
    ).toEqual(['p1', 'p2', 'p3']);
    expect(ledger.catalog.search('c c').map((p) => p.productId)).toEqual(['p3']);
    expect(ledger.catalog.search('n')).toEqual([]);
    // "red" matches p2 only; "pen" ranks the short name (the better match) first.
    expect(ledger.catalog.search('pen').map((p) => p.productId)).toEqual(['p1', 'p2']);
  });

  it('keeps to the limit, between 1 and 200 whatever is asked', () => {
    const ledger = setup();
    const many = Array.from({ length: 250 }, (_, i) => ({
      ...pen,
      productId: `m${i}`,
      sku: `M-${i}`,
      name: `Marker ${i}`,
      barcodes: [`9${String(i).padStart(7, '0')}`],
    }));
    ledger.catalog.applyBatch(many, 1);
    expect(ledger.catalog.search('m', 5)).toHaveLength(5);
    expect(ledger.catalog.search('marker', 5)).toHaveLength(5);
    expect(ledger.catalog.search('m', 1000)).toHaveLength(200);
    expect(ledger.catalog.search('m', 0)).toHaveLength(1);
    expect(ledger.catalog.search('m', Number.NaN)).toHaveLength(1);
  });

  it('never throws on search syntax: quotes, stars, NEAR, minus, colons and brackets are only separators', () => {
    const ledger = seeded();
    for (const text of [
      '"',
      '""pen',
      '*',
      'pen*',
      'NEAR(pen red)',
      'pen NEAR red',
      '-pen',
      'name:pen',
      'sku:',
      '^pen',
      'pen AND',
      'OR',
      '(',
      "'",
      '\\',
      '{name}: pen',
    ]) {
      expect(() => ledger.catalog.search(text), text).not.toThrow();
    }
    expect(ledger.catalog.search('name:pen').map((p) => p.productId)).toEqual([]);
    expect(ledger.catalog.search('-pen').map((p) => p.productId)).toEqual(['p1', 'p2']);
    expect(ledger.catalog.search('NEAR(pen red)').map((p) => p.productId)).toEqual([]);
    expect(ledger.catalog.search('"pen" "red"').map((p) => p.productId)).toEqual(['p2']);
  });

  it('follows renames: the index is kept in step with the products', () => {
    const ledger = seeded();
    ledger.catalog.applyBatch([{ ...pen, name: 'Fountain pen', version: 5 }], 5);
    expect(ledger.catalog.search('ballpoint').map((p) => p.productId)).toEqual(['p2']);
    expect(ledger.catalog.search('fountain').map((p) => p.productId)).toEqual(['p1']);
  });
});

describe('catalog documents', () => {
  it('keeps promotions and tax rules with their versions, applied with the batch', () => {
    const ledger = setup();
    const promotion = {
      kind: 'promotion' as const,
      id: 'promo-1',
      version: 3,
      active: true,
      body: { rate: 100_000 },
    };
    ledger.catalog.applyBatch([], 3, [promotion]);
    expect(ledger.catalog.documents('promotion')).toEqual([promotion]);
    expect(ledger.catalog.documents('tax-rules')).toEqual([]);
    ledger.catalog.applyBatch([], 4, [{ ...promotion, version: 4, active: false }]);
    expect(ledger.catalog.documents('promotion')[0]).toMatchObject({ version: 4, active: false });
  });
});

describe('catalog query plans', () => {
  it('searches one letter through the FTS5 prefix index (decision 0016)', () => {
    const fixture = freshLedger();
    cleanup = fixture.cleanup;
    const db = new Database(fixture.path, { readonly: true });
    const sql = (
      db.prepare("SELECT sql FROM sqlite_master WHERE name = 'catalog_search'").get() as { sql: string }
    ).sql;
    db.close();
    expect(sql).toMatch(/prefix = '1 2'/);
  });

  it('looks a barcode up through its primary key, not a scan', () => {
    const fixture = freshLedger();
    cleanup = fixture.cleanup;
    const db = new Database(fixture.path, { readonly: true });
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT p.product_id FROM catalog_barcodes b JOIN catalog_products p
           ON p.product_id = b.product_id WHERE b.barcode = ? AND p.active = 1`,
      )
      .all('4006381333931') as { detail: string }[];
    db.close();
    const details = plan.map((row) => row.detail).join(' | ');
    expect(details).toMatch(/SEARCH b USING PRIMARY KEY \(barcode=\?\)/);
    expect(details).toMatch(/SEARCH p USING INDEX sqlite_autoindex_catalog_products_1 \(product_id=\?\)/);
    expect(details).not.toMatch(/SCAN/);
  });
});
