import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { Pin, PinHash } from './employees.js';

/**
 * PIN hashing for employees, Node only (`@tillwright/protocol/pin`; the main entry, which the browser renderer
 * imports, does not include it). The server hashes a PIN when HQ sets one; a till checks a PIN offline against the
 * hash the feed brought, with the parameters stored in it.
 */

export interface PinHashParameters {
  N: number;
  r: number;
  p: number;
  keyLength: number;
  /** Bytes of random salt (at least 16). */
  saltBytes: number;
}

/**
 * scrypt N=16384 (2^14), r=8, p=1, a 32-byte key: 16 MiB and about 40 ms per hash on one core of the development
 * machine (2 vCPU AMD EPYC, Node 20; 40–56 ms measured while other work loaded it), so about 25 hashes a second per
 * core. Trying every 4-digit PIN of one employee from a stolen till database takes about 7 minutes on one core, every
 * 8-digit one about 46 days (docs/security.md). A sign-in checks one hash: instant for the cashier.
 */
export const DEFAULT_PIN_HASH_PARAMETERS: Readonly<PinHashParameters> = Object.freeze({
  N: 2 ** 14,
  r: 8,
  p: 1,
  keyLength: 32,
  saltBytes: 16,
});

/** scrypt needs about 128 · N · r bytes; Node refuses more than `maxmem`, so it is set for the parameters. */
const maxmemFor = (N: number, r: number) => 128 * N * r + 1024 * 1024;

function derive(
  pin: string,
  salt: Buffer,
  hash: Omit<PinHash, 'salt' | 'hash' | 'algorithm'>,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      pin,
      salt,
      hash.keyLength,
      { N: hash.N, r: hash.r, p: hash.p, maxmem: maxmemFor(hash.N, hash.r) },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/**
 * Hashes a PIN with a fresh random salt: the parameters default to `DEFAULT_PIN_HASH_PARAMETERS`. Throws a
 * TypeError for something that is not a PIN (4 to 8 digits) or parameters `PinHash` does not allow.
 */
export async function hashPin(pin: string, parameters: Partial<PinHashParameters> = {}): Promise<PinHash> {
  if (!Pin.safeParse(pin).success) throw new TypeError('a PIN is 4 to 8 digits');
  const { saltBytes, ...cost } = { ...DEFAULT_PIN_HASH_PARAMETERS, ...parameters };
  const salt = randomBytes(saltBytes);
  const shape = PinHash.safeParse({
    algorithm: 'scrypt',
    ...cost,
    salt: salt.toString('base64'),
    hash: Buffer.alloc(cost.keyLength).toString('base64'),
  });
  if (!shape.success)
    throw new TypeError(`PIN hash parameters not allowed: ${shape.error.issues[0]?.message}`);
  const key = await derive(pin, salt, cost);
  return { ...shape.data, hash: key.toString('base64') };
}

/**
 * True when the PIN is the one the hash was made from, derived with the hash's own parameters and compared in
 * constant time. False, never a throw, for anything malformed: a hash that is not a `PinHash`, a PIN that is not a
 * string.
 */
export async function verifyPin(pin: string, hash: PinHash): Promise<boolean> {
  const stored = PinHash.safeParse(hash);
  if (!stored.success || typeof pin !== 'string') return false;
  try {
    const expected = Buffer.from(stored.data.hash, 'base64');
    const actual = await derive(pin, Buffer.from(stored.data.salt, 'base64'), stored.data);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}
