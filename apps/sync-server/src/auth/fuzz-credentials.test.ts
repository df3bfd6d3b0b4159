import { signRequest } from '@tillwright/protocol/signing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { saleChain } from '../test-support.js';
import {
  admin,
  clock,
  expectClientError,
  FUZZ_KEY,
  fresh,
  PRODUCT,
  revoked,
  runs,
  send,
  server,
  setVeteranHead,
  sign,
  useFuzzServer,
  veteran,
  veteranHead,
  viewer,
  writesNothing,
} from '../testing/fuzz-harness.js';

/**
 * Bad input, generated (see testing/fuzz-harness.ts): bad signatures, replays, another terminal's identity, and
 * HQ routes without a valid session.
 */
useFuzzServer();

describe('fuzzing credentials', () => {
  const TERMINAL_ROUTES = [
    { method: 'POST', url: '/v1/journal/batches' },
    { method: 'GET', url: '/v1/catalog?after=0' },
  ] as const;

  /** The route's request with a valid body for the `fresh` terminal: only the header can make it fail. */
  function terminalRequest(route: (typeof TERMINAL_ROUTES)[number]) {
    return route.method === 'POST' ? JSON.stringify({ epoch: fresh.epoch, events: saleChain(fresh, 1) }) : '';
  }

  function sendTerminal(
    route: (typeof TERMINAL_ROUTES)[number],
    body: string,
    authorization: string | undefined,
  ) {
    return send({
      method: route.method,
      url: route.url,
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(body === '' ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === '' ? {} : { body }),
    });
  }

  it('refuses bad signatures of every shape with 401', async () => {
    const identifier = fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/);
    const header = (route: (typeof TERMINAL_ROUTES)[number], body: string) =>
      fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.constant(undefined),
        // Well-formed, with random parts.
        fc
          .record({
            terminal: fc.oneof(
              fc.constantFrom(fresh.terminalId, veteran.terminalId, revoked.terminalId),
              identifier,
            ),
            skew: fc.integer({ min: -10 * 60_000, max: 10 * 60_000 }),
            nonce: fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/),
            sig: fc.stringMatching(/^[A-Za-z0-9_-]{40,200}$/),
          })
          .map(
            ({ terminal, skew, nonce, sig }) =>
              `TW1-Ed25519 terminal=${terminal}, ts=${clock.getTime() + skew}, nonce=${nonce}, sig=${sig}`,
          ),
        // A real signature with one character changed (not the last two, whose spare bits base64 ignores).
        fc
          .record({ at: fc.nat(), char: fc.constantFrom('A', 'z', '0', '-', '_', ' ', ',', '=') })
          .map(({ at, char }) => {
            const good = sign(fresh, route.method, route.url, body);
            const i = at % (good.length - 2);
            return good[i] === char
              ? `${good.slice(0, i)}Q${good.slice(i + 1)}`
              : `${good.slice(0, i)}${char}${good.slice(i + 1)}`;
          }),
        // A real signature for another method, path or body.
        fc
          .constantFrom('GET /v1/catalog', 'POST /v1/catalog?after=0', 'POST /v1/journal/batches?x=1')
          .map((other) => {
            const [method, url] = other.split(' ') as [string, string];
            return sign(fresh, method, url, method === route.method && url === route.url ? `${body} ` : body);
          }),
        // Signed by a key that is not the terminal's.
        fc
          .constant(null)
          .map(() =>
            signRequest(
              { method: route.method, pathWithQuery: route.url, body },
              fresh.terminalId,
              FUZZ_KEY.privateKeyPem,
              clock.getTime(),
            ),
          ),
        // Out of the clock window.
        fc
          .oneof(fc.integer({ min: 300_001, max: 10 ** 9 }), fc.integer({ min: -(10 ** 9), max: -300_001 }))
          .map((skew) => sign(fresh, route.method, route.url, body, { ts: clock.getTime() + 100 + skew })),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TERMINAL_ROUTES).chain((route) => {
          const body = terminalRequest(route);
          return header(route, body).map((authorization) => ({ route, body, authorization }));
        }),
        async ({ route, body, authorization }) => {
          await writesNothing(async () =>
            expectClientError(await sendTerminal(route, body, authorization), 401),
          );
        },
      ),
      runs(300),
    );
  });

  it('refuses a replayed request, identical or re-signed with a used nonce, after the original went through', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('pull', 'push'),
        fc.constantFrom('identical', 'same nonce, other request'),
        fc.nat(5),
        async (kind, variant, after) => {
          let url: string;
          let body = '';
          let next: { seq: number; hash: string } | null = null;
          if (kind === 'push') {
            const [event] = saleChain(veteran, 1, veteranHead);
            url = '/v1/journal/batches';
            body = JSON.stringify({ epoch: veteran.epoch, events: [event] });
            next = { seq: event!.seq, hash: event!.hash };
          } else {
            url = `/v1/catalog?after=${after}`;
          }
          const method = kind === 'push' ? 'POST' : 'GET';
          const nonce = `replay-${clock.getTime()}-${after}`.padEnd(16, 'x');
          const authorization = sign(veteran, method, url, body, { nonce });
          const headers = { authorization, ...(body ? { 'content-type': 'application/json' } : {}) };
          const first = await send({ method, url, headers, ...(body ? { body } : {}) });
          expect(first.statusCode, first.body).toBe(200);
          if (next) setVeteranHead(next);
          await writesNothing(async () => {
            const replay =
              variant === 'identical'
                ? await send({ method, url, headers, ...(body ? { body } : {}) })
                : await send({
                    method: 'GET',
                    url: `/v1/catalog?after=${after + 1}`,
                    headers: {
                      authorization: sign(veteran, 'GET', `/v1/catalog?after=${after + 1}`, '', { nonce }),
                    },
                  });
            expectClientError(replay, 401, 'replayed_request');
          });
        },
      ),
      runs(60),
    );
  });

  it('refuses one terminal using another terminal identity or pushing its events', async () => {
    const terminals = () => [fresh, veteran, revoked];
    await fc.assert(
      fc.asyncProperty(
        fc.nat(2),
        fc.nat(2),
        fc.constantFrom('claims the other id', 'pushes the other events', 'pulls as the other'),
        async (s, v, mode) => {
          const signer = terminals()[s]!;
          const victim = terminals()[v]!;
          if (signer === victim) return;
          const url = mode === 'pulls as the other' ? '/v1/catalog' : '/v1/journal/batches';
          const method = mode === 'pulls as the other' ? 'GET' : 'POST';
          const body =
            method === 'GET' ? '' : JSON.stringify({ epoch: victim.epoch, events: saleChain(victim, 1) });
          const authorization =
            mode === 'pushes the other events'
              ? sign(signer, method, url, body)
              : sign(signer, method, url, body, { as: victim.terminalId });
          await writesNothing(async () => {
            const response = await send({
              method,
              url,
              headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
              ...(body ? { body } : {}),
            });
            const expected = mode === 'pushes the other events' && signer !== revoked ? 403 : 401;
            expectClientError(response, expected);
          });
        },
      ),
      runs(60),
    );
  });

  it('refuses HQ routes without a valid session, and an admin route for a viewer', async () => {
    const HQ_ROUTES = [
      { method: 'GET', url: '/v1/hq/events' },
      { method: 'GET', url: '/v1/hq/stream' },
      { method: 'GET', url: '/v1/hq/terminals' },
      { method: 'GET', url: '/v1/hq/exceptions' },
      { method: 'GET', url: '/v1/hq/quarantine' },
      { method: 'POST', url: `/v1/hq/terminals/${fresh.terminalId}/revoke` },
      { method: 'POST', url: '/v1/hq/enrolment-codes' },
      { method: 'PUT', url: '/v1/hq/catalog' },
    ] as const;
    const authorization = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{20,128}$/).map((token) => `Bearer ${token}`),
      fc.record({ at: fc.nat(), char: fc.constantFrom('A', 'b', '9', '-', '_') }).map(({ at, char }) => {
        const token = at % 2 === 0 ? admin : viewer;
        const i = at % token.length;
        return `Bearer ${token.slice(0, i)}${token[i] === char ? 'Q' : char}${token.slice(i + 1)}`;
      }),
      fc.constantFrom(
        `bearer ${admin}`,
        `Bearer  ${admin}`,
        `Bearer ${admin}x`,
        admin,
        sign(fresh, 'GET', '/v1/hq/events', ''),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...HQ_ROUTES), authorization, async (route, header) => {
        const body =
          route.method === 'GET'
            ? undefined
            : JSON.stringify(
                route.url.endsWith('catalog') ? { products: [PRODUCT] } : { storeId: server.storeId },
              );
        await writesNothing(async () =>
          expectClientError(
            await send({
              method: route.method,
              url: route.url,
              headers: { authorization: header, ...(body ? { 'content-type': 'application/json' } : {}) },
              ...(body ? { body } : {}),
            }),
            401,
            'unauthorized',
          ),
        );
      }),
      runs(150),
    );
    for (const route of HQ_ROUTES.filter((r) => r.method !== 'GET')) {
      const body = JSON.stringify(
        route.url.endsWith('catalog') ? { products: [PRODUCT] } : { storeId: server.storeId },
      );
      await writesNothing(async () =>
        expectClientError(
          await send({
            method: route.method,
            url: route.url,
            headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' },
            body,
          }),
          403,
          'forbidden',
        ),
      );
    }
  });
});
