import { describe, expect, it } from 'vitest';
import { DeviceError } from '../errors.js';
import { FakeClock } from './clock.js';
import { PosDeviceBase } from './device.js';
import { canTransition, nextLifecycle } from './lifecycle.js';
import type { DeviceStatusEvent, Lifecycle, LifecycleAction } from './types.js';

const STATES: Lifecycle[] = ['closed', 'opened', 'claimed', 'enabled'];
const ACTIONS: LifecycleAction[] = ['open', 'claim', 'enable', 'disable', 'release', 'close'];
const LEGAL: Record<string, Lifecycle> = {
  'closed/open': 'opened',
  'opened/claim': 'claimed',
  'claimed/enable': 'enabled',
  'enabled/disable': 'claimed',
  'claimed/release': 'opened',
  'opened/close': 'closed',
  'claimed/close': 'closed',
  'enabled/close': 'closed',
};

function thrown(fn: () => unknown): DeviceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DeviceError) return error;
    throw error;
  }
  throw new Error('expected a DeviceError');
}

describe('nextLifecycle', () => {
  it.each(STATES.flatMap((from) => ACTIONS.map((action) => [from, action] as const)))(
    '%s + %s',
    (from, action) => {
      const expected = LEGAL[`${from}/${action}`];
      expect(canTransition(from, action)).toBe(expected !== undefined);
      if (expected) {
        expect(nextLifecycle(from, action)).toBe(expected);
      } else {
        const error = thrown(() => nextLifecycle(from, action));
        expect(error.retryable).toBe(false);
        expect(error.details).toEqual({ from, action });
        expect(['E_CLOSED', 'E_NOTCLAIMED', 'E_ILLEGAL']).toContain(error.code);
      }
    },
  );

  it('names the UPOS reason: E_CLOSED, E_NOTCLAIMED, E_ILLEGAL', () => {
    expect(thrown(() => nextLifecycle('closed', 'claim')).code).toBe('E_CLOSED');
    expect(thrown(() => nextLifecycle('opened', 'enable')).code).toBe('E_NOTCLAIMED');
    expect(thrown(() => nextLifecycle('claimed', 'claim')).code).toBe('E_ILLEGAL');
  });
});

class TestDevice extends PosDeviceBase<string> {
  readonly calls: string[] = [];
  failOn: LifecycleAction | undefined;
  constructor() {
    super(new FakeClock(1000));
  }
  async #hook(name: LifecycleAction): Promise<void> {
    await Promise.resolve();
    this.calls.push(name);
    if (this.failOn === name) throw new DeviceError('E_OFFLINE', `${name} failed`, true);
  }
  protected onOpen = () => this.#hook('open');
  protected onClaim = () => this.#hook('claim');
  protected onEnable = async () => {
    await this.#hook('enable');
    this.setPower('online');
  };
  protected onDisable = () => this.#hook('disable');
  protected onRelease = () => this.#hook('release');
  protected onClose = () => this.#hook('close');
  goOffline(): void {
    this.setPower('offline', 'unplugged');
  }
}

describe('PosDeviceBase', () => {
  it('runs open → claim → enable in order even when not awaited, and reports each step', async () => {
    const device = new TestDevice();
    const statuses: DeviceStatusEvent[] = [];
    device.on('status', (status) => statuses.push(status as DeviceStatusEvent));
    void device.open();
    void device.claim();
    await device.enable();
    expect(device.lifecycle).toBe('enabled');
    expect(device.power).toBe('online');
    expect(device.calls).toEqual(['open', 'claim', 'enable']);
    expect(statuses.map((s) => (s.kind === 'lifecycle' ? s.lifecycle : `power:${s.power}`))).toEqual([
      'opened',
      'claimed',
      'power:online',
      'enabled',
    ]);
  });

  it('rejects an illegal step without calling the hook', async () => {
    const device = new TestDevice();
    await expect(device.enable()).rejects.toMatchObject({ code: 'E_CLOSED' });
    await device.open();
    await expect(device.enable()).rejects.toMatchObject({ code: 'E_NOTCLAIMED' });
    await expect(device.open()).rejects.toMatchObject({ code: 'E_ILLEGAL' });
    expect(device.calls).toEqual(['open']);
  });

  it('keeps the old state when a hook fails, and the next step still runs', async () => {
    const device = new TestDevice();
    device.failOn = 'open';
    await expect(device.open()).rejects.toMatchObject({ code: 'E_OFFLINE', retryable: true });
    expect(device.lifecycle).toBe('closed');
    device.failOn = undefined;
    await device.open();
    expect(device.lifecycle).toBe('opened');
  });

  it('close() tears down from enabled through every hook even if one fails', async () => {
    const device = new TestDevice();
    await device.open();
    await device.claim();
    await device.enable();
    device.failOn = 'release';
    const errors: string[] = [];
    device.on('error', (event) => errors.push(event.error.message));
    await device.close();
    expect(device.lifecycle).toBe('closed');
    expect(device.power).toBe('unknown');
    expect(device.calls.slice(3)).toEqual(['disable', 'release', 'close']);
    expect(errors).toEqual(['release failed']);
    await expect(device.close()).rejects.toMatchObject({ code: 'E_CLOSED' });
  });

  it('emits power changes once, and keeps the last error without an error listener', async () => {
    const device = new TestDevice();
    const powers: string[] = [];
    device.on('status', (s) => {
      if ((s as DeviceStatusEvent).kind === 'power') powers.push((s as { power: string }).power);
    });
    await device.open();
    await device.claim();
    await device.enable();
    device.goOffline();
    device.goOffline();
    expect(powers).toEqual(['online', 'offline']);
    device.failOn = 'disable';
    await device.close();
    expect(device.lastError?.error.message).toBe('disable failed');
  });
});
