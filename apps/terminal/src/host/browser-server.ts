import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { RPC_PATH, RPC_SUBPROTOCOL } from '../contract/browser-rpc.js';
import type { HostToRenderer } from '../contract/wire.js';
import { RpcRequest } from '../contract/wire.js';
import { type AccessDecision, BrowserAccess, type Refusal } from './browser-access.js';
import { rendererFile } from './renderer-files.js';
import type { TerminalHost } from './terminal-host.js';

const MAX_MESSAGE_BYTES = 256 * 1024;

export interface BrowserServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Browser mode: serves the built renderer and carries the renderer contract over a WebSocket at /rpc.
 * Listens on loopback only, answers only requests addressed to the till itself, and opens /rpc only to the page it
 * served (its origin and its per-launch token), so no web page the till's browser visits can drive the host.
 */
export async function startBrowserServer(
  host: TerminalHost,
  options: { rendererDir: string; port: number; hostname?: string },
): Promise<BrowserServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  // Known once the port is bound; nothing is accepted before then.
  let access: BrowserAccess | null = null;
  const server: Server = createServer((request, response) => {
    if (!access) return refuse(response, NOT_LISTENING);
    const decision = access.checkRequest(request);
    if (!decision.allowed) return refuse(response, decision);
    const headers = securityHeaders(access.connectSources());
    void rendererFile(options.rendererDir, request.url ?? '/', access.token).then(
      ({ status, type, body }) => {
        response.writeHead(status, { ...headers, 'content-type': type });
        response.end(body);
      },
      () => {
        response.writeHead(500, { ...headers, 'content-type': 'text/plain' });
        response.end('renderer files unavailable');
      },
    );
  });
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (offered) => (offered.has(RPC_SUBPROTOCOL) ? RPC_SUBPROTOCOL : false),
  });
  server.on('upgrade', (request, socket, head) => {
    const decision: AccessDecision =
      request.url !== RPC_PATH
        ? { allowed: false, status: 403, reason: `only ${RPC_PATH} takes a WebSocket` }
        : (access?.checkUpgrade(request) ?? NOT_LISTENING);
    if (!decision.allowed) {
      refuseUpgrade(socket, decision);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attach(host, ws));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, hostname, resolve);
  });
  const { port } = server.address() as AddressInfo;
  access = new BrowserAccess(['127.0.0.1', 'localhost', hostname], port);
  return {
    url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}/`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const NOT_LISTENING: Refusal = { allowed: false, status: 403, reason: 'not listening yet' };

const STATUS_TEXT = { 401: 'Unauthorized', 403: 'Forbidden' } as const;

function refuse(response: ServerResponse, refusal: Refusal): void {
  response.writeHead(refusal.status, { 'content-type': 'text/plain', connection: 'close' });
  response.end(refusal.reason);
}

function refuseUpgrade(socket: Duplex, decision: Refusal): void {
  socket.end(
    `HTTP/1.1 ${decision.status} ${STATUS_TEXT[decision.status]}\r\nConnection: close\r\n` +
      `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(decision.reason)}\r\n\r\n${decision.reason}`,
  );
}

/** The page may connect back only to this till, and may not be framed by another site (clickjacking the cashier). */
function securityHeaders(connectSources: string): Record<string, string> {
  return {
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'self'; connect-src 'self' ${connectSources}; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
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
