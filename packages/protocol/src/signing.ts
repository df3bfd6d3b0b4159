import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';

/**
 * Terminal request signing. Each request carries its terminal id, a timestamp and a one-time nonce, and an Ed25519
 * signature over method, path with query, timestamp, nonce and the SHA-256 of the body. The server keeps only the
 * public key, so nothing on the server lets anyone write as a terminal.
 */
export const AUTH_SCHEME = 'TW1-Ed25519';
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface SignedRequestParts {
  method: string;
  pathWithQuery: string;
  body: string;
}

export interface TerminalKeyPair {
  /** SPKI DER, base64: what the server stores. */
  publicKey: string;
  /** PKCS8 PEM: stays on the terminal. */
  privateKeyPem: string;
}

export function generateTerminalKeyPair(): TerminalKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function stringToSign(parts: SignedRequestParts, timestamp: number, nonce: string): string {
  const bodyHash = createHash('sha256').update(parts.body).digest('hex');
  return `${parts.method.toUpperCase()}\n${parts.pathWithQuery}\n${timestamp}\n${nonce}\n${bodyHash}`;
}

/** The Authorization header value for one request. */
export function signRequest(
  parts: SignedRequestParts,
  terminalId: string,
  privateKeyPem: string,
  now: number = Date.now(),
  nonce: string = randomBytes(16).toString('base64url'),
): string {
  const signature = sign(null, Buffer.from(stringToSign(parts, now, nonce)), createPrivateKey(privateKeyPem));
  return `${AUTH_SCHEME} terminal=${terminalId}, ts=${now}, nonce=${nonce}, sig=${signature.toString('base64url')}`;
}

export interface ParsedSignature {
  terminalId: string;
  timestamp: number;
  nonce: string;
  signature: Buffer;
}

const HEADER =
  /^TW1-Ed25519 terminal=([A-Za-z0-9._:-]{1,64}), ts=(\d{1,16}), nonce=([A-Za-z0-9_-]{16,64}), sig=([A-Za-z0-9_-]{40,200})$/;

export function parseSignatureHeader(header: string | undefined): ParsedSignature | null {
  const match = header ? HEADER.exec(header) : null;
  if (!match) return null;
  return {
    terminalId: match[1]!,
    timestamp: Number(match[2]),
    nonce: match[3]!,
    signature: Buffer.from(match[4]!, 'base64url'),
  };
}

export function verifySignature(
  parts: SignedRequestParts,
  parsed: ParsedSignature,
  publicKeyBase64: string,
): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(
      null,
      Buffer.from(stringToSign(parts, parsed.timestamp, parsed.nonce)),
      key,
      parsed.signature,
    );
  } catch {
    return false;
  }
}

/** Whether a public key is a well-formed Ed25519 SPKI key, for enrolment. */
export function isEd25519PublicKey(publicKeyBase64: string): boolean {
  try {
    return (
      createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' })
        .asymmetricKeyType === 'ed25519'
    );
  } catch {
    return false;
  }
}
