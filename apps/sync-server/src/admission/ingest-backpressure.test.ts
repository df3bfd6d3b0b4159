import { connect } from 'node:net';
import { ErrorEnvelope, MAX_BATCH_BYTES } from '@tillwright/protocol';
import { signRequest } from '@tillwright/protocol/signing';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import {
  BACKENDS,
  FIXED_NOW,
  type HeldIngest,
  holdIngest,
  METRICS_TOKEN,
  saleChain,
  startTestServer,
  type TestServer,
  type TestTerminal,
  useBackend,
} from '../test-support.js';

const BOUND = 2;
const PATH = '/v1/journal/batches';

interface Prepared {
  terminal: TestTerminal;
  body: string;
  authorization: string;
}

describe.each(BACKENDS)('the global ingest bound on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let app: FastifyInstance;
  let base: string;
  /** Batches held inside the store's ingest until `open()`, so the bound fills deterministically. */
  let holding: HeldIngest;

  beforeEach(async () => {
    server = await startTestServer(backend);
    holding = holdIngest(server.store);
    // The same store, served over a real socket by an app that works on 2 batches at once and queues none.
    app = buildApp({
      store: server.store,
      now: () => FIXED_NOW,
      ingest: { maxActive: BOUND, maxQueued: 0 },
      metricsToken: METRICS_TOKEN,
    }).app;
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    holding.open();
    await app.close();
    await server.close();
  });

  /** A signed push of the terminal's first three sales, kept whole so the very same request can be sent again. */
  function prepare(terminal: TestTerminal): Prepared {
    const body = JSON.stringify({ epoch: terminal.epoch, events: saleChain(terminal, 3) });
    const authorization = signRequest(
      { method: 'POST', pathWithQuery: PATH, body },
      terminal.terminalId,
      terminal.keys.privateKeyPem,
      FIXED_NOW.getTime(),
    );
    return { terminal, body, authorization };
  }

  const send = (request: Pick<Prepared, 'body' | 'authorization'>) =>
    fetch(`${base}${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: request.authorization },
      body: request.body,
    });

  async function until(condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('refuses pushes over the bound with 429 rate_limited and a Retry-After, writes nothing for them, and takes the same requests once there is room', async () => {
    const terminals: TestTerminal[] = [];
    for (let i = 0; i < 6; i++) terminals.push(await server.enrolDirect());
    const requests = terminals.map(prepare);
    const before = await server.store.counts();

    // Two pushes fill the bound: both are inside the store, held.
    const admitted = requests.slice(0, BOUND).map(send);
    await until(() => holding.inside === BOUND);

    // Four more terminals push at the same moment: every one is refused, none reaches the store.
    const refused = await Promise.all(requests.slice(BOUND).map(send));
    for (const response of refused) {
      expect(response.status).toBe(429);
      const retryAfter = response.headers.get('retry-after');
      expect(retryAfter).toMatch(/^[1-9][0-9]*$/);
      expect(Number(retryAfter)).toBeLessThanOrEqual(30);
      const envelope = ErrorEnvelope.parse(await response.json());
      expect(envelope.error).toMatchObject({ code: 'rate_limited', retryable: true });
      expect(envelope.error.details?.retryAfter).toBe(Number(retryAfter));
    }
    // Refused before its body is read: a request whose signature would not verify (a well-formed header signed with
    // another key) or whose body is not even JSON gets the same 429, not a 401 or a 400. Only a header that could
    // never authenticate (malformed, stale, unknown terminal) is refused first, with 401, and takes no place.
    const forged = signRequest(
      { method: 'POST', pathWithQuery: PATH, body: requests[2]!.body },
      requests[2]!.terminal.terminalId,
      requests[3]!.terminal.keys.privateKeyPem,
      FIXED_NOW.getTime(),
    );
    expect((await send({ body: requests[2]!.body, authorization: forged })).status).toBe(429);
    expect((await send({ body: requests[2]!.body, authorization: 'TW1-Ed25519 nonsense' })).status).toBe(401);
    expect((await send({ body: '{"not json', authorization: requests[2]!.authorization })).status).toBe(429);
    expect(holding.inside).toBe(BOUND);
    expect(await server.store.counts()).toEqual(before);
    for (const request of requests.slice(BOUND)) {
      expect((await server.store.terminal(request.terminal.terminalId))?.ackedSeq).toBe(0);
    }

    // The held batches complete; then the refused requests, resent byte for byte (same signature, same nonce), are
    // accepted: the refusal consumed no nonce and stored no event.
    holding.open();
    for (const response of await Promise.all(admitted)) expect(response.status).toBe(200);
    for (const request of requests.slice(BOUND)) {
      const retry = await send(request);
      expect(retry.status, await retry.clone().text()).toBe(200);
      expect(((await retry.json()) as { ackedSeq: number }).ackedSeq).toBe(3);
    }
    expect((await server.store.counts()).events).toBe(before.events + 3 * requests.length);

    const metrics = await (
      await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(metrics).toMatch(/^tillwright_ingest_shed_total 6$/m);
    expect(metrics).toMatch(/^tillwright_http_errors_total\{code="rate_limited"\} 6$/m);
  });

  it('gives the place back however an admitted push ends: refused body, body too large, client gone mid-body', async () => {
    holding.open();
    const terminals: TestTerminal[] = [];
    for (let i = 0; i < 4; i++) terminals.push(await server.enrolDirect());
    const [first, second, third, fourth] = terminals.map(prepare);
    // With one place only (the app of this file allows two), every push below must find it free again. The half-sent
    // body below may keep its place for a minute, so however slow the machine it is still held when checked.
    const { app: single, admission } = buildApp({
      store: server.store,
      now: () => FIXED_NOW,
      ingest: { maxActive: 1, maxQueued: 0, pace: { firstByteMs: 60_000, totalMs: 60_000 } },
    });
    const singleBase = await single.listen({ port: 0, host: '127.0.0.1' });
    const sendTo = (request: Pick<Prepared, 'body' | 'authorization'>) =>
      fetch(`${singleBase}${PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: request.authorization },
        body: request.body,
      });
    try {
      expect((await sendTo(first!)).status).toBe(200);
      expect((await sendTo({ body: '{"not json', authorization: second!.authorization })).status).toBe(400);
      expect((await sendTo(second!)).status).toBe(200);
      const tooLarge = JSON.stringify({ padding: 'x'.repeat(MAX_BATCH_BYTES * 2 + 10) });
      expect((await sendTo({ body: tooLarge, authorization: third!.authorization })).status).toBe(413);
      expect((await sendTo(third!)).status).toBe(200);

      // A client sends the headers and part of the body, then disconnects.
      const url = new URL(singleBase);
      const socket = connect(Number(url.port), url.hostname);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST ${PATH} HTTP/1.1\r\nHost: ${url.host}\r\ncontent-type: application/json\r\n` +
          `authorization: ${fourth!.authorization}\r\ncontent-length: 5000\r\n\r\n{"epoch":`,
      );
      await until(() => admission.gate.active === 1);
      expect((await sendTo(fourth!)).status).toBe(429);
      socket.destroy();
      // Its place comes back once the server sees the connection close.
      await until(() => admission.gate.active === 0);
      expect((await sendTo(prepare(fourth!.terminal))).status).toBe(200);
    } finally {
      await single.close();
    }
  });

  it('queues pushes beyond the active bound with their bodies unread, refuses beyond the queue, and drops a client that leaves while queued', async () => {
    const terminals: TestTerminal[] = [];
    for (let i = 0; i < 5; i++) terminals.push(await server.enrolDirect());
    const [a, b, gone, refusedRequest, late] = terminals.map(prepare);
    const { app: queueing, admission } = buildApp({
      store: server.store,
      now: () => FIXED_NOW,
      ingest: { maxActive: 1, maxQueued: 2 },
    });
    const { gate } = admission;
    const queueBase = await queueing.listen({ port: 0, host: '127.0.0.1' });
    const sendTo = (request: Pick<Prepared, 'body' | 'authorization'>) =>
      fetch(`${queueBase}${PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: request.authorization },
        body: request.body,
      });
    try {
      const answers = [sendTo(a!)];
      await until(() => holding.inside === 1);
      expect([gate.active, gate.queued]).toEqual([1, 0]);
      // A queued push's body is not read: one that is not even JSON waits in the queue like any other, unanswered,
      // refused only once in.
      let notJsonAnswered = false;
      const notJson = sendTo({ body: '{"not json', authorization: b!.authorization }).finally(() => {
        notJsonAnswered = true;
      });
      await until(() => gate.queued === 1);
      // A client that sends only its headers takes the second place in the queue...
      const url = new URL(queueBase);
      const socket = connect(Number(url.port), url.hostname);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST ${PATH} HTTP/1.1\r\nHost: ${url.host}\r\ncontent-type: application/json\r\n` +
          `authorization: ${gone!.authorization}\r\ncontent-length: ${Buffer.byteLength(gone!.body)}\r\n\r\n`,
      );
      await until(() => gate.queued === 2);
      // ...so the queue is full: the next push is refused at once.
      const refused = await sendTo(refusedRequest!);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // The waiting client leaves: its place in the queue goes to the next push.
      socket.destroy();
      await until(() => gate.queued === 1);
      answers.push(sendTo(late!));
      await until(() => gate.queued === 2);
      // Still one batch at work, two waiting, and the one that is not JSON still unanswered.
      expect([gate.active, gate.queued, holding.inside]).toEqual([1, 2, 1]);
      expect(notJsonAnswered).toBe(false);

      holding.open();
      expect((await notJson).status).toBe(400);
      for (const answer of await Promise.all(answers)) expect(answer.status).toBe(200);
      for (const [request, stored] of [
        [a, 3],
        [b, 0],
        [gone, 0],
        [refusedRequest, 0],
        [late, 3],
      ] as const) {
        expect((await server.store.terminal(request!.terminal.terminalId))?.ackedSeq).toBe(stored);
      }
    } finally {
      await queueing.close();
    }
  });

  it('under a burst of concurrent pushes, every request is either stored whole or refused with nothing stored', async () => {
    holding.open();
    const terminals: TestTerminal[] = [];
    for (let i = 0; i < 12; i++) terminals.push(await server.enrolDirect());
    const responses = await Promise.all(terminals.map((terminal) => send(prepare(terminal))));
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(BOUND);
    for (const [i, terminal] of terminals.entries()) {
      const row = await server.store.terminal(terminal.terminalId);
      expect(row?.ackedSeq).toBe(statuses[i] === 200 ? 3 : 0);
      if (statuses[i] === 429)
        expect(Number(responses[i]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await server.store.counts()).events).toBe(3 * statuses.filter((status) => status === 200).length);
  });
});
