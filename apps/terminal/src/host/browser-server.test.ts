import { mkdirSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { join } from 'node:path';
import { type PrinterEmulator, startPrinterEmulator } from '@tillwright/devices/sim';
import { LedgerReader } from '@tillwright/ledger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DevicesStatusView } from '../contract/methods.js';
import { type BrowserServer, startBrowserServer } from './browser-server.js';
import { TerminalHost } from './terminal-host.js';
import { enrolledLedger, openShiftIn, STAFF, staffTheTill } from './test-support.js';

let fixture: ReturnType<typeof enrolledLedger>;
let printer: PrinterEmulator;
let host: TerminalHost;
let server: BrowserServer;
let port: number;

const INDEX_HTML =
  '<!doctype html><html><head><meta charset="utf-8" /><title>till</title></head><body></body></html>';

beforeEach(async () => {
  fixture = enrolledLedger();
  await staffTheTill(fixture.ledger);
  openShiftIn(fixture.ledger);
  fixture.ledger.close();
  const rendererDir = join(fixture.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(rendererDir, 'main.js'), 'console.log("till");');
  // A page beside the renderer folder, where a path that climbs out of it would land.
  writeFileSync(join(fixture.dir, 'secret.html'), '<p>outside the renderer</p>');
  printer = await startPrinterEmulator({ port: 0 });
  host = new TerminalHost({
    dataDir: fixture.dir,
    serverUrl: 'http://127.0.0.1:9',
    enrolmentCode: null,
    terminalName: 'Till',
    printer: { host: '127.0.0.1', port: printer.port },
    simulators: true,
    currency: 'EUR',
    storeName: 'Test',
    taxJurisdiction: 'DE',
    log: () => {},
  });
  const printerOnline = new Promise<void>((resolve) => {
    const unsubscribe = host.subscribe((message) => {
      if (message.event === 'devices.status' && (message.payload as DevicesStatusView).printer === 'online') {
        unsubscribe();
        resolve();
      }
    });
  });
  host.start();
  await printerOnline;
  server = await startBrowserServer(host, { rendererDir, port: 0 });
  port = Number(new URL(server.url).port);
});
afterEach(async () => {
  await server.close();
  await host.stop();
  await printer.close();
  fixture.cleanup();
});

/** Sends one request exactly as written (no client normalises its path or fills in its Host) and reads the answer. */
function rawHttp(requestLines: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.once('error', reject);
    socket.once('close', () => {
      const [head = '', ...rest] = received.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), body: rest.join('\r\n\r\n') });
    });
    socket.write(`${[...requestLines, 'Connection: close'].join('\r\n')}\r\n\r\n`);
  });
}

const own = () => ({ host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` });

/** The RPC token the served page carries, read the way the renderer reads it. */
async function pageToken(): Promise<string> {
  const html = await (await fetch(server.url)).text();
  const token = /<meta name="tillwright-rpc-token" content="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`no RPC token in the served page:\n${html}`);
  return token;
}

/**
 * Opens /rpc on the till's real address with the given Host, Origin and token, as a browser would after a DNS
 * rebinding (the name resolves to 127.0.0.1, the headers keep the attacker's name). Rejects with the refusal.
 */
function connect(options: { host: string; origin: string; token: string | null }): Promise<WebSocket> {
  const protocols = [
    'tillwright-rpc',
    ...(options.token === null ? [] : [`tillwright-token.${options.token}`]),
  ];
  const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, protocols, {
    origin: options.origin,
    headers: { host: options.host },
  });
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

/**
 * What a hostile page would do with an open socket: sign in (a PIN seen over a shoulder) and ring up a cash sale,
 * which commits, prints and kicks the drawer.
 */
async function attemptCashSale(options: {
  host: string;
  origin: string;
  token: string | null;
}): Promise<{ refused: string } | { answer: Record<string, unknown> }> {
  let ws: WebSocket;
  try {
    ws = await connect(options);
  } catch (error) {
    return { refused: String(error) };
  }
  try {
    await request(ws, {
      id: 0,
      method: 'session.signIn',
      params: { number: STAFF.cashier.number, pin: STAFF.cashier.pin },
    });
    const answer = await request(ws, {
      id: 1,
      method: 'sale.complete',
      params: {
        saleId: fixture.nextSaleId(),
        currency: 'EUR',
        lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
        tenders: [{ kind: 'cash', tendered: 1000 }],
      },
    });
    return { answer };
  } finally {
    ws.close();
  }
}

function journalCount(): number {
  const reader = LedgerReader.open(join(fixture.dir, 'ledger.sqlite'));
  try {
    return reader.journal.count();
  } finally {
    reader.close();
  }
}

describe('browser mode server', () => {
  it('serves the renderer with a fresh RPC token for this launch, and refuses paths that climb out of it', async () => {
    expect(await (await fetch(server.url)).text()).toContain('<title>till</title>');
    expect((await pageToken()).length).toBeGreaterThanOrEqual(32);
    expect((await fetch(`${server.url}ledger.sqlite`)).status).toBe(404);
    for (const target of [
      '/../secret.html',
      '/../../etc/passwd',
      '/%2e%2e/secret.html',
      '/.%2E/secret.html',
      '/..%2fsecret.html',
      '/..\\secret.html',
      'secret.html',
    ]) {
      const answer = await rawHttp([`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`]);
      expect({ target, status: answer.status }).toEqual({ target, status: 400 });
      expect(answer.body).not.toContain('outside the renderer');
    }
  });

  it('serves no file, and not the token, to a request whose Host is not the till its own (DNS rebinding)', async () => {
    for (const hostHeader of [
      `evil.example:${port}`,
      'evil.example',
      `127.0.0.1:${port + 1}`,
      `127.0.0.1.evil.example:${port}`,
    ]) {
      for (const path of ['/', '/index.html', '/main.js']) {
        const answer = await rawHttp([`GET ${path} HTTP/1.1`, `Host: ${hostHeader}`]);
        expect({ hostHeader, path, status: answer.status }).toEqual({ hostHeader, path, status: 403 });
        expect(answer.body).not.toContain('tillwright-rpc-token');
        expect(answer.body).not.toContain('till');
      }
    }
    const withoutHost = await rawHttp(['GET / HTTP/1.0']);
    expect(withoutHost.status).toBe(403);
    const onLocalhost = await rawHttp(['GET / HTTP/1.1', `Host: localhost:${port}`]);
    expect(onLocalhost.status).toBe(200);
    expect(onLocalhost.body).toContain('tillwright-rpc-token');
  });

  it('rings up a sale and kicks the drawer for its own page: Host, Origin and token its own', async () => {
    const before = journalCount();
    const outcome = await attemptCashSale({ ...own(), token: await pageToken() });
    expect(outcome).toMatchObject({ answer: { id: 1, ok: true, result: { drawer: 'confirmed' } } });
    // The sign-in and the sale.
    expect(journalCount()).toBe(before + 2);
    expect(printer.drawerKicks).toBe(1);
    expect(printer.receipts).toHaveLength(1);
  });

  it('refuses a WebSocket whose Host and Origin are a foreign name (DNS rebinding): no sale, no receipt, no drawer kick', async () => {
    const before = journalCount();
    const token = await pageToken();
    for (const name of ['evil.example', '127.0.0.1.evil.example']) {
      const outcome = await attemptCashSale({
        host: `${name}:${port}`,
        origin: `http://${name}:${port}`,
        token,
      });
      expect(outcome).toEqual({ refused: expect.stringMatching(/403/) });
    }
    expect(journalCount()).toBe(before);
    expect(printer.drawerKicks).toBe(0);
    expect(printer.receipts).toHaveLength(0);
  });

  it('refuses a WebSocket from another origin, so no web page can drive the till', async () => {
    const outcome = await attemptCashSale({
      host: `127.0.0.1:${port}`,
      origin: 'http://evil.example',
      token: await pageToken(),
    });
    expect(outcome).toEqual({ refused: expect.stringMatching(/403/) });
    expect(printer.drawerKicks).toBe(0);
  });

  it('refuses a WebSocket without the token of the page it served, even from its own Host and Origin', async () => {
    const before = journalCount();
    const token = await pageToken();
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const candidate of [null, '', 'short', wrong, `${token}x`]) {
      const outcome = await attemptCashSale({ ...own(), token: candidate });
      expect({ candidate, outcome }).toEqual({
        candidate,
        outcome: { refused: expect.stringMatching(/401/) },
      });
    }
    expect(journalCount()).toBe(before);
    expect(printer.drawerKicks).toBe(0);
  });

  it('answers contract calls over the WebSocket on localhost too', async () => {
    const ws = await connect({
      host: `localhost:${port}`,
      origin: `http://localhost:${port}`,
      token: await pageToken(),
    });
    const answer = await request(ws, {
      id: 7,
      method: 'catalog.lookup',
      params: { barcode: '4006381333931' },
    });
    expect(answer).toMatchObject({ id: 7, ok: true, result: { productId: 'pen', unitPrice: 250 } });
    ws.close();
  });

  it('pushes scanner events to connected renderers', async () => {
    const ws = await connect({ ...own(), token: await pageToken() });
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

  it('closes the socket on a malformed message', async () => {
    const ws = await connect({ ...own(), token: await pageToken() });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('{"id": "x"');
    expect(await closed).toBe(1007);
  });
});
