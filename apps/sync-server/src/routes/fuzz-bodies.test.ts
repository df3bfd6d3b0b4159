import { connect } from 'node:net';
import { MAX_BATCH_BYTES } from '@tillwright/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { saleChain } from '../test-support.js';
import {
  hostileValue,
  invalidObject,
  mutateAt,
  mutatedBatch,
  PLACEHOLDER,
  pathsOf,
  renderHostile,
} from '../testing/fuzz-arbitraries.js';
import {
  admin,
  authHeaders,
  BODY_ROUTES,
  expectClientError,
  fresh,
  PRODUCT,
  PRODUCT_FIELDS,
  runs,
  send,
  sendJson,
  server,
  sign,
  useFuzzServer,
  writesNothing,
} from '../testing/fuzz-harness.js';

/**
 * Bad input, generated (see testing/fuzz-harness.ts): malformed, mistyped, oversized, truncated and random
 * bodies on every route that takes one.
 */
useFuzzServer();

describe('fuzzing request bodies', () => {
  it('refuses malformed JSON on every route that takes a body as invalid_json', async () => {
    const malformed = fc.oneof(
      fc.string({ minLength: 1, maxLength: 200 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
      // A valid body with one character inserted, deleted or replaced.
      fc
        .record({
          route: fc.nat(),
          at: fc.nat(),
          char: fc.string({ minLength: 1, maxLength: 1 }),
          drop: fc.boolean(),
        })
        .map(({ route, at, char, drop }) => {
          const text = JSON.stringify(BODY_ROUTES[route % BODY_ROUTES.length]!.base());
          const i = at % text.length;
          return `${text.slice(0, i)}${char}${text.slice(i + (drop ? 1 : 0))}`;
        }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BODY_ROUTES), malformed.filter(isNotJson), async (route, text) => {
        await writesNothing(async () => expectClientError(await sendJson(route, text), 400, 'invalid_json'));
      }),
      runs(150),
    );
  });

  it('refuses missing, extra and mistyped fields on every route, and writes nothing', async () => {
    const routes = BODY_ROUTES.filter((route) => route.name !== 'push');
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...routes)
          .chain((route) => invalidObject(route.base, route.fields).map((mutation) => ({ route, mutation }))),
        async ({ route, mutation }) => {
          await writesNothing(async () =>
            expectClientError(await sendJson(route, JSON.stringify(mutation.value)), 400, 'invalid_request'),
          );
        },
      ),
      runs(300),
    );
  });

  it('refuses a catalog import with any bad row (next to a good one) 422, and imports nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        invalidObject(() => ({ ...PRODUCT }), PRODUCT_FIELDS),
        fc.boolean(),
        async (row, first) => {
          const good = { ...PRODUCT, productId: 'good-one' };
          const products = first ? [row.value, good] : [good, row.value];
          await writesNothing(async () => {
            const response = await sendJson(BODY_ROUTES[4]!, JSON.stringify({ products }));
            expectClientError(response, 422, 'import_invalid');
            expect(response.json().error.details.rows).toEqual([
              expect.objectContaining({ row: first ? 1 : 2 }),
            ]);
          });
        },
      ),
      runs(120),
    );
  });

  it('refuses a journal batch changed anywhere, signed as sent, and stores nothing of it', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBatch, async ({ text }) => {
        await writesNothing(async () => expectClientError(await sendJson(BODY_ROUTES[1]!, text)));
      }),
      runs(400),
    );
  });

  it('refuses numbers too large to represent and absurdly deep nesting anywhere in a body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BODY_ROUTES),
        fc.nat(),
        hostileValue,
        async (route, pick, hostile) => {
          const literal = renderHostile(hostile);
          const base = route.base();
          const paths = pathsOf(base);
          const path = paths[pick % paths.length]!;
          const text = JSON.stringify(mutateAt(base, path, 'replace', PLACEHOLDER, '')).replace(
            JSON.stringify(PLACEHOLDER),
            literal,
          );
          if (text.length > MAX_BATCH_BYTES * 2) return;
          await writesNothing(async () =>
            expectClientError(await sendJson(route, text), 400, 'invalid_request'),
          );
        },
      ),
      runs(80),
    );
  });

  it('refuses random bytes under any content type on every route', async () => {
    const routes = [
      ...BODY_ROUTES,
      {
        name: 'revoke',
        method: 'POST' as const,
        url: '/v1/hq/terminals/no-such-terminal/revoke',
        auth: 'admin' as const,
      },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'text/csv',
          'text/plain',
          'application/octet-stream',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'garbage',
        ),
        async (route, bytes, contentType) => {
          const body = Buffer.from(bytes);
          await writesNothing(async () =>
            expectClientError(
              await send({
                method: route.method,
                url: route.url,
                headers: {
                  'content-type': contentType,
                  ...authHeaders(route.auth, route.method, route.url, body.toString('utf8')),
                },
                body,
              }),
            ),
          );
        },
      ),
      runs(150),
    );
  });

  it('refuses CSV imports whose rows cannot be valid, naming the problem, importing nothing', async () => {
    const HEADER = 'productId,sku,name,barcodes,currency,price,taxCategory,tags,active';
    // No capital letters: no row can carry a valid currency code, so no row is valid.
    const csvText = fc.string({
      unit: fc.constantFrom(
        ',',
        '"',
        '\n',
        '\r',
        '|',
        ' ',
        'a',
        'z',
        '1',
        '0',
        '.',
        '-',
        'true',
        'false',
        'eur',
      ),
      maxLength: 300,
    });
    await fc.assert(
      fc.asyncProperty(csvText, fc.boolean(), async (rows, withHeader) => {
        const body = withHeader ? `${HEADER}\n${rows}` : rows;
        await writesNothing(async () =>
          expectClientError(
            await send({
              method: 'PUT',
              url: '/v1/hq/catalog',
              headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin}` },
              body,
            }),
            422,
            'import_invalid',
          ),
        );
      }),
      runs(120),
    );
  });

  it('refuses bodies over the body limit with 413 on every route', async () => {
    const routes = BODY_ROUTES.filter((route) => route.name !== 'catalog import');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.integer({ min: 1, max: 64 * 1024 }),
        async (route, extra) => {
          const text = `{"pad":"${'x'.repeat(MAX_BATCH_BYTES * 2 + extra)}"}`;
          await writesNothing(async () =>
            expectClientError(await sendJson(route, text), 413, 'fst_err_ctp_body_too_large'),
          );
        },
      ),
      runs(12),
    );
    // The catalog import has a larger limit (50,000 products), checked once.
    const row = `${JSON.stringify(PRODUCT)},`;
    const huge = `{"products":[${row.repeat(Math.ceil((32 * 1024 * 1024) / row.length))}null]}`;
    expect(huge.length).toBeGreaterThan(32 * 1024 * 1024);
    await writesNothing(async () =>
      expectClientError(await sendJson(BODY_ROUTES[4]!, huge), 413, 'fst_err_ctp_body_too_large'),
    );
  }, 20_000);

  it('refuses truncated bodies, whether or not Content-Length still claims the whole body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BODY_ROUTES),
        fc.nat(),
        fc.boolean(),
        async (route, cut, claimWhole) => {
          const whole = JSON.stringify(route.base());
          const text = whole.slice(0, cut % whole.length);
          const headers = claimWhole ? { 'content-length': String(Buffer.byteLength(whole)) } : {};
          await writesNothing(async () => expectClientError(await sendJson(route, text, headers), 400));
        },
      ),
      runs(150),
    );
  });

  it('survives a client that sends half a body and hangs up, and writes nothing', async () => {
    const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    await writesNothing(async () => {
      const body = JSON.stringify({ epoch: fresh.epoch, events: saleChain(fresh, 2) });
      const url = '/v1/journal/batches';
      const { port } = new URL(base);
      await new Promise<void>((done, fail) => {
        const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => {
          socket.write(
            `POST ${url} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n` +
              `authorization: ${sign(fresh, 'POST', url, body)}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`,
          );
          socket.write(body.slice(0, body.length / 2));
          socket.end();
        });
        // The server has given the request up (answered it, or closed on it) once the connection is closed.
        socket.resume();
        socket.once('close', () => done());
        socket.on('error', fail);
      });
    });
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
  });
});

function isNotJson(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}
