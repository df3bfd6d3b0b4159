import { describe, expect, it } from 'vitest';
import { createUuidV7Generator, isUuidV7, uuidV7Timestamp } from './ids.js';

const fixedRandom = (bytes: Uint8Array) => bytes.fill(0xab);

describe('UUIDv7 generator', () => {
  it('mints RFC 9562 version 7 ids carrying the millisecond timestamp', () => {
    const next = createUuidV7Generator(() => 1_764_000_000_000, fixedRandom);
    const id = next();
    expect(isUuidV7(id)).toBe(true);
    expect(uuidV7Timestamp(id)).toBe(1_764_000_000_000);
  });

  it('stays strictly increasing within one millisecond and when the clock steps back', () => {
    const times = [1000, 1000, 1000, 999, 500, 1001, 1001];
    let i = 0;
    const next = createUuidV7Generator(() => times[Math.min(i++, times.length - 1)]!, fixedRandom);
    const ids = times.map(() => next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives different ids from different random sources', () => {
    const a = createUuidV7Generator(
      () => 1,
      (b) => b.fill(1),
    )();
    const b = createUuidV7Generator(
      () => 1,
      (b) => b.fill(2),
    )();
    expect(a).not.toBe(b);
  });

  it('mints unique sorted ids at volume with the real clock', () => {
    const next = createUuidV7Generator();
    const ids = Array.from({ length: 20_000 }, () => next());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
