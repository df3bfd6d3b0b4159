import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { signRequest } from '@tillwright/protocol/signing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppOptions, type BuiltApp, buildApp } from '../app.js';
import {
  FIXED_NOW,
  type HeldIngest,
  holdIngest,
  saleChain,
  startTestServer,
  type TestServer,
  type TestTerminal,
  waitFor,
} from '../test-support.js';

const PATH = '/v1/journal/batches';
/** A second loopback address: on Linux the whole of 127.0.0.0/8 reaches the server, each a different client. */
const ATTACKER = '127.0.0.2';
const GENUINE = '127.0.0.1';

let server: TestServer;
let built: BuiltApp;
let port: number;
/** Batches held inside the store's ingest until `open()`. */
let holding: HeldIngest;
const sockets: Socket[] = [];

beforeEach(async () => {
  server = await startTestServer();
  holding = holdIngest(server.store);
});
afterEach(async () => {
  holding.open();
  for (const socket of sockets.splice(0)) socket.destroy();
  await built?.app.close();
  await server.close();
});

async function listen(ingest: AppOptions['ingest']): Promise<void> {
  built = buildApp({ store: server.store, now: () => FIXED_NOW, ingest });
  const address = new URL(await built.app.listen({ port: 0, host: '0.0.0.0' }));
  port = Number(address.port);
}

function signedPush(terminal: TestTerminal, events = saleChain(terminal, 3)) {
  const body = JSON.stringify({ epoch: terminal.epoch, events });
  const authorization = signRequest(
    { method: 'POST', pathWithQuery: PATH, body },
    terminal.terminalId,
    terminal.keys.privateKeyPem,
    FIXED_NOW.getTime(),
  );
  return { body, authorization };
}

/** A push sent from `localAddress`, answered with its status and parsed body. */
function post(
  localAddress: string,
  push: { body: string; authorization: string },
): Promise<{ status: number; body: { error?: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: GENUINE,
        port,
        localAddress,
        method: 'POST',
        path: PATH,
        headers: { 'content-type': 'application/json', authorization: push.authorization },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    request.on('error', reject);
    request.end(push.body);
  });
}

/**
 * A client that sends the headers of a push from `localAddress`, then only `bodyStart` of a body it says is 5,000
 * bytes long. Resolves once connected; `answer` resolves with the server's whole answer, `closed` when the
 * connection ends.
 */
async function slowClient(
  localAddress: string,
  authorization: string,
  bodyStart = '{',
): Promise<{ socket: Socket; answer: Promise<string>; closed: Promise<void> }> {
  const socket = connect({ host: GENUINE, port, localAddress });
  sockets.push(socket);
  await new Promise((resolve) => socket.once('connect', resolve));
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk;
  });
  const answer = new Promise<string>((resolve) => {
    socket.on('data', () => {
      // A refusal before the body is read comes at once; one that ends the connection (408) closes it too.
      if (received.includes('\r\n\r\n') && received.endsWith('}')) resolve(received);
    });
    socket.once('close', () => resolve(received));
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    `POST ${PATH} HTTP/1.1\r\nHost: ${GENUINE}:${port}\r\ncontent-type: application/json\r\n` +
      `authorization: ${authorization}\r\ncontent-length: 5000\r\n\r\n${bodyStart}`,
  );
  return { socket, answer, closed };
}

describe('ingest admission', () => {
  it('a slow-body flood from one address leaves another address’s terminal answered at once', async () => {
    // The body deadlines are long here, so only the per-address bound can protect the genuine till.
    await listen({ pace: { firstByteMs: 60_000, totalMs: 60_000 } });
    holding.open();
    const attacker = await server.enrolDirect();
    const genuine = await server.enrolDirect();
    // 80 sockets fill the default bound (16 working, 64 waiting) with the headers of a push and one body byte. The
    // attacker needs no key: the header is well formed and names a known terminal.
    const flood = await Promise.all(
      Array.from({ length: 80 }, () => slowClient(ATTACKER, signedPush(attacker).authorization)),
    );
    const refusedAtOnce = flood.map(() => false);
    for (const [i, client] of flood.entries()) {
      client.socket.once('data', () => {
        refusedAtOnce[i] = true;
      });
    }
    // Every socket is either holding a place (working or waiting) or has been answered.
    await waitFor(
      () =>
        built.admission.gate.active + built.admission.gate.queued + refusedAtOnce.filter(Boolean).length ===
        80,
      'every socket holding a place or answered',
    );
    const held = built.admission.gate.active + built.admission.gate.queued;
    expect(held).toBe(8);
    expect(built.admission.addresses.count(ATTACKER)).toBe(8);

    const answer = await post(GENUINE, signedPush(genuine));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect((await server.store.terminal(genuine.terminalId))?.ackedSeq).toBe(3);
    // ...while the attacker's sockets still hold their places: it was the bound, not a timeout, that let it in.
    expect(
      flood.filter((client) => !client.socket.destroyed && !client.socket.readableEnded),
    ).not.toHaveLength(0);
    expect(built.admission.addresses.count(ATTACKER)).toBe(8);
    for (const [i, client] of flood.entries())
      if (refusedAtOnce[i]) expect(await client.answer).toMatch(/^HTTP\/1.1 429/);
  });

  it('closes an admitted push whose first body byte does not come in time, with 408, and frees its place', async () => {
    await listen({ pace: { firstByteMs: 200 } });
    const terminal = await server.enrolDirect();
    const client = await slowClient(GENUINE, signedPush(terminal).authorization, '');
    await waitFor(() => built.admission.gate.active === 1, 'the push admitted');
    const answer = await client.answer;
    expect(answer).toMatch(/^HTTP\/1.1 408/);
    expect(answer).toContain('"code":"body_too_slow"');
    await client.closed;
    expect(built.admission.gate.active).toBe(0);
    expect(built.admission.addresses.count(GENUINE)).toBe(0);
  });

  it('closes an admitted push whose body falls below the minimum rate, with 408, and frees its place', async () => {
    await listen({ pace: { firstByteMs: 100, minBytesPerSecond: 1_000 } });
    const terminal = await server.enrolDirect();
    const client = await slowClient(GENUINE, signedPush(terminal).authorization);
    // One byte every 50 ms is 20 bytes a second: far below the 1,000 asked for.
    const trickle = setInterval(() => client.socket.write(' '), 50);
    try {
      const answer = await client.answer;
      expect(answer).toMatch(/^HTTP\/1.1 408/);
      expect(answer).toContain('slower than 1000 bytes a second');
      await client.closed;
    } finally {
      clearInterval(trickle);
    }
    expect(built.admission.gate.active).toBe(0);
  });

  it('gives every place back when the client leaves while its terminal is looked up', async () => {
    await listen({});
    const terminal = await server.enrolDirect();
    // The lookup waits (a busy PostgreSQL pool) while the client gives up.
    const lookup = server.store.terminal.bind(server.store);
    let lookups = 0;
    let looked = false;
    let answer = () => {};
    const held = new Promise<void>((resolve) => {
      answer = resolve;
    });
    server.store.terminal = async (...args) => {
      lookups += 1;
      await held;
      const found = await lookup(...args);
      looked = true;
      return found;
    };
    const client = await slowClient(GENUINE, signedPush(terminal).authorization);
    await waitFor(() => lookups === 1, 'the terminal lookup');
    client.socket.destroy();
    await client.closed;
    // The server has seen the connection end before the lookup answers.
    await waitFor(() => built.connectionsFrom(GENUINE) === 0, 'the server to see the client leave');
    answer();
    await waitFor(() => looked, 'the lookup answered');
    // The route has gone on from the lookup (a few turns later); nothing may be left holding a place.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await waitFor(
      () => built.admission.gate.active + built.admission.gate.queued + built.admission.addresses.total === 0,
      'every place given back',
    );
  });

  it('refuses with 401 before taking any place a push whose header is malformed, stale, or names an unknown or revoked terminal', async () => {
    await listen({ maxActive: 1, maxQueued: 0 });
    const [holder, revoked, other] = [
      await server.enrolDirect(),
      await server.enrolDirect(),
      await server.enrolDirect(),
    ];
    await server.store.revokeTerminal(server.orgId, revoked.terminalId, FIXED_NOW.toISOString());
    const held = post(GENUINE, signedPush(holder));
    await waitFor(() => holding.inside === 1, 'a batch inside the store');

    const good = signedPush(other);
    const stale = signRequest(
      { method: 'POST', pathWithQuery: PATH, body: good.body },
      other.terminalId,
      other.keys.privateKeyPem,
      FIXED_NOW.getTime() - 10 * 60_000,
    );
    const unknown = good.authorization.replace(other.terminalId, 'no-such-terminal');
    const cases: [string, string][] = [
      ['TW1-Ed25519 nonsense', 'unauthorized'],
      [stale, 'clock_skew'],
      [unknown, 'unauthorized'],
      [signedPush(revoked).authorization, 'unauthorized'],
    ];
    for (const [authorization, code] of cases) {
      const answer = await post(ATTACKER, { body: good.body, authorization });
      expect(answer.status).toBe(401);
      expect(answer.body.error?.code).toBe(code);
    }
    // A well-formed push of a known terminal meets the full bound: 429 before its body is read.
    expect((await post(ATTACKER, good)).status).toBe(429);
    expect(built.admission.addresses.total).toBe(1);
    holding.open();
    expect((await held).status).toBe(200);
  });

  it('bounds a terminal’s own pushes only once its signature verified, so nobody without its key can use them up', async () => {
    await listen({ perTerminal: 1 });
    const terminal = await server.enrolDirect();
    const first = post(GENUINE, signedPush(terminal));
    await waitFor(() => holding.inside === 1, 'a batch inside the store');
    // A forged push for the same terminal (signed by another key) is refused for its signature, not for the bound.
    const forger = await server.enrolDirect();
    const forged = signedPush(terminal);
    const forgedAuthorization = signRequest(
      { method: 'POST', pathWithQuery: PATH, body: forged.body },
      terminal.terminalId,
      forger.keys.privateKeyPem,
      FIXED_NOW.getTime(),
    );
    const refusedForgery = await post(ATTACKER, { body: forged.body, authorization: forgedAuthorization });
    expect(refusedForgery.status).toBe(401);
    // The terminal's own second push, while its first is inside, is over its bound.
    const second = await post(GENUINE, signedPush(terminal));
    expect(second.status).toBe(429);
    expect(second.body.error?.code).toBe('rate_limited');
    holding.open();
    expect((await first).status).toBe(200);
    expect(built.admission.terminals.total).toBe(0);
  });
});
