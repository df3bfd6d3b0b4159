import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BuiltApp, buildApp } from '../app.js';
import { FIXED_NOW, startTestServer, type TestServer } from '../test-support.js';
import { startMetricsListener } from './metrics-route.js';

let server: TestServer;
let built: BuiltApp;

beforeEach(async () => {
  server = await startTestServer();
  // One terminal, so the metrics name a terminal and a store: what must not be public.
  await server.enrolDirect();
});
afterEach(async () => {
  await built?.app.close();
  await server.close();
});

describe('metrics on the API port', () => {
  it('are not served at all without a metrics token', async () => {
    built = buildApp({ store: server.store, now: () => FIXED_NOW });
    const response = await built.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('store-001');
  });

  it('need the metrics token: none, a wrong one and an HQ session are refused', async () => {
    built = buildApp({ store: server.store, now: () => FIXED_NOW, metricsToken: 'the-right-metrics-token' });
    const session = await server.hqToken();
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${session}`, 'the-right-metrics-token']) {
      const response = await built.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(response.statusCode).toBe(401);
      expect(response.body).not.toContain('store-001');
    }
    const allowed = await built.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer the-right-metrics-token' },
    });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.body).toMatch(/^tillwright_terminal_acked_seq\{terminal="[^"]+",store="store-001"\} 0$/m);
  });
});

describe('metrics on a separate listener', () => {
  it('serve only /metrics on their own address, with no token needed unless one is set', async () => {
    built = buildApp({ store: server.store, now: () => FIXED_NOW });
    const listener = await startMetricsListener(built.context, { host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(listener.url);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('store="store-001"');
      expect((await fetch(listener.url.replace('/metrics', '/v1/hq/terminals'))).status).toBe(404);
      // Still nothing on the API port.
      expect((await built.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await listener.close();
    }
    const guarded = await startMetricsListener(built.context, { host: '127.0.0.1', port: 0, token: 'tok' });
    try {
      expect((await fetch(guarded.url)).status).toBe(401);
      expect((await fetch(guarded.url, { headers: { authorization: 'Bearer tok' } })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
