import { describe, expect, it } from 'vitest';
import { DeviceError } from '../errors.js';
import { fullJitterBackoff } from './backoff.js';
import { DeviceBringUp } from './bring-up.js';
import { FakeClock } from './clock.js';
import { PosDeviceBase } from './device.js';
import type { LifecycleAction } from './types.js';

/** A device on the real lifecycle state machine whose steps fail while `failing` says so. */
class FlakyDevice extends PosDeviceBase<never> {
  readonly calls: string[] = [];
  readonly failing = new Map<LifecycleAction, number>();
  constructor(private readonly at: FakeClock) {
    super(at);
  }
  async #step(name: LifecycleAction): Promise<void> {
    await Promise.resolve();
    this.calls.push(`${name}@${this.at.now()}`);
    const left = this.failing.get(name) ?? 0;
    if (left > 0) {
      this.failing.set(name, left - 1);
      throw new DeviceError('E_OFFLINE', `${name} failed`, true);
    }
  }
  protected onOpen = () => this.#step('open');
  protected onClaim = () => this.#step('claim');
  protected onEnable = () => this.#step('enable');
  protected onDisable = () => this.#step('disable');
  protected onRelease = () => this.#step('release');
  protected onClose = () => this.#step('close');
}

function bringUpOf(device: FlakyDevice, clock: FakeClock) {
  // random 0.5: each wait is half its ceiling. Attempt 0 runs at once; the wait before attempt n is backoff(n):
  // 100, 200, 250 (the cap 500, halved) ms.
  const bringUp = new DeviceBringUp(device, {
    clock,
    backoff: fullJitterBackoff({ baseMs: 100, capMs: 500, random: () => 0.5 }),
  });
  const failures: { attempt: number; retryInMs: number; message: string }[] = [];
  bringUp.on('failed', ({ attempt, retryInMs, error }) =>
    failures.push({ attempt, retryInMs, message: error.message }),
  );
  return { bringUp, failures };
}

describe('DeviceBringUp: the first connection of a device that may not be there yet', () => {
  it('tries at once, waits a full-jitter backoff after each failure, and is up once the device is enabled', async () => {
    const clock = new FakeClock(0);
    const device = new FlakyDevice(clock);
    device.failing.set('open', 3);
    const { bringUp, failures } = bringUpOf(device, clock);
    let up: { attempts: number } | undefined;
    bringUp.on('up', (event) => {
      up = event;
    });
    bringUp.start();
    await clock.advance(1_000);
    await bringUp.whenUp();
    expect(device.calls).toEqual(['open@0', 'open@100', 'open@300', 'open@550', 'claim@550', 'enable@550']);
    expect(failures).toEqual([
      { attempt: 0, retryInMs: 100, message: 'open failed' },
      { attempt: 1, retryInMs: 200, message: 'open failed' },
      { attempt: 2, retryInMs: 250, message: 'open failed' },
    ]);
    expect(up).toEqual({ attempts: 4 });
    expect(bringUp.state).toBe('up');
    expect(bringUp.failures).toBe(3);
    expect(device.lifecycle).toBe('enabled');
    expect(clock.pending).toBe(0);
  });

  it('goes on from where a failed attempt left the device: an opened printer is not opened again', async () => {
    const clock = new FakeClock(0);
    const device = new FlakyDevice(clock);
    device.failing.set('claim', 1);
    const { bringUp } = bringUpOf(device, clock);
    bringUp.start();
    await clock.advance(200);
    await bringUp.whenUp();
    expect(device.calls).toEqual(['open@0', 'claim@0', 'claim@100', 'enable@100']);
  });

  it('stops trying when stopped, leaving no timer behind, and start() again does nothing', async () => {
    const clock = new FakeClock(0);
    const device = new FlakyDevice(clock);
    device.failing.set('open', Number.POSITIVE_INFINITY);
    const { bringUp, failures } = bringUpOf(device, clock);
    bringUp.start();
    await clock.advance(300);
    expect(failures).toHaveLength(3); // at 0, 100 and 300
    await bringUp.stop();
    expect(bringUp.state).toBe('stopped');
    expect(clock.pending).toBe(0);
    bringUp.start();
    await clock.advance(10_000);
    expect(failures).toHaveLength(3);
    expect(device.lifecycle).toBe('closed');
  });

  it('tries at once on a hot-plug instead of waiting out the backoff', async () => {
    const clock = new FakeClock(0);
    const device = new FlakyDevice(clock);
    device.failing.set('open', 1);
    const { bringUp } = bringUpOf(device, clock);
    bringUp.start();
    await clock.advance(10);
    bringUp.hotplug();
    await clock.advance(0);
    await bringUp.whenUp();
    expect(device.calls).toEqual(['open@0', 'open@10', 'claim@10', 'enable@10']);
  });
});
