/**
 * How a browser-mode page proves it is the page the host served: the host writes a random per-launch token into
 * index.html, and the page offers it as a WebSocket subprotocol (a header, so it never lands in a URL or a log).
 * A page from another site cannot read the till's index.html, so it cannot learn the token.
 */
export const RPC_PATH = '/rpc';
export const RPC_SUBPROTOCOL = 'tillwright-rpc';
export const RPC_TOKEN_SUBPROTOCOL_PREFIX = 'tillwright-token.';
export const RPC_TOKEN_META_NAME = 'tillwright-rpc-token';

/** What the page offers in Sec-WebSocket-Protocol; the host answers with RPC_SUBPROTOCOL. */
export function rpcSubprotocols(token: string): string[] {
  return [RPC_SUBPROTOCOL, `${RPC_TOKEN_SUBPROTOCOL_PREFIX}${token}`];
}

/** The token offered in a Sec-WebSocket-Protocol header, or null when there is none or more than one. */
export function tokenFromSubprotocols(header: string | undefined): string | null {
  if (header === undefined) return null;
  const tokens = header
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value.startsWith(RPC_TOKEN_SUBPROTOCOL_PREFIX))
    .map((value) => value.slice(RPC_TOKEN_SUBPROTOCOL_PREFIX.length));
  return tokens.length === 1 ? tokens[0]! : null;
}
