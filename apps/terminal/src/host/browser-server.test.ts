import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type BrowserServer, startBrowserServer } from './browser-server.js';
import { TerminalHost } from './terminal-host.js';
import { enrolledLedger } from './test-support.js';

let fixture: ReturnType<typeof enrolledLedger>;
let host: TerminalHost;
let server: BrowserServer;

beforeEach(async () => {
  fixture = enrolledLedger();
  fixture.ledger.close();
  const rendererDir = join(fixture.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>till</title>');
  host = new TerminalHost({
    dataDir: fixture.dir,
    serverUrl: 'http://127.0.0.1:9',
    enrolmentCode: null,
    terminalName: 'Till',
    printer: null,
    simulators: true,
    currency: 'EUR',
    storeName: 'Test',
    taxJurisdiction: 'DE',
    log: () => {},
  });
  server = await startBrowserServer(host, { rendererDir, port: 0 });
});
afterEach(async () => {
  await server.close();
  await host.stop();
  fixture.cleanup();
});

function connect(origin: string): Promise<WebSocket> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}rpc`, { origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function request(ws: WebSocket, message: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const parsed = JSON.parse(String(data));
      if (parsed.kind === 'response') resolve(parsed);
    });
    ws.send(JSON.stringify(message));
  });
}

describe('browser mode server', () => {
  it('serves the renderer and refuses paths outside it', async () => {
    expect(await (await fetch(server.url)).text()).toContain('<title>till</title>');
    expect((await fetch(`${server.url}../../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${server.url}ledger.sqlite`)).status).toBe(404);
  });

  it('answers contract calls over the WebSocket from its own origin', async () => {
    const ws = await connect(server.url.replace(/\/$/, ''));
    const answer = await request(ws, {
      id: 7,
      method: 'catalog.lookup',
      params: { barcode: '4006381333931' },
    });
    expect(answer).toMatchObject({ id: 7, ok: true, result: { productId: 'pen', unitPrice: 250 } });
    ws.close();
  });

  it('pushes scanner events to connected renderers', async () => {
    const ws = await connect(server.url.replace(/\/$/, ''));
    const event = new Promise((resolve) =>
      ws.on('message', (data) => {
        const parsed = JSON.parse(String(data));
        if (parsed.kind === 'event' && parsed.event === 'scanner.scan') resolve(parsed.payload);
      }),
    );
    await request(ws, { id: 1, method: 'devices.simulateScan', params: { data: '5901234123457' } });
    expect(await event).toMatchObject({ barcode: '5901234123457', product: { productId: 'book' } });
    ws.close();
  });

  it('refuses a WebSocket from another origin, so no web page can drive the till', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow(/403/);
  });

  it('closes the socket on a malformed message', async () => {
    const ws = await connect(server.url.replace(/\/$/, ''));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('{"id": "x"');
    expect(await closed).toBe(1007);
  });
});
