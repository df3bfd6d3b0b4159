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

/**
 * Browser mode's bridge: the renderer contract over a WebSocket to the local host. Reconnects by itself;
 * a call made while disconnected fails at once with a retryable error rather than hanging.
 */
export function createWebSocketBridge(url: string): RendererBridge {
  const listeners = new Set<(message: RpcEventMessage) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: WebSocket;
  let opened: Promise<void>;

  const connect = () => {
    socket = new WebSocket(url);
    opened = new Promise((resolve) => socket.addEventListener('open', () => resolve(), { once: true }));
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
      setTimeout(connect, 500);
    });
  };
  connect();

  return {
    async call(method: MethodName, params: unknown) {
      await opened;
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
