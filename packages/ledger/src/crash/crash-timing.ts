import { readFileSync } from 'node:fs';
import type { CrashHarnessOptions, KillPlan } from './crash-harness.js';

export function planKill(random: () => number, options: CrashHarnessOptions): KillPlan {
  const earlyShare = options.earlyShare ?? 0.2;
  if (random() < earlyShare) {
    return { trigger: 'timer', afterMs: Math.floor(random() * (options.earlyMaxMs ?? 250)) };
  }
  const afterAcks = 1 + Math.floor(random() * (options.maxAcksBeforeKill ?? 150));
  const jitterUs = random() < 0.25 ? 0 : Math.floor(random() * (options.maxJitterUs ?? 1500));
  return { trigger: 'acks', afterAcks, jitterUs };
}

const SYSCALL_NAMES: Partial<Record<NodeJS.Architecture, Record<number, string>>> = {
  x64: { 0: 'read', 1: 'write', 17: 'pread64', 18: 'pwrite64', 74: 'fsync', 75: 'fdatasync', 202: 'futex' },
  arm64: {
    63: 'read',
    64: 'write',
    67: 'pread64',
    68: 'pwrite64',
    82: 'fsync',
    83: 'fdatasync',
    98: 'futex',
  },
};

/** Linux only, best effort: the system call a process is blocked in, 'running' on a CPU, or 'unknown'. */
export function syscallOf(pid: number): string {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/syscall`, 'utf8').trim();
  } catch {
    return 'unknown';
  }
  if (text === 'running') return text;
  const nr = Number(text.split(' ')[0]);
  if (!Number.isInteger(nr) || nr < 0) return 'unknown';
  return SYSCALL_NAMES[process.arch]?.[nr] ?? `syscall ${nr}`;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Sleeps the parent for a sub-millisecond span (setTimeout cannot). It must not spin: on a small machine the
 * woken parent often shares the writer's CPU, and a spinning parent would hold the writer still until the kill.
 */
export function sleepMicroseconds(us: number): void {
  if (us > 0) Atomics.wait(sleeper, 0, 0, us / 1000);
}
