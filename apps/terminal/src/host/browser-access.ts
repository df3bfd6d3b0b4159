import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tokenFromSubprotocols } from '../contract/browser-rpc.js';

export type Refusal = { allowed: false; status: 401 | 403; reason: string };
export type AccessDecision = { allowed: true } | Refusal;

const ALLOWED: AccessDecision = { allowed: true };

/**
 * Who may use the browser-mode server: requests addressed to the till itself (Host exactly 127.0.0.1 or localhost on
 * the port it listens on), from a page it served (Origin the same, and for /rpc the per-launch token). The Host
 * check defeats DNS rebinding, where a foreign name resolves to 127.0.0.1 and the browser then treats the till as
 * that site; the token also keeps out a local program or page that can forge Host and Origin but never read the page.
 */
export class BrowserAccess {
  readonly token = randomBytes(32).toString('base64url');
  private readonly hosts: ReadonlySet<string>;
  private readonly origins: ReadonlySet<string>;

  constructor(hostnames: readonly string[], port: number) {
    const hosts = [...new Set(hostnames.map((name) => (name.includes(':') ? `[${name}]` : name)))].map(
      (name) => `${name}:${port}`,
    );
    this.hosts = new Set(hosts);
    this.origins = new Set(hosts.map((host) => `http://${host}`));
  }

  /** The WebSocket addresses the served page may connect to, for its Content-Security-Policy. */
  connectSources(): string {
    return [...this.hosts].map((host) => `ws://${host}`).join(' ');
  }

  /** Any HTTP request: its Host must be the till's own, and an Origin, if the browser sent one, too. */
  checkRequest(request: IncomingMessage): AccessDecision {
    const host = request.headers.host?.toLowerCase();
    if (host === undefined || !this.hosts.has(host)) {
      return { allowed: false, status: 403, reason: 'this server answers only to its own address' };
    }
    const origin = request.headers.origin?.toLowerCase();
    if (origin !== undefined && !this.origins.has(origin)) {
      return { allowed: false, status: 403, reason: 'requests from other sites are refused' };
    }
    return ALLOWED;
  }

  /** A WebSocket upgrade: the checks above, an Origin that must be present, and the token of the served page. */
  checkUpgrade(request: IncomingMessage): AccessDecision {
    const checked = this.checkRequest(request);
    if (!checked.allowed) return checked;
    if (request.headers.origin === undefined) {
      return { allowed: false, status: 403, reason: 'a WebSocket without an Origin is refused' };
    }
    if (!this.isToken(tokenFromSubprotocols(request.headers['sec-websocket-protocol']))) {
      return { allowed: false, status: 401, reason: 'the token of the page this server served is required' };
    }
    return ALLOWED;
  }

  private isToken(candidate: string | null): boolean {
    if (candidate === null) return false;
    const expected = Buffer.from(this.token);
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
