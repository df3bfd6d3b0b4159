import { rpcSubprotocols } from '../contract/browser-rpc.js';
import type { MethodName } from '../contract/methods.js';
import {
  type HostToRenderer,
  type RendererBridge,
  RpcCallError,
  type RpcEventMessage,
} from '../contract/wire.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface RpcTokenSource {
  /** The token in the page as it was loaded. */
  readonly first: string;
  /** Reads the token again, after a connection was refused: a restarted host has a new one. */
  reread(): Promise<string>;
}

/**
 * Browser mode's bridge: the renderer contract over a WebSocket to the local host, presenting the page's RPC token.
 * Reconnects by itself; a call made while disconnected fails at once with a retryable error rather than hanging.
 * `onReconnect` runs each time a connection opens after the first: the host may have restarted meanwhile (nobody
 * signed in any more), and events pushed while out of contact were missed, so the page asks again.
 */
export function createWebSocketBridge(
  url: string,
  tokens: RpcTokenSource,
  Socket: typeof WebSocket = WebSocket,
  onReconnect: () => void = () => {},
): RendererBridge {
  const listeners = new Set<(message: RpcEventMessage) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let token = tokens.first;
  let socket: WebSocket;
  let opened: Promise<void>;
  let everOpened = false;

  const connect = () => {
    socket = new Socket(url, rpcSubprotocols(token));
    let established = false;
    // Settles when this attempt ends either way, so a call waiting on it is never left waiting on a dead socket.
    opened = new Promise((resolve) => {
      socket.addEventListener(
        'open',
        () => {
          established = true;
          resolve();
          if (everOpened) onReconnect();
          everOpened = true;
        },
        { once: true },
      );
      socket.addEventListener('close', () => resolve(), { once: true });
    });
    // A failed attempt is followed by its close event, which reconnects; the error itself says nothing more.
    socket.addEventListener('error', () => {});
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as HostToRenderer;
      if (message.kind === 'event') {
        for (const listener of listeners) listener(message);
        return;
      }
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new RpcCallError(message.error));
    });
    socket.addEventListener('close', () => {
      for (const [id, waiting] of pending) {
        pending.delete(id);
        waiting.reject(
          new RpcCallError({
            code: 'host_disconnected',
            message: 'lost contact with the terminal host',
            retryable: true,
          }),
        );
      }
      // Refused before it opened: most likely the host restarted with a new token, so ask for the page again.
      const ready = established
        ? Promise.resolve()
        : tokens.reread().then(
            (fresh) => {
              if (fresh) token = fresh;
            },
            () => undefined,
          );
      setTimeout(() => void ready.then(connect), 500);
    });
  };
  connect();

  return {
    async call(method: MethodName, params: unknown) {
      if (socket.readyState === Socket.CONNECTING) await opened;
      // Between a lost connection and the next one, a call fails at once: a scan or a Pay must never wait on a
      // socket that is gone, where its answer would never come.
      if (socket.readyState !== Socket.OPEN) {
        throw new RpcCallError({
          code: 'host_disconnected',
          message: 'no contact with the terminal host right now; try again in a moment',
          retryable: true,
        });
      }
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params }));
      });
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
