import { describe, expect, it } from 'vitest';
import { DeviceError } from '../errors.js';
import { seededRandom } from '../testing/bytes.js';
import { fullJitterBackoff } from './backoff.js';
import { FakeClock } from './clock.js';
import { ReconnectSupervisor } from './supervisor.js';

describe('fullJitterBackoff', () => {
  it('draws uniformly below min(cap, base·2^n)', () => {
    const top = fullJitterBackoff({ baseMs: 500, capMs: 30_000, random: () => 0.999999 });
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map(top)).toEqual([
      499, 999, 1999, 3999, 7999, 15999, 29999, 29999, 29999,
    ]);
    expect(fullJitterBackoff({ random: () => 0 })(5)).toBe(0);
  });

  it('is deterministic with a seeded generator', () => {
    const a = fullJitterBackoff({ random: seededRandom(42) });
    const b = fullJitterBackoff({ random: seededRandom(42) });
    const seqA = [0, 1, 2, 3, 4].map(a);
    expect(seqA).toEqual([0, 1, 2, 3, 4].map(b));
    seqA.forEach((delay, n) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(500 * 2 ** n);
    });
  });

  it('refuses a nonsensical policy', () => {
    expect(() => fullJitterBackoff({ baseMs: 0 })).toThrow(RangeError);
    expect(() => fullJitterBackoff({ baseMs: 100, capMs: 50 })).toThrow(RangeError);
  });
});

interface Harness {
  clock: FakeClock;
  supervisor: ReconnectSupervisor<string>;
  log: string[];
  failConnects: number;
}

function harness(
  options: { failConnects?: number; failStatusOnce?: boolean; maxAttempts?: number } = {},
): Harness {
  const clock = new FakeClock(0);
  const log: string[] = [];
  const h: Harness = { clock, log, failConnects: options.failConnects ?? 0, supervisor: undefined as never };
  let statusFailures = options.failStatusOnce ? 1 : 0;
  h.supervisor = new ReconnectSupervisor<string>({
    clock,
    backoff: fullJitterBackoff({ baseMs: 100, capMs: 1000, random: () => 0.5 }),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    hooks: {
      connect: async (attempt) => {
        log.push(`connect#${attempt}@${clock.now()}`);
        if (h.failConnects > 0) {
          h.failConnects--;
          throw new DeviceError('E_OFFLINE', 'still gone', true);
        }
      },
      rearmStatus: async () => {
        log.push('rearm');
      },
      readStatus: async () => {
        log.push('status');
        if (statusFailures > 0) {
          statusFailures--;
          throw new DeviceError('E_TIMEOUT', 'no status reply', true);
        }
        return 'paper-ok';
      },
      resume: (status) => {
        log.push(`resume:${status}`);
      },
      disconnect: async () => {
        log.push('disconnect');
      },
    },
  });
  return h;
}

describe('ReconnectSupervisor', () => {
  it('backs off 50, 100, 200 ms (jitter 0.5) and resumes only after re-arm and a fresh status', async () => {
    const h = harness({ failConnects: 2 });
    const delays: number[] = [];
    h.supervisor.on('scheduled', (e) => delays.push(e.delayMs));
    const reconnected: unknown[] = [];
    h.supervisor.on('reconnected', (e) => reconnected.push(e));
    h.supervisor.connectionLost();
    expect(h.supervisor.state).toBe('waiting');
    await h.clock.advance(49);
    expect(h.log).toEqual([]);
    await h.clock.advance(1000);
    expect(h.log).toEqual([
      'connect#0@50',
      'connect#1@150',
      'connect#2@350',
      'rearm',
      'status',
      'resume:paper-ok',
    ]);
    expect(delays).toEqual([50, 100, 200]);
    expect(reconnected).toEqual([{ attempts: 3, status: 'paper-ok', at: 350 }]);
    expect(h.supervisor.state).toBe('idle');
    expect(h.supervisor.attempts).toBe(0);
    expect(h.clock.pending).toBe(0);
  });

  it('a hot-plug signal skips the wait', async () => {
    const h = harness({ failConnects: 1 });
    h.supervisor.connectionLost();
    await h.clock.advance(50); // attempt 0 fails, next wait is 100 ms
    expect(h.log).toEqual(['connect#0@50']);
    await h.clock.advance(10);
    h.supervisor.hotplug();
    await h.clock.advance(0);
    expect(h.log).toEqual(['connect#0@50', 'connect#1@60', 'rearm', 'status', 'resume:paper-ok']);
    expect(h.clock.pending).toBe(0);
  });

  it('a failed status read drops the link and counts as a failed attempt (no resume on stale status)', async () => {
    const h = harness({ failStatusOnce: true });
    const failures: string[] = [];
    h.supervisor.on('failed', (e) => failures.push(e.error.code));
    h.supervisor.connectionLost();
    await h.clock.advance(2000);
    expect(h.log).toEqual([
      'connect#0@50',
      'rearm',
      'status',
      'disconnect',
      'connect#1@150',
      'rearm',
      'status',
      'resume:paper-ok',
    ]);
    expect(failures).toEqual(['E_TIMEOUT']);
  });

  it('gives up after maxAttempts, and stop() cancels a pending attempt', async () => {
    const h = harness({ failConnects: 10, maxAttempts: 2 });
    const gaveUp: number[] = [];
    h.supervisor.on('gave-up', (e) => gaveUp.push(e.attempts));
    h.supervisor.connectionLost();
    await h.clock.advance(10_000);
    expect(gaveUp).toEqual([2]);
    expect(h.supervisor.state).toBe('stopped');

    const s = harness({ failConnects: 10 });
    s.supervisor.connectionLost();
    await s.supervisor.stop();
    await s.clock.advance(10_000);
    expect(s.log).toEqual([]);
    s.supervisor.connectionLost(); // ignored once stopped
    expect(s.clock.pending).toBe(0);
  });

  it('ignores hot-plug while idle and a second connectionLost while waiting', async () => {
    const h = harness();
    h.supervisor.hotplug();
    expect(h.supervisor.state).toBe('idle');
    h.supervisor.connectionLost();
    h.supervisor.connectionLost();
    expect(h.clock.pending).toBe(1);
    await h.clock.advance(1000);
    expect(h.log.filter((l) => l.startsWith('connect'))).toHaveLength(1);
  });
});
