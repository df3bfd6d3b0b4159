import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's libfaketime (package faketime), wherever the architecture puts it. */
function libfaketime(): string {
  for (const dir of readdirSync('/usr/lib', { withFileTypes: true })) {
    const candidate = join('/usr/lib', dir.name, 'faketime', 'libfaketime.so.1');
    if (dir.isDirectory() && existsSync(candidate)) return candidate;
  }
  throw new Error('libfaketime not found; npm test installs it (scripts/ensure-test-deps.mjs: faketime)');
}

/**
 * The environment that runs a process with its wall clock shifted by `offset` (libfaketime syntax: '+10m', '-7m'),
 * as on a PC without network time. The monotonic clock is left alone, so timers and timeouts behave as usual.
 */
export function shiftedClockEnv(offset: string): Record<string, string> {
  return { LD_PRELOAD: libfaketime(), FAKETIME: offset, FAKETIME_DONT_FAKE_MONOTONIC: '1' };
}
