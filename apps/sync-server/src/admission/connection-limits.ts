import type { Server, Socket } from 'node:net';

/** How long a client may take, and how many connections one address may hold. */
export interface ConnectionLimits {
  /** The request's headers must all arrive within this many ms (default 10,000). */
  headersMs: number;
  /**
   * The whole request, body included, must arrive within this many ms (default 120,000: a catalog import of 32 MB over
   * a slow office line; pushes have their own, stricter pace). Responses, such as the HQ stream, are not bounded.
   */
  requestMs: number;
  /** A connection with no traffic either way for this many ms is closed (default 120,000; the HQ stream's
   * keep-alive comments every 15 s keep it open). */
  idleMs: number;
  /** An idle keep-alive connection between requests is closed after this many ms (default 5,000). */
  keepAliveMs: number;
  /** How often the header and request deadlines are checked, in ms (default 1,000). */
  checkIntervalMs: number;
  /**
   * Most open connections from one client address (default 256; 0 turns it off). Counted on the TCP peer: behind a
   * proxy every connection comes from the proxy, so raise it or turn it off there and let the proxy bound clients.
   */
  perAddress: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersMs: 10_000,
  requestMs: 120_000,
  idleMs: 120_000,
  keepAliveMs: 5_000,
  checkIntervalMs: 1_000,
  perAddress: 256,
};

/**
 * Closes at once any connection that would take its address over `perAddress` open connections, before a byte of it
 * is read, and calls `onRefused`. Returns a function that reports an address's open connections.
 */
export function capConnectionsPerAddress(
  server: Server,
  perAddress: number,
  onRefused: () => void = () => {},
): (address: string) => number {
  const open = new Map<string, number>();
  if (perAddress > 0) {
    server.on('connection', (socket: Socket) => {
      const address = socket.remoteAddress ?? 'unknown';
      const count = open.get(address) ?? 0;
      if (count >= perAddress) {
        onRefused();
        socket.destroy();
        return;
      }
      open.set(address, count + 1);
      socket.once('close', () => {
        const left = (open.get(address) ?? 1) - 1;
        if (left === 0) open.delete(address);
        else open.set(address, left);
      });
    });
  }
  return (address) => open.get(address) ?? 0;
}
