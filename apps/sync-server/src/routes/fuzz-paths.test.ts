import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { badQuery, notACount } from '../testing/fuzz-arbitraries.js';
import {
  authHeaders,
  expectClientError,
  runs,
  send,
  useFuzzServer,
  viewer,
  writesNothing,
} from '../testing/fuzz-harness.js';

/**
 * Bad input, generated (see testing/fuzz-harness.ts): bad cursors and query fields, and unknown, malformed and
 * percent-garbled paths.
 */
useFuzzServer();

describe('fuzzing paths and queries', () => {
  it('refuses bad cursors and unknown query fields on every route that reads a query', async () => {
    const routes = [
      { url: '/v1/hq/events', auth: 'viewer' as const },
      { url: '/v1/hq/exceptions', auth: 'viewer' as const },
      { url: '/v1/hq/shifts', auth: 'viewer' as const },
      { url: '/v1/hq/stream', auth: 'viewer' as const },
      { url: '/v1/catalog', auth: 'terminal' as const },
      { url: '/v1/feed', auth: 'terminal' as const },
      { url: '/v1/hq/audit', auth: 'admin' as const },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), badQuery, async (route, query) => {
        const url = `${route.url}${query}`;
        await writesNothing(async () =>
          expectClientError(
            await send({ method: 'GET', url, headers: authHeaders(route.auth, 'GET', url, '') }),
            400,
            'invalid_request',
          ),
        );
      }),
      runs(150),
    );
    // Last-Event-ID is a cursor too.
    await fc.assert(
      fc.asyncProperty(
        notACount.filter((v) => !v.includes('%')),
        async (lastEventId) => {
          expectClientError(
            await send({
              method: 'GET',
              url: '/v1/hq/stream',
              headers: { authorization: `Bearer ${viewer}`, 'last-event-id': lastEventId },
            }),
            400,
            'invalid_request',
          );
        },
      ),
      runs(40),
    );
  });

  it('answers unknown, malformed and percent-garbled paths with the error envelope', async () => {
    const segment = fc.oneof(
      fc.string({
        unit: fc.constantFrom(
          '%',
          'a',
          'Z',
          '0',
          '9',
          'E',
          'F',
          'c',
          '/',
          '.',
          '-',
          '_',
          '~',
          '?',
          '&',
          '=',
          '+',
          ';',
        ),
        maxLength: 30,
      }),
      fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent),
      fc.constantFrom('%ZZ', '%', '%E0%A4%A', '%C0%AF', '%00', '..%2F..%2F', '%FF%FE', 'a%2', '%%', '%u0041'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        fc.constantFrom(
          '/',
          '/v1/',
          '/v1/hq/',
          '/v1/hq/terminals/',
          '/v1/catalog/',
          '/v1/hq/terminals/x/',
          '/v2/',
        ),
        segment,
        async (method, prefix, rest) => {
          const url = `${prefix}${rest}${prefix === '/v1/hq/terminals/' && method === 'POST' ? '/revoke' : ''}`;
          await writesNothing(async () => {
            const response = await send({ method, url, headers: { authorization: `Bearer ${viewer}` } });
            if (response.statusCode === 200) {
              // Only the open operations routes answer 200 to a bare request.
              expect(['/healthz', '/readyz', '/metrics', '/v1/openapi.json']).toContain(url.split('?')[0]);
            } else {
              expectClientError(response);
            }
          });
        },
      ),
      runs(200),
    );
  });
});
