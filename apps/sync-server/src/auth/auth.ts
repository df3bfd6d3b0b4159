import { createHash, randomBytes } from 'node:crypto';
import {
  MAX_CLOCK_SKEW_MS,
  type ParsedSignature,
  parseSignatureHeader,
  verifySignature,
} from '@tillwright/protocol/signing';
import type { FastifyRequest } from 'fastify';
import { ApiError, unauthorized } from '../errors.js';
import type {
  AuditActor,
  ServerStore,
  StaffRole,
  StaffSession,
  TerminalPrincipal,
  TerminalRecord,
} from '../store/store.js';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Crockford's base32: no I, L, O or U, so a code read aloud or typed on a till cannot be mistaken. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A one-time enrolment code a manager types on a new till: 12 characters (60 random bits) in groups of four, e.g.
 * `7K2M-QX9D-4TFA`. It is short-lived and single-use, and enrolment is rate-limited, so 60 bits is ample.
 */
export function newEnrolmentCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((byte) => CODE_ALPHABET[byte & 31]);
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8, 12)].map((group) => group.join('')).join('-');
}

/** The terminal signature header, well formed and with a timestamp inside the window, or a 401. */
function timelySignatureHeader(request: FastifyRequest, now: Date): ParsedSignature {
  const parsed = parseSignatureHeader(request.headers.authorization);
  if (!parsed) throw unauthorized('a signed terminal request is required (Authorization: TW1-Ed25519 …)');
  if (Math.abs(now.getTime() - parsed.timestamp) > MAX_CLOCK_SKEW_MS) {
    throw new ApiError(
      401,
      'clock_skew',
      'the request timestamp is more than 5 minutes off; check the terminal clock',
      true,
      {
        serverTime: now.toISOString(),
      },
    );
  }
  return parsed;
}

/**
 * The checks of a terminal request that need no body: a well-formed signature header, a timestamp inside the window,
 * and a terminal that is known and not revoked. A push meets these before it may wait for a place in the ingest bound,
 * so a request that could never be authenticated never holds one. Unknown and revoked get the same answer here: the
 * caller has proved nothing yet.
 */
export async function preauthenticateTerminal(
  store: ServerStore,
  request: FastifyRequest,
  now: Date,
): Promise<{ parsed: ParsedSignature; terminal: TerminalRecord }> {
  const parsed = timelySignatureHeader(request, now);
  const terminal = await store.terminal(parsed.terminalId);
  if (!terminal || terminal.revokedAt !== null) {
    throw unauthorized('the request names an unknown or revoked terminal');
  }
  return { parsed, terminal };
}

/**
 * A terminal request must carry a fresh signature by the terminal's own key over method, path, timestamp, nonce and
 * body. Terminal, store and org come from that verified identity, never from the body. A nonce is accepted once.
 */
export async function requireTerminal(
  store: ServerStore,
  request: FastifyRequest,
  now: Date,
  /** The terminal as preauthenticateTerminal already read it for this request (a push), so it is not read twice. */
  known?: TerminalRecord,
): Promise<TerminalPrincipal> {
  const parsed = timelySignatureHeader(request, now);
  const terminal = known?.terminalId === parsed.terminalId ? known : await store.terminal(parsed.terminalId);
  const body = typeof request.rawBody === 'string' ? request.rawBody : '';
  if (
    !terminal ||
    !verifySignature({ method: request.method, pathWithQuery: request.url, body }, parsed, terminal.publicKey)
  ) {
    throw unauthorized('the request signature does not verify for this terminal');
  }
  if (terminal.revokedAt !== null)
    throw unauthorized('this terminal was revoked; a manager must enrol it again');
  const expiresAt = new Date(parsed.timestamp + 2 * MAX_CLOCK_SKEW_MS).toISOString();
  if (!(await store.useNonce(terminal.terminalId, parsed.nonce, expiresAt, now.toISOString()))) {
    throw new ApiError(
      401,
      'replayed_request',
      'this request was already received (its nonce was used)',
      false,
    );
  }
  return {
    orgId: terminal.orgId,
    storeId: terminal.storeId,
    terminalId: terminal.terminalId,
    epoch: terminal.epoch,
  };
}

/** HQ staff authenticate with a session token from POST /v1/hq/sessions; admins may do what viewers may. */
export async function requireStaff(
  store: ServerStore,
  request: FastifyRequest,
  role: StaffRole,
  now: Date,
): Promise<StaffSession> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(header) : null;
  if (!match) throw unauthorized('an HQ session is required (Authorization: Bearer …)');
  const staff = await store.sessionByTokenHash(sha256Hex(match[1]!), now.toISOString());
  if (!staff) throw unauthorized('this HQ session is unknown or expired; sign in again');
  if (role === 'admin' && staff.role !== 'admin')
    throw new ApiError(403, 'forbidden', 'this needs an HQ admin', false);
  return staff;
}

/** Who an audit row names for an HQ request: the staff member of its session. */
export const actorOf = (principal: StaffSession): AuditActor => ({
  staffId: principal.staffId,
  username: principal.username,
});

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact body text, kept for signature verification. */
    rawBody?: string;
  }
}
