import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError, unauthorized } from './errors.js';
import type { ServerStore, TerminalPrincipal } from './store/store.js';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function bearer(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]{16,256})$/.exec(header) : null;
  if (!match) throw unauthorized();
  return match[1]!;
}

/** The terminal's identity comes from its credential only, never from the request body. */
export async function requireTerminal(
  store: ServerStore,
  request: FastifyRequest,
): Promise<TerminalPrincipal> {
  const principal = await store.terminalByTokenHash(sha256Hex(bearer(request)));
  if (!principal) throw unauthorized('this terminal credential is unknown or revoked; re-enrol the terminal');
  return principal;
}

export async function requireHq(
  store: ServerStore,
  request: FastifyRequest,
  role: 'viewer' | 'admin',
): Promise<void> {
  const granted = await store.hqRoleByTokenHash(sha256Hex(bearer(request)));
  if (!granted) throw unauthorized('an HQ credential is required');
  if (role === 'admin' && granted !== 'admin')
    throw new ApiError(403, 'forbidden', 'this needs an HQ admin', false);
}
