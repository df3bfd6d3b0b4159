import { type CatalogProduct, CatalogPullResponse, ErrorEnvelope } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CATALOG } from '../ops/demo-seed.js';
import { startTestServer, type TestTerminal } from '../test-support.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let terminal: TestTerminal;
let admin: string;

beforeEach(async () => {
  server = await startTestServer();
  terminal = await server.enrol(server.codes[0]!);
  admin = await server.hqToken();
});
afterEach(() => server.close());

const HEADER = 'productId,sku,name,barcodes,currency,price,taxCategory,tags,active';

function importJson(payload: unknown) {
  return server.app.inject({
    method: 'PUT',
    url: '/v1/hq/catalog',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });
}

function importCsv(text: string) {
  return server.app.inject({
    method: 'PUT',
    url: '/v1/hq/catalog',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
    payload: text,
  });
}

/** The whole catalog as the terminal sees it, pulled page by page from a cursor. */
async function pullAll(after = 0): Promise<{ version: number; products: CatalogProduct[] }> {
  const products: CatalogProduct[] = [];
  let cursor = after;
  for (;;) {
    const response = await server.signed(terminal, 'GET', `/v1/catalog?after=${cursor}&limit=1000`);
    expect(response.statusCode, response.body).toBe(200);
    const page = CatalogPullResponse.parse(response.json());
    products.push(...page.products);
    cursor = page.version;
    if (!page.hasMore) return { version: cursor, products };
  }
}

function product(productId: string, overrides: Partial<CatalogProduct> = {}) {
  return {
    productId,
    sku: `SKU-${productId}`,
    name: `Product ${productId}`,
    barcodes: [],
    currency: 'EUR',
    price: 100,
    taxCategory: 'standard',
    tags: [],
    active: true,
    ...overrides,
  };
}

/** Expects a 422 import_invalid naming exactly these rows, each with a problem matching its pattern. */
async function expectRowsRefused(
  response: Awaited<ReturnType<typeof importJson>>,
  rows: Record<number, RegExp[]>,
) {
  expect(response.statusCode, response.body).toBe(422);
  const body = response.json();
  expect(ErrorEnvelope.safeParse(body).success).toBe(true);
  expect(body.error).toMatchObject({ code: 'import_invalid', retryable: false });
  const reported = body.error.details.rows as { row: number; errors: string[] }[];
  expect(reported.map((r) => r.row)).toEqual(Object.keys(rows).map(Number));
  for (const { row, errors } of reported) {
    for (const pattern of rows[row]!) expect(errors.join('; '), `row ${row}`).toMatch(pattern);
  }
}

describe('catalog import, JSON', () => {
  it('imports new and changed products with new versions that terminals pull after their cursor', async () => {
    const before = await pullAll();
    expect(before.products.map((p) => p.productId).sort()).toEqual(
      DEMO_CATALOG.map((p) => p.productId).sort(),
    );
    const response = await importJson({
      products: [
        product('stapler', { barcodes: ['8712345000066'], tags: ['stationery'] }),
        { ...DEMO_CATALOG[0]!, price: 275 },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    const { version, imported } = response.json();
    expect(imported).toBe(2);
    expect(version).toBeGreaterThan(before.version);

    const changes = await pullAll(before.version);
    expect(changes.version).toBe(version);
    expect(changes.products.map((p) => p.productId)).toEqual(['stapler', 'pen']);
    expect(changes.products.every((p) => p.version > before.version)).toBe(true);
    expect(changes.products.find((p) => p.productId === 'pen')?.price).toBe(275);
    // A full pull sees one row per product, the changed one at its new version.
    const all = await pullAll();
    expect(all.products).toHaveLength(DEMO_CATALOG.length + 1);
    expect(all.products.filter((p) => p.productId === 'pen')).toEqual([changes.products[1]]);
    // Nothing more after the new cursor.
    expect((await pullAll(version)).products).toEqual([]);
  });

  it('refuses a file with bad rows 422, names each bad row and its problem, and changes nothing', async () => {
    const before = await pullAll();
    const response = await importJson({
      products: [
        product('ok-1'),
        product('bad-price', { price: -5 }),
        product('ok-2'),
        { ...product('bad-barcode'), barcodes: ['not a barcode!'] },
        { ...product('extra'), colour: 'red' },
        { ...product('missing'), name: undefined },
        product('fractional', { price: 2.5 }),
        product('bad-currency', { currency: 'euro' }),
      ],
    });
    await expectRowsRefused(response, {
      2: [/^price:/],
      4: [/^barcodes\.0:/],
      5: [/colour/],
      6: [/^name:/],
      7: [/^price:/],
      8: [/^currency:/],
    });
    expect(await pullAll()).toEqual(before);
  });

  it('refuses duplicate product ids, naming the repeated row', async () => {
    const before = await pullAll();
    const response = await importJson({ products: [product('a'), product('b'), product('a', { price: 1 })] });
    await expectRowsRefused(response, { 3: [/productId a appears twice/] });
    expect(await pullAll()).toEqual(before);
  });

  it('reads a JSON body as JSON even when it is a string that looks like CSV', async () => {
    const before = await pullAll();
    const csvInJson = `${HEADER}\nmug,MUG-WHT,Mug,,EUR,1.00,standard,,true\n`;
    const response = await importJson(csvInJson);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.code).toBe('invalid_request');
    expect(await pullAll()).toEqual(before);
  });

  it('refuses an empty import and a body that is not {products: [...]}', async () => {
    const before = await pullAll();
    const empty = await importJson({ products: [] });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.code).toBe('import_invalid');
    for (const body of [
      [product('a')],
      { products: product('a') },
      { products: [product('a')], replace: true },
      {},
    ]) {
      const response = await importJson(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.code).toBe('invalid_request');
    }
    expect(await pullAll()).toEqual(before);
  });

  it('imports the largest catalog the import allows, 50,000 products, in one request', async () => {
    const products = Array.from({ length: 50_000 }, (_, i) =>
      product(`p-${String(i).padStart(5, '0')}`, {
        name: `Product number ${i}, a realistic length of name`,
        barcodes: [String(8712345000000 + i)],
        tags: ['bulk'],
        price: 100 + i,
      }),
    );
    const response = await importJson({ products });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    expect(response.json().imported).toBe(50_000);
    expect(await server.store.catalogVersion(server.orgId)).toBe(response.json().version);
    const tooMany = await importJson({ products: [...products, product('one-more')] });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.code).toBe('invalid_request');
  }, 30_000);

  it('refuses an import without an admin session before reading its body', async () => {
    const big = JSON.stringify({ products: Array.from({ length: 5000 }, (_, i) => product(`p-${i}`)) });
    expect(big.length).toBeGreaterThan(512 * 1024);
    for (const authorization of [undefined, 'Bearer unknown-session-token-0000000000']) {
      const response = await server.app.inject({
        method: 'PUT',
        url: '/v1/hq/catalog',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        payload: big,
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthorized');
    }
  });
});

describe('catalog import, CSV', () => {
  it('reads lists separated by "|", decimal prices and quoted cells with commas, quotes and line breaks', async () => {
    const before = await pullAll();
    const csv = [
      HEADER,
      'stapler,STP-01,"Stapler, heavy duty",8712345000066|8712345000073,EUR,10.99,standard,stationery|office,true',
      'sign,SGN-01,"Sign ""Open"", double sided",,EUR,2.50,standard,,false',
      'yen-cup,CUP-JP,"Cup,\nsmall",4901234567894,JPY,350,reduced,kitchen,true',
      'pen,PEN-BLUE,Ballpoint pen blue,4006381333931,EUR,2.75,standard,stationery,true',
    ].join('\r\n');
    const response = await importCsv(`${csv}\r\n`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().imported).toBe(4);
    const changes = await pullAll(before.version);
    const byId = Object.fromEntries(changes.products.map((p) => [p.productId, p]));
    expect(byId.stapler).toMatchObject({
      name: 'Stapler, heavy duty',
      barcodes: ['8712345000066', '8712345000073'],
      price: 1099,
      tags: ['stationery', 'office'],
      active: true,
    });
    expect(byId.sign).toMatchObject({
      name: 'Sign "Open", double sided',
      barcodes: [],
      tags: [],
      price: 250,
      active: false,
    });
    expect(byId['yen-cup']).toMatchObject({ name: 'Cup,\nsmall', currency: 'JPY', price: 350 });
    expect(byId.pen).toMatchObject({ price: 275, version: response.json().version });
  });

  it('refuses a CSV with bad rows 422, naming each row counted from the first line after the header', async () => {
    const before = await pullAll();
    const csv = [
      HEADER,
      'ok-1,OK-1,Fine,,EUR,1.00,standard,,true',
      'bad-price,BP-1,Too precise,,EUR,2.555,standard,,true',
      'bad-active,BA-1,Active?,,EUR,1.00,standard,,yes',
      'ok-2,OK-2,Fine too,,EUR,1.00,standard,,true',
      'bad-money,BM-1,Negative,,EUR,-1.00,standard,,true',
      ',NO-ID,No id,,EUR,1.00,standard,,true',
      'bad-currency,BC-1,Currency,,euro,1.00,standard,,true',
      'bad-tag,BT-1,Tag,,EUR,1.00,standard,good|has space,true',
      'ok-1,OK-1B,Repeated id,,EUR,1.00,standard,,true',
    ].join('\n');
    await expectRowsRefused(await importCsv(csv), {
      2: [/^price:/],
      3: [/^active:/],
      5: [/^price:/],
      6: [/^productId:/],
      7: [/^currency:/],
      8: [/^tags\.1:/],
      9: [/appears twice/],
    });
    expect(await pullAll()).toEqual(before);
  });

  it('numbers rows as they are in the file even when blank lines are skipped', async () => {
    const csv = [
      HEADER,
      'ok-1,OK-1,Fine,,EUR,1.00,standard,,true',
      '',
      'bad-price,BP-1,Bad,,EUR,abc,standard,,true',
    ].join('\n');
    // The bad row is the third line after the header (line 4 of the file).
    await expectRowsRefused(await importCsv(csv), { 3: [/^price:/] });
  });

  it('refuses a wrong header, an unterminated quote and a header with no rows, changing nothing', async () => {
    const before = await pullAll();
    for (const csv of [
      'id,sku,name\nx,y,z',
      'productId;sku;name;barcodes;currency;price;taxCategory;tags;active\n',
      `${HEADER}\nx,X,"never closed,,EUR,1.00,standard,,true`,
      HEADER,
      '',
    ]) {
      const response = await importCsv(csv);
      expect(response.statusCode, csv).toBe(422);
      expect(response.json().error.code).toBe('import_invalid');
    }
    expect(await pullAll()).toEqual(before);
  });

  it('accepts a byte-order mark before the header, as spreadsheets write it', async () => {
    const response = await importCsv(`\uFEFF${HEADER}\nmug,MUG-WHT,Mug,,EUR,7.00,standard,,true\n`);
    expect(response.statusCode, response.body).toBe(200);
    expect((await pullAll()).products.find((p) => p.productId === 'mug')?.price).toBe(700);
  });
});
