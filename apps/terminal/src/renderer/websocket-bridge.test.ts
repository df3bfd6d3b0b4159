import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket as ServerSocket, WebSocket, WebSocketServer } from 'ws';
import { RPC_SUBPROTOCOL } from '../contract/browser-rpc.js';
import { createWebSocketBridge } from './websocket-bridge.js';

let server: WebSocketServer;
afterEach(async () => {
  for (const client of server.clients) client.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A stand-in host: answers every call with its method name, and hands each connection to the test. */
async function host(onConnection: (socket: ServerSocket) => void = () => {}): Promise<string> {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => RPC_SUBPROTOCOL });
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const { id, method } = JSON.parse(String(data));
      socket.send(JSON.stringify({ kind: 'response', id, ok: true, result: method }));
    });
    onConnection(socket);
  });
  await new Promise((resolve) => server.once('listening', resolve));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/rpc`;
}

const tokens = { first: 'token', reread: async () => 'token' };
// The renderer runs in a browser; here `ws` stands in for the browser's WebSocket.
const bridgeTo = (url: string, onReconnect?: () => void) =>
  createWebSocketBridge(url, tokens, WebSocket as unknown as typeof globalThis.WebSocket, onReconnect);

describe('the browser-mode bridge', () => {
  it('answers calls over the socket, waiting for the first connection', async () => {
    const bridge = bridgeTo(await host());
    expect(await bridge.call('sync.status', {})).toBe('sync.status');
  });

  it('fails a call made while the connection is down at once, retryably, instead of leaving it unanswered, and says when it is back', async () => {
    const connections: ServerSocket[] = [];
    let reconnects = 0;
    const bridge = bridgeTo(await host((socket) => connections.push(socket)), () => reconnects++);
    expect(await bridge.call('sync.status', {})).toBe('sync.status');
    expect(reconnects).toBe(0);
    // The host goes away; the bridge reconnects half a second later. A scan in that gap must not vanish silently.
    const closed = new Promise((resolve) => connections[0]!.once('close', resolve));
    connections[0]!.close();
    await closed;
    await expect(bridge.call('catalog.lookup', { barcode: '4006381333931' })).rejects.toMatchObject({
      error: { code: 'host_disconnected', retryable: true },
    });
    // Once it is back, calls go through again, and the page is told it was out of contact (to ask again what it
    // may have missed).
    await new Promise<void>((resolve) => {
      const check = () => (connections.length > 1 ? resolve() : setTimeout(check, 20));
      check();
    });
    expect(await bridge.call('sync.status', {})).toBe('sync.status');
    expect(reconnects).toBe(1);
  });
});
