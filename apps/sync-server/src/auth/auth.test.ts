import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ErrorEnvelope } from '@tillwright/protocol';
import { generateTerminalKeyPair, MAX_CLOCK_SKEW_MS, signRequest } from '@tillwright/protocol/signing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXED_NOW, saleChain, startTestServer, type TestTerminal } from '../test-support.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
let terminal: TestTerminal;

beforeEach(async () => {
  server = await startTestServer();
  terminal = await server.enrol(server.codes[0]!);
});
afterEach(() => server.close());

const BATCHES = '/v1/journal/batches';

/** Everything a terminal request could change: events, quarantine, exceptions, alerts, terminals, catalog. */
async function snapshot() {
  const store = server.store;
  return {
    counts: await store.counts(),
    stream: (await store.readStream(null, 0, 10_000)).map((item) => `${item.offset}:${item.event.eventId}`),
    terminals: await store.terminals(server.orgId),
    catalog: await store.catalogAfter(server.orgId, 0, 10_000),
  };
}

/** Sends a request with the given Authorization header and exact body text. */
function send(method: 'GET' | 'POST', url: string, authorization: string | undefined, body?: string) {
  return server.app.inject({
    method,
    url,
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: body }),
  });
}

function batchBody(events: unknown[], epoch = terminal.epoch): string {
  return JSON.stringify({ epoch, events });
}

/** A header signed by `key` (the terminal's own by default) at `ts` (the server's now by default). */
function header(
  parts: { method: string; url: string; body?: string },
  options: { ts?: number; nonce?: string; key?: string; terminalId?: string } = {},
): string {
  return signRequest(
    { method: parts.method, pathWithQuery: parts.url, body: parts.body ?? '' },
    options.terminalId ?? terminal.terminalId,
    options.key ?? terminal.keys.privateKeyPem,
    options.ts ?? FIXED_NOW.getTime(),
    options.nonce,
  );
}

function expectRefusal(
  response: Awaited<ReturnType<typeof send>>,
  status: number,
  code: string,
  retryable = false,
) {
  expect(response.statusCode).toBe(status);
  const body = response.json();
  expect(ErrorEnvelope.safeParse(body).success).toBe(true);
  expect(body.error).toMatchObject({ code, retryable });
  expect(body.error.message.length).toBeGreaterThan(0);
}

describe('terminal request signatures', () => {
  it('accepts a push and a pull signed by the terminal its own key', async () => {
    const events = saleChain(terminal, 2);
    const body = batchBody(events);
    const pushed = await send('POST', BATCHES, header({ method: 'POST', url: BATCHES, body }), body);
    expect(pushed.statusCode).toBe(200);
    expect(pushed.json()).toEqual({ ackedSeq: 2, ackedHash: events[1]!.hash });
    const url = '/v1/catalog?after=0';
    const pulled = await send('GET', url, header({ method: 'GET', url }));
    expect(pulled.statusCode).toBe(200);
    expect(pulled.json().products.length).toBeGreaterThan(0);
  });

  it('refuses a request signed by another key for this terminal, and writes nothing', async () => {
    const before = await snapshot();
    const body = batchBody(saleChain(terminal, 1));
    const stranger = generateTerminalKeyPair();
    const response = await send(
      'POST',
      BATCHES,
      header({ method: 'POST', url: BATCHES, body }, { key: stranger.privateKeyPem }),
      body,
    );
    expectRefusal(response, 401, 'unauthorized');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body changed after signing, even when the new body is itself a valid batch', async () => {
    const before = await snapshot();
    const signedBody = batchBody(saleChain(terminal, 1));
    const other = batchBody(saleChain(terminal, 2));
    const response = await send(
      'POST',
      BATCHES,
      header({ method: 'POST', url: BATCHES, body: signedBody }),
      other,
    );
    expectRefusal(response, 401, 'unauthorized');
    // One changed byte is enough.
    const flipped = signedBody.replace('"epoch":1', '"epoch":2');
    expect(flipped).not.toBe(signedBody);
    expectRefusal(
      await send('POST', BATCHES, header({ method: 'POST', url: BATCHES, body: signedBody }), flipped),
      401,
      'unauthorized',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a signature made for another path, query or method', async () => {
    const before = await snapshot();
    for (const [signedFor, sentTo] of [
      ['/v1/catalog?after=0', '/v1/catalog?after=1'],
      ['/v1/catalog', '/v1/catalog?after=0'],
      ['/v1/catalog?after=0&limit=10', '/v1/catalog?limit=10&after=0'],
      ['/v1/journal/batches', '/v1/catalog'],
    ] as const) {
      expectRefusal(
        await send('GET', sentTo, header({ method: 'GET', url: signedFor })),
        401,
        'unauthorized',
      );
    }
    const body = batchBody(saleChain(terminal, 1));
    // Signed as a GET of the batches path, sent as the POST.
    expectRefusal(
      await send('POST', BATCHES, header({ method: 'GET', url: BATCHES, body }), body),
      401,
      'unauthorized',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a timestamp more than 5 minutes off either way as clock_skew, retryable, with the server time', async () => {
    const before = await snapshot();
    const body = batchBody(saleChain(terminal, 1));
    for (const ts of [
      FIXED_NOW.getTime() - MAX_CLOCK_SKEW_MS - 1,
      FIXED_NOW.getTime() + MAX_CLOCK_SKEW_MS + 1,
    ]) {
      const response = await send(
        'POST',
        BATCHES,
        header({ method: 'POST', url: BATCHES, body }, { ts }),
        body,
      );
      expectRefusal(response, 401, 'clock_skew', true);
      expect(response.json().error.details).toEqual({ serverTime: FIXED_NOW.toISOString() });
    }
    expect(await snapshot()).toEqual(before);
    // Exactly 5 minutes off is still inside the window.
    const edge = await send(
      'POST',
      BATCHES,
      header({ method: 'POST', url: BATCHES, body }, { ts: FIXED_NOW.getTime() - MAX_CLOCK_SKEW_MS }),
      body,
    );
    expect(edge.statusCode).toBe(200);
  });

  it('refuses a replayed request (same nonce) as replayed_request and stores its batch once', async () => {
    const events = saleChain(terminal, 2);
    const body = batchBody(events);
    const authorization = header({ method: 'POST', url: BATCHES, body });
    expect((await send('POST', BATCHES, authorization, body)).statusCode).toBe(200);
    const after = await snapshot();
    expectRefusal(await send('POST', BATCHES, authorization, body), 401, 'replayed_request');
    expect(await snapshot()).toEqual(after);
    expect(after.counts.events).toBe(2);
  });

  it('refuses a nonce used before even on a new, correctly signed request', async () => {
    const nonce = randomBytes(16).toString('base64url');
    const url = '/v1/catalog?after=0';
    expect((await send('GET', url, header({ method: 'GET', url }, { nonce }))).statusCode).toBe(200);
    const before = await snapshot();
    const body = batchBody(saleChain(terminal, 1));
    expectRefusal(
      await send('POST', BATCHES, header({ method: 'POST', url: BATCHES, body }, { nonce }), body),
      401,
      'replayed_request',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a terminal revoked by an HQ admin, which then cannot write or read', async () => {
    const token = await server.hqToken();
    const revoke = await server.app.inject({
      method: 'POST',
      url: `/v1/hq/terminals/${terminal.terminalId}/revoke`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json()).toEqual({ revoked: terminal.terminalId });
    const before = await snapshot();
    expect(before.terminals.find((t) => t.terminalId === terminal.terminalId)?.revokedAt).not.toBeNull();

    expectRefusal(await server.push(terminal, saleChain(terminal, 1)), 401, 'unauthorized');
    expectRefusal(await server.signed(terminal, 'GET', '/v1/catalog'), 401, 'unauthorized');
    expect(await snapshot()).toEqual(before);

    const again = await server.app.inject({
      method: 'POST',
      url: `/v1/hq/terminals/${terminal.terminalId}/revoke`,
      headers: { authorization: `Bearer ${token}` },
    });
    expectRefusal(again, 404, 'not_found');
  });

  it('refuses a missing or garbled Authorization header, and writes nothing', async () => {
    const body = batchBody(saleChain(terminal, 1));
    const good = header({ method: 'POST', url: BATCHES, body });
    const hqToken = await server.hqToken();
    const before = await snapshot();
    const garbled: (string | undefined)[] = [
      undefined,
      '',
      ' ',
      `Bearer ${hqToken}`,
      'TW1-Ed25519',
      good.replace('TW1-Ed25519', 'tw1-ed25519'),
      good.replace('TW1-Ed25519', 'TW1-HMAC'),
      good.replace(', ', ','),
      good.replace(/ts=\d+/, 'ts=yesterday'),
      good.replace(/ts=\d+/, 'ts=-1'),
      good.replace(/ts=\d+/, `ts=${'9'.repeat(17)}`),
      good.replace(/nonce=[^,]+/, 'nonce=short'),
      good.replace(/nonce=[^,]+/, `nonce=${'n'.repeat(65)}`),
      good.replace(/sig=.+$/, 'sig='),
      good.replace(/sig=.+$/, `sig=${'A'.repeat(86)}`),
      good.replace(/sig=(.+)$/, (_, sig: string) => `sig=${sig.slice(0, 60)}`),
      good.replace(/terminal=[^,]+/, 'terminal=no-such-terminal'),
      good.replace(/terminal=[^,]+/, 'terminal='),
      good.replace(/terminal=[^,]+/, 'terminal=a b'),
      `${good}, extra=1`,
      ` ${good}`,
      good.slice(0, good.length / 2),
      good.replace(/sig=(.+)$/, (_, sig: string) => `sig=${sig}=`),
    ];
    for (const authorization of garbled) {
      expectRefusal(await send('POST', BATCHES, authorization, body), 401, 'unauthorized');
      expectRefusal(await send('GET', '/v1/catalog', authorization), 401, 'unauthorized');
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('enrolment', () => {
  const enrol = (publicKey: string, code = server.codes[1]!) =>
    server.app.inject({
      method: 'POST',
      url: '/v1/enrol',
      payload: { code, terminalName: 'Till 2', publicKey },
    });

  it('refuses a public key that is not Ed25519, and does not use up the code', async () => {
    const spki = (key: { export(options: { type: 'spki'; format: 'der' }): Buffer }) =>
      key.export({ type: 'spki', format: 'der' }).toString('base64');
    const candidates = [
      spki(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey),
      spki(generateKeyPairSync('x25519').publicKey),
      spki(generateKeyPairSync('ed448').publicKey),
      randomBytes(44).toString('base64'),
      'not base64 at all, but long enough to pass the length check!!',
      // An Ed25519 key in PEM rather than SPKI DER base64.
      generateKeyPairSync('ed25519')
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString()
        .slice(0, 200),
    ];
    const before = await snapshot();
    for (const publicKey of candidates) {
      const response = await enrol(publicKey);
      expectRefusal(response, 400, 'invalid_request');
    }
    expect(await snapshot()).toEqual(before);
    const ok = await enrol(generateTerminalKeyPair().publicKey);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ orgId: server.orgId, storeId: server.storeId, epoch: 1 });
  });

  it('refuses an unknown or expired code', async () => {
    expectRefusal(
      await enrol(generateTerminalKeyPair().publicKey, 'CODE-NOPE-0000'),
      403,
      'enrolment_code_invalid',
    );
    let clock = FIXED_NOW;
    const later = await startTestServer({ now: () => clock });
    try {
      // The seeded codes are valid for 24 hours.
      clock = new Date(FIXED_NOW.getTime() + 24 * 3600_000 + 1);
      const response = await later.app.inject({
        method: 'POST',
        url: '/v1/enrol',
        payload: {
          code: later.codes[2],
          terminalName: 'Late',
          publicKey: generateTerminalKeyPair().publicKey,
        },
      });
      expectRefusal(response, 403, 'enrolment_code_invalid');
      expect(await later.store.terminals(later.orgId)).toEqual([]);
    } finally {
      await later.close();
    }
  });
});
