import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';

let upstream: Server;
let upstreamUrl: string;
let received: string[];
let proxy: FaultProxy | null = null;

beforeEach(async () => {
  received = [];
  upstream = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push(body);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ got: body.length }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await proxy?.close();
  proxy = null;
  await new Promise((resolve) => upstream.close(resolve));
});

const push = (body: string) =>
  fetch(`${proxy!.url}/v1/journal/batches`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });

describe('fault proxy', () => {
  it('passes requests through untouched', async () => {
    proxy = await startFaultProxy(upstreamUrl, { weights: {}, seed: 1 });
    expect(await (await push('{"a":1}')).json()).toEqual({ got: 7 });
    expect(received).toEqual(['{"a":1}']);
  });

  it('loses the answer after the server handled the request', async () => {
    proxy = await startFaultProxy(upstreamUrl, { weights: { pass: 0, 'lose-response': 1 }, seed: 1 });
    await expect(push('{"a":1}')).rejects.toThrow();
    expect(received).toEqual(['{"a":1}']);
    expect(proxy.counts['lose-response']).toBe(1);
  });

  it('delivers a request twice when duplicating, answering once', async () => {
    proxy = await startFaultProxy(upstreamUrl, { weights: { pass: 0, duplicate: 1 }, seed: 1 });
    expect((await push('{"a":1}')).status).toBe(200);
    expect(received).toEqual(['{"a":1}', '{"a":1}']);
  });

  it('drops, resets and truncates without the server handling a whole request', async () => {
    for (const fault of ['drop', 'reset', 'truncate'] as const) {
      proxy = await startFaultProxy(upstreamUrl, { weights: { pass: 0, [fault]: 1 }, seed: 1 });
      await expect(push('{"a":"0123456789"}')).rejects.toThrow();
      await proxy.close();
      proxy = null;
    }
    expect(received.filter((body) => body === '{"a":"0123456789"}')).toEqual([]);
  });

  it('delays by the planned time, and refuses everything while partitioned', async () => {
    proxy = await startFaultProxy(upstreamUrl, { weights: { pass: 0, delay: 1 }, delayMs: 150, seed: 1 });
    const started = Date.now();
    expect((await push('{}')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    proxy.setPartitioned(true);
    await expect(push('{}')).rejects.toThrow();
    expect(proxy.counts.partitioned).toBe(1);
  });

  it('draws the same faults for the same seed', async () => {
    const plan = { weights: { pass: 1, drop: 1, duplicate: 1 }, seed: 42 };
    const draws = async () => {
      proxy = await startFaultProxy(upstreamUrl, plan);
      for (let i = 0; i < 20; i++) await push('{}').catch(() => undefined);
      const counts = { ...proxy.counts };
      await proxy.close();
      proxy = null;
      return counts;
    };
    expect(await draws()).toEqual(await draws());
  });
});
