import WebSocket from 'ws';

/**
 * Opens a terminal host's /rpc the way its page does: read the per-launch token from the page the host serves, then
 * present it as a WebSocket subprotocol, from the host's own origin. Rejects when the host is not there to ask.
 */
export async function openHostSocket(terminalUrl: string, timeoutMs = 10_000): Promise<WebSocket> {
  const html = await (await fetch(terminalUrl, { signal: AbortSignal.timeout(timeoutMs) })).text();
  const token = /<meta name="tillwright-rpc-token" content="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`the terminal page at ${terminalUrl} carries no RPC token`);
  return new WebSocket(
    `${terminalUrl.replace('http', 'ws')}rpc`,
    ['tillwright-rpc', `tillwright-token.${token}`],
    {
      origin: terminalUrl.replace(/\/$/, ''),
    },
  );
}
