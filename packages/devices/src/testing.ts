/**
 * `@tillwright/devices/testing`: helpers for tests of code that drives devices — a fake clock, in-memory lines and
 * transports, real pty pairs over socat, and byte helpers. Never imported by production code.
 */
export { FakeClock, flushMicrotasks } from './model/clock.js';
export { ascii, bytes, hex, seededRandom } from './testing/bytes.js';
export { MemoryLine, MemoryTransport } from './transport/memory.js';
export { PtyPair, socatAvailable } from './transport/pty-pair.js';
