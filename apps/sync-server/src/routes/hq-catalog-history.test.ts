import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../test-support.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const get = (token: string | null, url: string) =>
  server.app.inject({
    method: 'GET',
    url,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });

const stapler = (price: number) => ({
  productId: 'stapler',
  sku: 'STP-01',
  name: 'Stapler',
  barcodes: [],
  currency: 'EUR',
  price,
  taxCategory: 'standard',
  tags: [],
  active: true,
});

describe('GET /v1/hq/catalog/products/:productId?atVersion=N', () => {
  it('answers the product as it stood at that catalog version, for a signed-in HQ user of its org', async () => {
    const first = await server.store.putCatalogProducts('demo-org', [stapler(1099)]);
    const second = await server.store.putCatalogProducts('demo-org', [stapler(1299)]);
    const token = await server.hqToken();
    const then = await get(token, `/v1/hq/catalog/products/stapler?atVersion=${first}`);
    expect(then.statusCode, then.body).toBe(200);
    expect(then.json()).toEqual({ ...stapler(1099), version: first });
    const now = await get(token, `/v1/hq/catalog/products/stapler?atVersion=${second}`);
    expect(now.json()).toMatchObject({ price: 1299, version: second });
  });

  it('is 404 for an unknown product, one not yet listed at that version, and another org’s product', async () => {
    const version = await server.store.putCatalogProducts('demo-org', [stapler(1099)]);
    await server.store.createOrg('org-b', 'B');
    const theirs = await server.store.putCatalogProducts('org-b', [{ ...stapler(5), productId: 'theirs' }]);
    const token = await server.hqToken();
    for (const url of [
      `/v1/hq/catalog/products/no-such-product?atVersion=${version}`,
      `/v1/hq/catalog/products/stapler?atVersion=${version - 1}`,
      `/v1/hq/catalog/products/theirs?atVersion=${theirs}`,
    ]) {
      const response = await get(token, url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error).toMatchObject({ code: 'not_found' });
    }
  });

  it('needs an HQ session and a whole, non-negative atVersion', async () => {
    await server.store.putCatalogProducts('demo-org', [stapler(1099)]);
    expect((await get(null, '/v1/hq/catalog/products/stapler?atVersion=1')).statusCode).toBe(401);
    const token = await server.hqToken();
    for (const query of ['', '?atVersion=-1', '?atVersion=1.5', '?atVersion=x', '?atVersion=1&extra=1']) {
      const response = await get(token, `/v1/hq/catalog/products/stapler${query}`);
      expect(response.statusCode, query).toBe(400);
    }
  });
});
