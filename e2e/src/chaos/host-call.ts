import type WebSocket from 'ws';
import { openHostSocket } from '../host-socket.js';
import type { HostAnswer } from '../observe.js';

/**
 * What became of one call to a terminal host, as a history recorder sees it: answered; never sent (the host was not
 * there to connect to); or unknown (sent, then the connection died before an answer: the host may have committed).
 */
export type CallOutcome =
  | { kind: 'answered'; answer: HostAnswer }
  | { kind: 'not-sent'; reason: string }
  | { kind: 'unknown'; reason: string };

export async function callHostOutcome(
  terminalUrl: string,
  method: string,
  params: unknown,
  timeoutMs = 10_000,
): Promise<CallOutcome> {
  let ws: WebSocket;
  try {
    ws = await openHostSocket(terminalUrl, timeoutMs);
  } catch (error) {
    return { kind: 'not-sent', reason: error instanceof Error ? error.message : String(error) };
  }
  return new Promise((resolve) => {
    let sent = false;
    let settled = false;
    const finish = (outcome: CallOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(outcome);
    };
    const lost = (reason: string) =>
      finish(sent ? { kind: 'unknown', reason } : { kind: 'not-sent', reason });
    const timer = setTimeout(() => lost(`no answer after ${timeoutMs} ms`), timeoutMs);
    ws.on('open', () => {
      ws.send(JSON.stringify({ id: 1, method, params }), (error) => {
        if (error) lost(error.message);
      });
      sent = true;
    });
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { kind?: string; id?: number } & HostAnswer;
      if (message.kind === 'response' && message.id === 1) finish({ kind: 'answered', answer: message });
    });
    ws.on('error', (error) => lost(error.message));
    ws.on('close', () => lost('connection closed'));
  });
}
