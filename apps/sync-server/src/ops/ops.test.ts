import { ErrorEnvelope, type JournalEvent } from '@tillwright/protocol';
import { sealEvent } from '@tillwright/protocol/chain';
import { signRequest } from '@tillwright/protocol/signing';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import {
  FIXED_NOW,
  METRICS_HEADERS,
  saleChain,
  startTestServer,
  type TestTerminal,
} from '../test-support.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let clock: Date;

beforeEach(async () => {
  clock = FIXED_NOW;
  server = await startTestServer({ now: () => clock });
});
afterEach(() => server.close());

describe('health and readiness', () => {
  it('answers /healthz and /readyz while the database is up', async () => {
    const health = await server.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('reports not ready (503, retryable) when the database is gone, while staying alive', async () => {
    await server.store.close();
    const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ErrorEnvelope.safeParse(ready.json()).success).toBe(true);
    expect(ready.json().error).toMatchObject({ code: 'not_ready', retryable: true });
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

/** Every (method, path) the app serves, read from Fastify's route tree; HEAD twins of GET routes left out. */
function servedRoutes(app: FastifyInstance): Set<string> {
  const routes = new Set<string>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = `${stack.at(-1) ?? ''}${match[2]}`;
    stack.push(path);
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD')) {
      routes.add(`${method} ${path}`);
    }
  }
  return routes;
}

describe('OpenAPI', () => {
  it('serves an OpenAPI 3.1 document describing every route the server has, and only those', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const schemes = Object.keys(doc.components?.securitySchemes ?? {});

    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      expect(path.startsWith('/'), path).toBe(true);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      for (const [method, value] of Object.entries(item)) {
        if (method === 'parameters') continue;
        expect(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']).toContain(method);
        const operation = value as {
          responses: Record<string, { description: string }>;
          security?: Record<string, string[]>[];
          parameters?: { name: string; in: string; required?: boolean }[];
          requestBody?: { content: Record<string, { schema: unknown }> };
        };
        const where = `${method.toUpperCase()} ${path}`;
        expect(Object.keys(operation.responses ?? {}).length, where).toBeGreaterThan(0);
        for (const answer of Object.values(operation.responses))
          expect(typeof answer.description).toBe('string');
        for (const requirement of operation.security ?? []) {
          for (const name of Object.keys(requirement)) expect(schemes, where).toContain(name);
        }
        for (const media of Object.values(operation.requestBody?.content ?? {})) {
          expect(typeof media.schema, where).toBe('object');
        }
        // A path template's parameters must be declared, in: path, required.
        const declared = [
          ...((item.parameters as { name: string; in: string; required?: boolean }[] | undefined) ?? []),
          ...(operation.parameters ?? []),
        ];
        for (const name of templated) {
          expect(declared, `${where} declares {${name}}`).toContainEqual(
            expect.objectContaining({ name, in: 'path', required: true }),
          );
        }
        documented.add(`${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`);
      }
    }
    expect([...documented].sort()).toEqual([...servedRoutes(server.app)].sort());
  });
});

/** Prometheus text format: every sample of every family, checked line by line. */
function parseMetrics(text: string) {
  const types = new Map<string, string>();
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.trimEnd().split('\n')) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      expect(types.has(type[1]!), `TYPE ${type[1]} once`).toBe(false);
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    expect(sample, line).not.toBeNull();
    const name = sample![1]!;
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
    expect(types.has(family), `${name} has a TYPE line before it`).toBe(true);
    const labels: Record<string, string> = {};
    for (const pair of (sample![2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]!] = pair[2]!;
    }
    const value = Number(sample![3] === '+Inf' ? Number.POSITIVE_INFINITY : sample![3]);
    expect(Number.isNaN(value), line).toBe(false);
    samples.push({ name, labels, value });
  }
  const value = (name: string, labels: Record<string, string> = {}) =>
    samples.find(
      (s) =>
        s.name === name &&
        Object.keys(labels).length === Object.keys(s.labels).length &&
        Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    )?.value;
  return { types, samples, value };
}

describe('Prometheus metrics', () => {
  it('exposes ingest counters, the batch latency histogram and each terminal acked seq and last seen', async () => {
    const terminal = await server.enrol(server.codes[0]!);
    const events = saleChain(terminal, 3);
    expect((await server.push(terminal, events)).statusCode).toBe(200);
    // The same batch again: duplicates, nothing stored.
    expect((await server.push(terminal, events)).statusCode).toBe(200);
    // A poison event (quarantined) and a sale of an unknown product (an exception).
    const { hash: _hash, ...unsigned } = {
      ...events[2]!,
      seq: 4,
      prevHash: events[2]!.hash,
      eventId: '019ab8a0-0000-7000-8000-00000000bbbb',
    };
    const poison = sealEvent({
      ...unsigned,
      payload: { ...unsigned.payload, total: 'lots' },
    } as never) as JournalEvent;
    const ghost = saleChain(terminal, 1, { seq: 4, hash: poison.hash }, (payload) => ({
      ...payload,
      lines: payload.lines.map((line) => ({ ...line, productId: 'ghost' })),
    }));
    expect((await server.push(terminal, [poison, ...ghost])).statusCode).toBe(200);
    // And one refusal.
    expect((await server.app.inject({ method: 'GET', url: '/v1/hq/events' })).statusCode).toBe(401);

    clock = new Date(FIXED_NOW.getTime() + 42_000);
    const response = await server.app.inject({ method: 'GET', url: '/metrics', headers: METRICS_HEADERS });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const metrics = parseMetrics(response.body);

    expect(metrics.types.get('tillwright_ingest_batches_total')).toBe('counter');
    expect(metrics.value('tillwright_ingest_batches_total')).toBe(3);
    expect(metrics.value('tillwright_ingest_events_total')).toBe(4);
    expect(metrics.value('tillwright_ingest_duplicates_total')).toBe(3);
    expect(metrics.value('tillwright_quarantined_events_total')).toBe(1);
    expect(metrics.value('tillwright_business_exceptions_total')).toBe(1);
    expect(metrics.value('tillwright_http_errors_total', { code: 'unauthorized' })).toBe(1);
    expect(metrics.value('tillwright_events_stored')).toBe(4);
    expect(metrics.value('tillwright_quarantine_size')).toBe(1);
    expect(metrics.value('tillwright_exceptions')).toBe(1);

    expect(metrics.types.get('tillwright_ingest_batch_seconds')).toBe('histogram');
    const buckets = metrics.samples.filter((s) => s.name === 'tillwright_ingest_batch_seconds_bucket');
    expect(buckets.at(-1)?.labels.le).toBe('+Inf');
    const counts = buckets.map((b) => b.value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(metrics.value('tillwright_ingest_batch_seconds_bucket', { le: '+Inf' })).toBe(3);
    expect(metrics.value('tillwright_ingest_batch_seconds_count')).toBe(3);
    expect(metrics.value('tillwright_ingest_batch_seconds_sum')).toBeGreaterThan(0);

    const labels = { terminal: terminal.terminalId, store: terminal.storeId };
    expect(metrics.value('tillwright_terminal_acked_seq', labels)).toBe(5);
    expect(metrics.value('tillwright_terminal_seconds_since_seen', labels)).toBe(42);
  });

  it('lists a terminal that never pushed with acked seq 0 and no last-seen sample', async () => {
    const terminal = await server.enrol(server.codes[0]!);
    const metrics = parseMetrics(
      (await server.app.inject({ method: 'GET', url: '/metrics', headers: METRICS_HEADERS })).body,
    );
    const labels = { terminal: terminal.terminalId, store: terminal.storeId };
    expect(metrics.value('tillwright_terminal_acked_seq', labels)).toBe(0);
    expect(metrics.value('tillwright_terminal_seconds_since_seen', labels)).toBeUndefined();
    expect(metrics.value('tillwright_ingest_batch_seconds_count')).toBe(0);
  });
});

describe('the per-address limit', () => {
  it('applies to every route, unauthenticated ones included, before any other work', async () => {
    const limited = buildApp({
      store: server.store,
      now: () => clock,
      addressRate: { perSecond: 1, burst: 3 },
    }).app;
    await limited.ready();
    try {
      const codes = [];
      for (let i = 0; i < 5; i++)
        codes.push((await limited.inject({ method: 'GET', url: '/healthz' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const refused = await limited.inject({ method: 'POST', url: '/v1/enrol', payload: {} });
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.json().error).toMatchObject({ code: 'rate_limited', retryable: true });
    } finally {
      await limited.close();
    }
  });
});

describe('rate limits', () => {
  let app: FastifyInstance;
  let terminal: TestTerminal;
  let other: TestTerminal;

  beforeEach(async () => {
    terminal = await server.enrol(server.codes[0]!);
    other = await server.enrol(server.codes[1]!);
    // The same store, served by an app with a low limit: 1 request a second, bursts of 2.
    app = buildApp({ store: server.store, now: () => clock, terminalRate: { perSecond: 1, burst: 2 } }).app;
    await app.ready();
  });
  afterEach(() => app.close());

  const send = (who: TestTerminal, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    return app.inject({
      method,
      url,
      headers: {
        authorization: signRequest(
          { method, pathWithQuery: url, body },
          who.terminalId,
          who.keys.privateKeyPem,
          clock.getTime(),
        ),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: body }),
    });
  };

  it('answers a terminal over its limit 429 with Retry-After, writes nothing, and accepts the retry after the wait', async () => {
    const events = saleChain(terminal, 2);
    expect(
      (await send(terminal, 'POST', '/v1/journal/batches', { epoch: 1, events: [events[0]] })).statusCode,
    ).toBe(200);
    expect((await send(terminal, 'GET', '/v1/catalog')).statusCode).toBe(200);

    const before = {
      counts: await server.store.counts(),
      terminal: await server.store.terminal(terminal.terminalId),
    };
    const limited = await send(terminal, 'POST', '/v1/journal/batches', { epoch: 1, events: [events[1]] });
    expect(limited.statusCode).toBe(429);
    expect(ErrorEnvelope.safeParse(limited.json()).success).toBe(true);
    expect(limited.json().error).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      details: { retryAfter: 1 },
    });
    expect(limited.headers['retry-after']).toBe('1');
    expect({
      counts: await server.store.counts(),
      terminal: await server.store.terminal(terminal.terminalId),
    }).toEqual(before);

    // Another terminal has its own budget.
    expect((await send(other, 'GET', '/v1/catalog')).statusCode).toBe(200);

    // Retrying before the wait is over is still refused; after Retry-After seconds it goes through.
    clock = new Date(clock.getTime() + 500);
    expect(
      (await send(terminal, 'POST', '/v1/journal/batches', { epoch: 1, events: [events[1]] })).statusCode,
    ).toBe(429);
    clock = new Date(clock.getTime() + 1000 * Number(limited.headers['retry-after']));
    const retry = await send(terminal, 'POST', '/v1/journal/batches', { epoch: 1, events: [events[1]] });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toEqual({ ackedSeq: 2, ackedHash: events[1]!.hash });
    expect((await server.store.counts()).events).toBe(2);
  });

  it('limits HQ sessions the same way', async () => {
    const signIn = await app.inject({
      method: 'POST',
      url: '/v1/hq/sessions',
      payload: { username: 'admin', password: 'admin-password-for-tests' },
    });
    const token = signIn.json().token as string;
    const get = () =>
      app.inject({ method: 'GET', url: '/v1/hq/terminals', headers: { authorization: `Bearer ${token}` } });
    expect((await get()).statusCode).toBe(200);
    expect((await get()).statusCode).toBe(200);
    const limited = await get();
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    clock = new Date(clock.getTime() + 1000 * Number(limited.headers['retry-after']));
    expect((await get()).statusCode).toBe(200);
  });
});
