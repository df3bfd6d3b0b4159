/** Test helpers: write expected bytes as readable hex, mixing in ASCII text. */

/** Bytes as lower-case hex, space separated: `1b 40 0a`. */
export function hex(bytes: Uint8Array | readonly number[]): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** ASCII text as hex, for splicing printable runs into an expected byte string. */
export function ascii(text: string): string {
  return hex(Array.from(text, (ch) => ch.charCodeAt(0)));
}

/** Join hex fragments with single spaces, ignoring empty ones. */
export function bytes(...parts: string[]): string {
  return parts.filter((part) => part.length > 0).join(' ');
}

/** Deterministic PRNG (mulberry32) for fuzz-style tests that must not flake. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
