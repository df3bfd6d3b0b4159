import { GENESIS_HASH, type SaleEventV6, type SaleLineV2 } from '@tillwright/protocol';
import { sealEvent } from '@tillwright/protocol/chain';
import { samplePayloads } from '@tillwright/protocol/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, FIXED_NOW, openTestStore, type TestStore, useBackend } from '../test-support.js';
import type { ServerStore, TerminalPrincipal } from './store.js';

const T0 = '2026-11-25T10:00:00.000Z';
const product = (productId: string, price: number, more: Record<string, unknown> = {}) => ({
  productId,
  sku: productId.toUpperCase(),
  name: productId,
  barcodes: [],
  currency: 'EUR',
  price,
  taxCategory: 'standard',
  tags: [],
  active: true,
  ...more,
});

/**
 * HQ's price check (store/ingest.ts) on the lines of issue #17: a weighed line's unit price is its weighed amount, so
 * it is compared by its price per kg; a keyed price (open price, price label) was checked at the till.
 */
describe.each(BACKENDS)('price checks of weighed and keyed lines on %s', (backend) => {
  useBackend(backend);
  let opened: TestStore;
  let store: ServerStore;
  let till: TerminalPrincipal;
  let last = { seq: 0, hash: GENESIS_HASH };

  beforeEach(async () => {
    opened = await openTestStore(backend);
    store = opened.store;
    await store.createOrg('org-a', 'A');
    await store.createStore('org-a', 's1', 'Store one');
    await store.issueEnrolmentCode('org-a', 's1', 'a'.repeat(64), '2026-11-26T10:00:00.000Z');
    till = await store.enrolTerminal({
      codeHash: 'a'.repeat(64),
      terminalName: 'Till',
      publicKey: 'k',
      now: T0,
    });
    last = { seq: 0, hash: GENESIS_HASH };
    await store.putCatalogProducts('org-a', [
      product('apples', 399, { measure: 'kg' }),
      product('flowers', 1500, { openPrice: { min: 100, max: 5000 } }),
    ]);
  });
  afterEach(() => opened.close());

  /** A v6 sale of one line (the sample's, changed), priced with catalog version 2. */
  const sell = (change: Partial<SaleLineV2>) => {
    const sample = samplePayloads().sale;
    const line = { ...sample.lines[0]!, overrideReason: null, ...change };
    const event = sealEvent({
      schema: 6 as const,
      eventId: `019ab000-0000-7000-8000-${String(last.seq + 1).padStart(12, '0')}`,
      type: 'sale' as const,
      terminalId: till.terminalId,
      storeId: till.storeId,
      epoch: till.epoch,
      seq: last.seq + 1,
      occurredAt: FIXED_NOW.toISOString(),
      payload: { ...sample, lines: [line], pricedWith: { ...sample.pricedWith, catalog: 2 } },
      prevHash: last.hash,
    }) as SaleEventV6;
    last = { seq: event.seq, hash: event.hash };
    return store.ingest(till, { epoch: till.epoch, events: [event] }, T0);
  };
  const weighed = (pricePerUnit: number) => ({
    productId: 'apples',
    catalogUnitPrice: 204,
    unitPrice: 204,
    measure: { unit: 'g' as const, value: 512, pricePerUnit, source: 'manual' as const },
  });

  it('a weighed line at its price per kg is no exception, though its amount is below the price per kg', async () => {
    expect(await sell(weighed(399))).toMatchObject({ stored: 1, exceptions: 0 });
  });

  it('a weighed line whose price per kg is below the catalog is one', async () => {
    expect(await sell(weighed(299))).toMatchObject({ stored: 1, exceptions: 1 });
    const [found] = await store.exceptions('org-a', 0, 10);
    expect(found).toMatchObject({ kind: 'price_below_catalog' });
    expect(found?.detail).toContain('sold at 299 per unit weighed, catalog 399');
  });

  it('a keyed price below the suggested price is no exception', async () => {
    expect(
      await sell({ productId: 'flowers', catalogUnitPrice: 1250, unitPrice: 1250, priceEntered: true }),
    ).toMatchObject({ stored: 1, exceptions: 0 });
  });
});
