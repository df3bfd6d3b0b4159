/** Test helpers: write expected bytes as readable hex, mixing in ASCII text; and the seeded PRNG. */

/** Deterministic PRNG for fuzz-style tests that must not flake: testkit's mulberry32, under this package's name. */
export { mulberry32 as seededRandom } from '@tillwright/testkit';

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
