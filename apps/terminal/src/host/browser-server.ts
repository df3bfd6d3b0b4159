import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { HostToRenderer } from '../contract/wire.js';
import { RpcRequest } from '../contract/wire.js';
import type { TerminalHost } from './terminal-host.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};
const MAX_MESSAGE_BYTES = 256 * 1024;

export interface BrowserServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Browser mode: serves the built renderer and carries the renderer contract over a WebSocket at /rpc.
 * Listens on loopback only and refuses WebSocket upgrades from any other origin, so no web page the
 * till's browser visits can drive the host.
 */
export async function startBrowserServer(
  host: TerminalHost,
  options: { rendererDir: string; port: number; hostname?: string },
): Promise<BrowserServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  const server: Server = createServer((request, response) => {
    void serveStatic(options.rendererDir, request.url ?? '/').then(
      ({ status, type, body }) => {
        response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
        response.end(body);
      },
      () => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('renderer files unavailable');
      },
    );
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    if (request.url !== '/rpc' || !sameOrigin(request)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attach(host, ws));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, hostname, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${hostname}:${port}/`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function attach(host: TerminalHost, ws: WebSocket): void {
  const send = (message: HostToRenderer) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = host.subscribe((message) => send({ kind: 'event', ...message }));
  ws.on('close', unsubscribe);
  ws.on('message', (data: RawData) => {
    const request = RpcRequest.safeParse(parseJson(data));
    if (!request.success) {
      ws.close(1007, 'malformed rpc message');
      return;
    }
    const { id, method, params } = request.data;
    void host.call(id, method, params).then((response) => send({ kind: 'response', ...response }));
  });
}

function parseJson(data: RawData): unknown {
  try {
    return JSON.parse(data.toString());
  } catch {
    return null;
  }
}

function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  return origin !== undefined && origin === `http://${request.headers.host}`;
}

async function serveStatic(root: string, url: string) {
  const path = new URL(url, 'http://local').pathname;
  const relative = normalize(path === '/' ? '/index.html' : path);
  if (relative.includes('..')) return { status: 400, type: 'text/plain', body: 'bad path' };
  const extension = extname(relative);
  const type = CONTENT_TYPES[extension];
  if (!type) return { status: 404, type: 'text/plain', body: 'not found' };
  try {
    return { status: 200, type, body: await readFile(join(root, relative)) };
  } catch {
    return { status: 404, type: 'text/plain', body: 'not found' };
  }
}
