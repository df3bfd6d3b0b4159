import { DEFAULT_TERMINAL_CONFIG } from '@tillwright/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { CartConfigView } from '../contract/methods.js';
import { CartConfig } from './cart-config.js';
import { hostFixture } from './host-fixture.js';
import { CATALOG, enrolledLedger } from './test-support.js';

/**
 * The sale screen's quick keys and custom-line rules (issue #17, point 1), from HQ's terminal configuration and the
 * till's own catalog, pushed to the screen when they change.
 */

type Fixture = ReturnType<typeof enrolledLedger>;
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fixture of fixtures.splice(0)) fixture.cleanup();
});

function configure(fixture: Fixture, fields: Record<string, unknown>) {
  const version = fixture.ledger.feed.cursor() + 1;
  fixture.ledger.feed.apply(
    [{ kind: 'config', version, storeId: null, config: { ...DEFAULT_TERMINAL_CONFIG, ...fields } }],
    version,
  );
}

function cartConfigOn(fixture: Fixture) {
  const pushed: CartConfigView[] = [];
  const config = new CartConfig({
    config: () => fixture.ledger.feed.config(),
    findProduct: (productId) => fixture.ledger.catalog.findById(productId),
    view: (product) => ({
      productId: product.productId,
      sku: product.sku,
      name: product.name,
      barcode: null,
      currency: product.currency,
      unitPrice: product.price,
      measure: 'unit',
      openPrice: null,
      minimumAge: null,
      embedded: null,
    }),
    currency: 'EUR',
    onChange: (view) => pushed.push(view),
  });
  return { config, pushed };
}

const KEYS = [
  { label: 'Notebook', productId: 'book' },
  { label: 'Gone', productId: 'no-such-product' },
  { label: 'Pen', productId: 'pen' },
];

describe('quick keys', () => {
  it("are the configuration's keys in its order, each with its product; a key whose product is not sold here is left out and counted", () => {
    const fixture = enrolledLedger();
    fixtures.push(fixture);
    configure(fixture, { quickKeys: KEYS });
    const { config } = cartConfigOn(fixture);
    const view = config.quickKeys();
    expect(view.keys.map((key) => [key.label, key.product.productId, key.product.unitPrice])).toEqual([
      ['Notebook', 'book', 499],
      ['Pen', 'pen', 250],
    ]);
    expect(view.leftOut).toBe(1);
  });

  it('leave out a product HQ stopped selling (inactive in the catalog)', () => {
    const fixture = enrolledLedger();
    fixtures.push(fixture);
    configure(fixture, { quickKeys: KEYS });
    fixture.ledger.catalog.applyBatch([{ ...CATALOG[0]!, active: false, version: 3 }], 3);
    const { config } = cartConfigOn(fixture);
    expect(config.quickKeys().keys.map((key) => key.label)).toEqual(['Notebook']);
    expect(config.quickKeys().leftOut).toBe(2);
  });

  it('are none, with nothing left out, under a configuration that sets none', () => {
    const fixture = enrolledLedger();
    fixtures.push(fixture);
    expect(cartConfigOn(fixture).config.quickKeys()).toEqual({ keys: [], leftOut: 0 });
  });
});

describe('custom lines on the screen', () => {
  it('are off by default, and on with their limit in the store currency when HQ allows them', () => {
    const fixture = enrolledLedger();
    fixtures.push(fixture);
    const { config } = cartConfigOn(fixture);
    expect(config.customLines()).toEqual({ allowed: false, maxAmount: 0, currency: 'EUR' });
    configure(fixture, { customLines: { allowed: true, maxAmount: 50_00, taxCategory: 'standard' } });
    expect(config.customLines()).toEqual({ allowed: true, maxAmount: 50_00, currency: 'EUR' });
  });

  it('are off while the limit is 0: no amount could be keyed', () => {
    const fixture = enrolledLedger();
    fixtures.push(fixture);
    configure(fixture, { customLines: { allowed: true, maxAmount: 0, taxCategory: 'standard' } });
    expect(cartConfigOn(fixture).config.customLines().allowed).toBe(false);
  });
});

describe('pushing the cart configuration', () => {
  it('pushes once at first, then only when the keys or the custom-line rules changed', () => {
    const fixture = enrolledLedger();
    fixtures.push(fixture);
    const { config, pushed } = cartConfigOn(fixture);
    config.publish();
    config.publish();
    expect(pushed).toHaveLength(1);
    configure(fixture, { quickKeys: KEYS });
    config.publish();
    expect(pushed).toHaveLength(2);
    expect(pushed[1]!.quickKeys.keys).toHaveLength(2);
    // A catalog change the keys show (a new price) is pushed too.
    fixture.ledger.catalog.applyBatch([{ ...CATALOG[0]!, price: 275, version: 3 }], 3);
    config.publish();
    expect(pushed.at(-1)!.quickKeys.keys[1]!.product.unitPrice).toBe(275);
    config.publish();
    expect(pushed).toHaveLength(3);
  });
});

describe('through the contract', () => {
  it('answers catalog.quickKeys and sale.customLines from the configuration the till pulled', async () => {
    const host = await hostFixture({
      prepare: (ledger) =>
        ledger.feed.apply(
          [
            {
              kind: 'config',
              version: 100,
              storeId: null,
              config: {
                ...DEFAULT_TERMINAL_CONFIG,
                quickKeys: [{ label: 'Pen', productId: 'pen' }],
                customLines: { allowed: true, maxAmount: 20_00, taxCategory: 'standard' },
              },
            },
          ],
          100,
        ),
    });
    try {
      const keys = await host.ok<{ keys: { label: string; product: { name: string } }[] }>(
        'catalog.quickKeys',
      );
      expect(keys).toMatchObject({
        keys: [{ label: 'Pen', product: { name: 'Ballpoint pen' } }],
        leftOut: 0,
      });
      expect(await host.ok('sale.customLines')).toEqual({ allowed: true, maxAmount: 20_00, currency: 'EUR' });
      expect((await host.call('catalog.quickKeys', { extra: 1 })).ok).toBe(false);
    } finally {
      await host.cleanup();
    }
  });
});
