import { type CatalogProduct, CatalogPullResponse, ErrorEnvelope } from '@tillwright/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, startTestServer, type TestTerminal, useBackend } from '../test-support.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const base = {
  barcodes: [],
  currency: 'EUR',
  price: 399,
  taxCategory: 'standard',
  tags: [],
  active: true,
} as const;
const apples = { ...base, productId: 'apples', sku: 'APL', name: 'Apples', measure: 'kg' } as const;
const flowers = {
  ...base,
  productId: 'flowers',
  sku: 'FLW',
  name: 'Flowers',
  openPrice: { min: 100, max: 5000 },
};
const wine = { ...base, productId: 'wine', sku: 'WIN', name: 'Red wine', minimumAge: 18 };
const pen = { ...base, productId: 'pen', sku: 'PEN', name: 'Pen', measure: 'unit' } as const;
const plain = { ...base, productId: 'plain', sku: 'PLN', name: 'Plain' };

describe.each(BACKENDS)('catalog: how a product is sold, from HQ to the tills (%s)', (backend) => {
  useBackend(backend);
  let server: Server;
  let terminal: TestTerminal;
  afterEach(() => server?.close());

  async function setup() {
    server = await startTestServer(backend);
    terminal = await server.enrol(server.codes[0]!);
    const put = await server.app.inject({
      method: 'PUT',
      url: '/v1/hq/catalog',
      headers: { authorization: `Bearer ${await server.hqToken()}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ products: [apples, flowers, wine, pen, plain] }),
    });
    expect(put.statusCode, put.body).toBe(200);
  }

  async function pull(query: string): Promise<Map<string, CatalogProduct>> {
    const response = await server.signed(terminal, 'GET', `/v1/catalog?after=0&limit=1000${query}`);
    expect(response.statusCode, response.body).toBe(200);
    const page = CatalogPullResponse.parse(response.json());
    return new Map(page.products.map((p) => [p.productId, p]));
  }

  it('a till asking product schema 2 gets the measure, open-price limits and minimum age HQ put', async () => {
    await setup();
    const products = await pull('&productSchema=2');
    expect(products.get('apples')).toMatchObject({ measure: 'kg', active: true });
    expect(products.get('flowers')).toMatchObject({ openPrice: { min: 100, max: 5000 }, active: true });
    expect(products.get('wine')).toMatchObject({ minimumAge: 18, active: true });
    expect(products.get('pen')).toMatchObject({ measure: 'unit', active: true });
  });

  it('an older till (schema 1, the default) gets none of the fields, and what needs them inactive', async () => {
    await setup();
    for (const query of ['', '&productSchema=1']) {
      const products = await pull(query);
      for (const id of ['apples', 'flowers', 'wine']) {
        const product = products.get(id)!;
        expect(product.active, id).toBe(false);
        expect(Object.keys(product)).not.toContain('measure');
        expect(Object.keys(product)).not.toContain('openPrice');
        expect(Object.keys(product)).not.toContain('minimumAge');
      }
      // Sold by the unit: still sellable, in the shape a version 1 till parses strictly.
      expect(products.get('pen')).toEqual(expect.objectContaining({ active: true }));
      expect(Object.keys(products.get('pen')!)).not.toContain('measure');
      expect(products.get('plain')?.active).toBe(true);
    }
  });

  it('refuses a product schema the server does not serve, with a typed error', async () => {
    await setup();
    const response = await server.signed(terminal, 'GET', '/v1/catalog?after=0&productSchema=3');
    expect(response.statusCode).toBe(400);
    expect(ErrorEnvelope.safeParse(response.json()).success).toBe(true);
  });

  it('HQ may not put an open price whose minimum is above its maximum: nothing is imported', async () => {
    await setup();
    const put = await server.app.inject({
      method: 'PUT',
      url: '/v1/hq/catalog',
      headers: { authorization: `Bearer ${await server.hqToken()}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        products: [{ ...flowers, productId: 'bad', openPrice: { min: 600, max: 500 } }],
      }),
    });
    expect(put.statusCode).toBe(422);
    expect((await pull('&productSchema=2')).has('bad')).toBe(false);
  });
});
