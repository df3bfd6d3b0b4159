/**
 * UUIDv7 (RFC 9562) with a monotonic generator: ids minted by one generator always sort in mint order,
 * even within one millisecond or when the wall clock steps backwards. Ids are minted before a commit so that
 * a retried operation carries the same id and can be recognised as the same fact.
 */
export type Clock = () => number;
export type RandomSource = (bytes: Uint8Array) => Uint8Array;

const RANDOM_BITS = 74n;
const RANDOM_MASK = (1n << RANDOM_BITS) - 1n;
const UUID_V7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const defaultRandom: RandomSource = (bytes) => globalThis.crypto.getRandomValues(bytes);

export type UuidV7Generator = () => string;

export function createUuidV7Generator(
  clock: Clock = Date.now,
  random: RandomSource = defaultRandom,
): UuidV7Generator {
  let lastMs = -1;
  let lastRandom = 0n;
  return () => {
    const now = Math.floor(clock());
    let ms = now;
    let rand: bigint;
    if (now > lastMs) {
      rand = randomBits(random);
    } else {
      // Same millisecond or clock went backwards: keep the last timestamp and count up, so order holds.
      ms = lastMs;
      rand = lastRandom + 1n;
      if (rand > RANDOM_MASK) {
        ms = lastMs + 1;
        rand = randomBits(random);
      }
    }
    lastMs = ms;
    lastRandom = rand;
    return format(ms, rand);
  };
}

function randomBits(random: RandomSource): bigint {
  const bytes = random(new Uint8Array(10));
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  // Leave headroom so a burst within one millisecond rarely overflows into the next.
  return (value & RANDOM_MASK) >> 1n;
}

function format(ms: number, rand: bigint): string {
  const randA = (rand >> 62n) & 0xfffn;
  const randB = rand & ((1n << 62n) - 1n);
  const hi = (BigInt(ms) << 16n) | (0x7n << 12n) | randA;
  const lo = (0b10n << 62n) | randB;
  const hex = hi.toString(16).padStart(16, '0') + lo.toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function isUuidV7(value: string): boolean {
  return UUID_V7_PATTERN.test(value);
}

export function uuidV7Timestamp(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}
