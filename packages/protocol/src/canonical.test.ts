import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson } from './canonical.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same text for the same content whatever the key order', () => {
    expect(canonicalJson({ x: 'é', y: null, z: true })).toBe(canonicalJson({ z: true, y: null, x: 'é' }));
  });

  it('refuses values that have no single JSON form', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ a: new Date(0) })).toThrow(/non-plain object at \$\.a/);
    expect(() => canonicalJson({ a: 1n })).toThrow(/unsupported bigint/);
  });
});
