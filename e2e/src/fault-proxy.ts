import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mulberry32 } from '@tillwright/testkit';

/**
 * An HTTP fault proxy for the sync path: it sits between terminals and the sync server and, per request, passes,
 * delays, drops, resets, truncates, duplicates, or forwards and then loses the server's answer (the server committed,
 * the terminal never hears). A partition refuses everything. Faults are drawn from a seeded PRNG (testkit's
 * mulberry32), so a run can be replayed; every decision is counted so a test can show each fault really happened.
 */
export type Fault = 'pass' | 'delay' | 'drop' | 'reset' | 'truncate' | 'duplicate' | 'lose-response';

export interface FaultPlan {
  /** Weight of each fault; faults left out have weight 0, `pass` defaults to 1. */
  weights: Partial<Record<Fault, number>>;
  delayMs?: number;
  seed: number;
}

export interface FaultProxy {
  url: string;
  counts: Record<Fault | 'partitioned', number>;
  setPlan(plan: FaultPlan): void;
  setPartitioned(partitioned: boolean): void;
  /**
   * Runs `hook` once, the moment the next journal push has been handed to the server in full and its answer is
   * still outstanding: the point where a kill lands "mid-batch" or "mid-sync".
   */
  onNextForward(hook: () => void): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, plan: FaultPlan): Promise<FaultProxy> {
  const upstream = new URL(target);
  const counts: FaultProxy['counts'] = {
    pass: 0,
    delay: 0,
    drop: 0,
    reset: 0,
    truncate: 0,
    duplicate: 0,
    'lose-response': 0,
    partitioned: 0,
  };
  let current = plan;
  let random = mulberry32(plan.seed);
  let partitioned = false;
  let forwardHook: (() => void) | null = null;
  const sockets = new Set<Socket>();

  const choose = (): Fault => {
    const entries = Object.entries({ pass: 1, ...current.weights }) as [Fault, number][];
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let pick = random() * total;
    for (const [fault, weight] of entries) {
      pick -= weight;
      if (pick < 0) return fault;
    }
    return 'pass';
  };

  const forward = (incoming: IncomingMessage, body: Buffer, bodyLimit = body.length) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host, 'content-length': String(body.length) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 502,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      if (bodyLimit < body.length) {
        // Truncate: half the body reaches the server, then the connection is torn down mid-request.
        outgoing.write(body.subarray(0, bodyLimit), () => outgoing.destroy());
      } else {
        outgoing.end(body, () => {
          if (!incoming.url?.startsWith('/v1/journal/') || !forwardHook) return;
          const hook = forwardHook;
          forwardHook = null;
          hook();
        });
      }
    });

  const reply = (
    response: ServerResponse,
    answer: { status: number; headers: IncomingMessage['headers']; body: Buffer },
  ) => {
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    delete headers.connection;
    response.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
    response.end(answer.body);
  };

  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        if (partitioned) {
          counts.partitioned += 1;
          incoming.socket.destroy();
          return;
        }
        // The HQ stream and other long-lived reads are not the sync path under test: pass them untouched.
        const fault = incoming.url?.startsWith('/v1/journal/') ? choose() : 'pass';
        counts[fault] += 1;
        try {
          switch (fault) {
            case 'pass':
              return reply(response, await forward(incoming, body));
            case 'delay':
              await new Promise((resolve) => setTimeout(resolve, current.delayMs ?? 200));
              return reply(response, await forward(incoming, body));
            case 'drop':
              incoming.socket.destroy();
              return;
            case 'reset':
              incoming.socket.resetAndDestroy();
              return;
            case 'truncate':
              await forward(incoming, body, Math.floor(body.length / 2)).catch(() => undefined);
              incoming.socket.destroy();
              return;
            case 'duplicate':
              await forward(incoming, body);
              return reply(response, await forward(incoming, body));
            case 'lose-response':
              await forward(incoming, body);
              incoming.socket.resetAndDestroy();
              return;
            default: {
              const unreachable: never = fault;
              throw new Error(`unknown fault ${String(unreachable)}`);
            }
          }
        } catch {
          // The server itself is down (killed by the harness): the terminal sees the connection fail.
          incoming.socket.destroy();
        }
      })();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    setPlan(next) {
      current = next;
      random = mulberry32(next.seed);
    },
    setPartitioned(value) {
      partitioned = value;
    },
    onNextForward(hook) {
      forwardHook = hook;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
