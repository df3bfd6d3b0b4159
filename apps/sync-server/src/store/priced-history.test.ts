import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, openTestStore, saleChain, type TestStore, useBackend } from '../test-support.js';
import type { ServerStore, TerminalPrincipal } from './store.js';

const T0 = '2026-11-25T10:00:00.000Z';
const pen = (price: number) => ({
  productId: 'pen',
  sku: 'PEN-BLUE',
  name: 'Ballpoint pen, blue',
  barcodes: ['4006381333931'],
  currency: 'EUR',
  price,
  taxCategory: 'standard',
  tags: [],
  active: true,
});

/**
 * Priced history (issue #13, point 5): catalog listings are versioned rows, never overwritten, so what a product
 * cost at a catalog version can be read back, and a sale is checked against the catalog version it was priced with.
 */
describe.each(BACKENDS)('priced history on %s', (backend) => {
  useBackend(backend);
  let opened: TestStore;
  let store: ServerStore;
  let till: TerminalPrincipal;

  beforeEach(async () => {
    opened = await openTestStore(backend);
    store = opened.store;
    await store.createOrg('org-a', 'A');
    await store.createOrg('org-b', 'B');
    await store.createStore('org-a', 's1', 'Store one');
    await store.issueEnrolmentCode('org-a', 's1', 'a'.repeat(64), '2026-11-26T10:00:00.000Z');
    till = await store.enrolTerminal({
      codeHash: 'a'.repeat(64),
      terminalName: 'Till',
      publicKey: 'k',
      now: T0,
    });
  });
  afterEach(() => opened.close());

  /** A one-line sale of a pen at `price`, saying it was priced with catalog version `catalog`. */
  let last = { seq: 0, hash: '0'.repeat(64) };
  beforeEach(() => {
    last = { seq: 0, hash: '0'.repeat(64) };
  });
  const sell = async (price: number, catalog: number) => {
    const [sale] = saleChain(till, 1, last, (payload) => ({
      ...payload,
      lines: payload.lines.map((line) => ({ ...line, catalogUnitPrice: price, unitPrice: price })),
      pricedWith: { ...payload.pricedWith, catalog },
    }));
    last = { seq: sale!.seq, hash: sale!.hash };
    return store.ingest(till, { epoch: till.epoch, events: [sale!] }, T0);
  };

  it('reads a product back as it stood at each catalog version, and nothing before its first listing', async () => {
    expect(await store.putCatalogProducts('org-a', [pen(250)])).toBe(1);
    expect(await store.putCatalogProducts('org-a', [{ ...pen(250), productId: 'mug', sku: 'MUG' }])).toBe(2);
    expect(await store.putCatalogProducts('org-a', [pen(300)])).toBe(3);
    expect(await store.catalogProductAt('org-a', 'pen', 0)).toBeNull();
    expect(await store.catalogProductAt('org-a', 'pen', 1)).toEqual({ ...pen(250), version: 1 });
    expect(await store.catalogProductAt('org-a', 'pen', 2)).toEqual({ ...pen(250), version: 1 });
    expect(await store.catalogProductAt('org-a', 'pen', 3)).toEqual({ ...pen(300), version: 3 });
    expect(await store.catalogProductAt('org-a', 'pen', 99)).toEqual({ ...pen(300), version: 3 });
    // The current catalog still holds one row per product: what tills pull is unchanged.
    expect(await store.catalogProduct('org-a', 'pen')).toEqual({ ...pen(300), version: 3 });
    expect((await store.catalogAfter('org-a', 0, 10)).products.map((p) => p.productId)).toEqual([
      'mug',
      'pen',
    ]);
    // Scoped to its org: another org never reads it.
    expect(await store.catalogProductAt('org-b', 'pen', 3)).toBeNull();
    expect(await store.catalogProductAt('org-a', 'stapler', 3)).toBeNull();
  });

  it('keeps every listing of an import that names a product twice; the last is current', async () => {
    expect(await store.putCatalogProducts('org-a', [pen(250), pen(260)])).toBe(2);
    expect(await store.catalogProductAt('org-a', 'pen', 1)).toMatchObject({ price: 250, version: 1 });
    expect(await store.catalogProductAt('org-a', 'pen', 2)).toMatchObject({ price: 260, version: 2 });
    expect(await store.catalogProduct('org-a', 'pen')).toMatchObject({ price: 260, version: 2 });
  });

  it('checks a sale against the catalog version it was priced with, else against the current price', async () => {
    await store.putCatalogProducts('org-a', [pen(250)]); // version 1
    await store.putCatalogProducts('org-a', [pen(300)]); // version 2: the price went up after the sale
    // Priced with version 1 at 2.50: right for its time, so no exception although the pen now costs 3.00.
    expect(await sell(250, 1)).toMatchObject({ stored: 1, exceptions: 0 });
    // Priced with version 2 at 2.50: below what that version said.
    expect(await sell(250, 2)).toMatchObject({ stored: 1, exceptions: 1 });
    // A version the history does not reach (before the pen was listed): the current price is what is known.
    expect(await sell(250, 0)).toMatchObject({ stored: 1, exceptions: 1 });
    // Priced with version 1 below even that version's price.
    expect(await sell(200, 1)).toMatchObject({ stored: 1, exceptions: 1 });
    const found = await store.exceptions('org-a', 0, 10);
    expect(found.map((e) => e.kind)).toEqual([
      'price_below_catalog',
      'price_below_catalog',
      'price_below_catalog',
    ]);
    expect(found.map((e) => e.detail)).toEqual([
      'line l1: sold at 250, catalog 300 (priced with catalog version 2), no approval recorded',
      'line l1: sold at 250, catalog 300 (priced with catalog version 0), no approval recorded',
      'line l1: sold at 200, catalog 250 (priced with catalog version 1), no approval recorded',
    ]);
  });
});
