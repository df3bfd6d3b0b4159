import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hotplugOnSerialPath, hotplugOnUsbIds, watchSerialPath } from './serial-watch.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function tempPath() {
  const dir = mkdtempSync(join(tmpdir(), 'tillwright-watch-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'ttyUSB0');
}

describe('watching a serial device path', () => {
  it('reports the path going away and coming back, once each', async () => {
    const path = tempPath();
    writeFileSync(path, '');
    const seen: boolean[] = [];
    const watcher = watchSerialPath(path, (present) => seen.push(present), { intervalMs: 10 });
    cleanups.push(watcher.stop);
    unlinkSync(path);
    await until(() => seen.length === 1);
    writeFileSync(path, '');
    await until(() => seen.length === 2);
    // Nothing more: the watcher has looked at the unchanged path a few more times and said nothing.
    const checked = watcher.checks;
    await until(() => watcher.checks >= checked + 3);
    expect(seen).toEqual([false, true]);
  });

  it('asks the device to reconnect when its path reappears, not when it goes', async () => {
    const path = tempPath();
    let hotplugs = 0;
    const watcher = hotplugOnSerialPath({ hotplug: () => hotplugs++ }, path, { intervalMs: 10 });
    cleanups.push(watcher.stop);
    writeFileSync(path, '');
    await until(() => hotplugs === 1);
    unlinkSync(path);
    // The watcher has seen the path gone (a check after the unlink) and asked for nothing.
    const checked = watcher.checks;
    await until(() => watcher.checks >= checked + 2);
    expect(hotplugs).toBe(1);
  });

  it('sees a device that went and came back between two checks, by its new node', async () => {
    const path = tempPath();
    writeFileSync(path, '');
    const seen: boolean[] = [];
    const watcher = watchSerialPath(path, (present) => seen.push(present), { intervalMs: 30 });
    cleanups.push(watcher.stop);
    unlinkSync(path);
    writeFileSync(`${path}.new`, '');
    renameSync(`${path}.new`, path); // gone and back at once, as a new inode
    await until(() => seen.length === 2);
    expect(seen).toEqual([false, true]);
  });

  it('asks a USB device to reconnect when a device with its ids connects, and only then', async () => {
    let emit: (event: { type: 'connect' | 'disconnect'; vendorId: number; productId: number }) => void =
      () => {};
    let hotplugs = 0;
    const watching = await hotplugOnUsbIds(
      { hotplug: () => hotplugs++ },
      { vendorId: 0x04b8, productId: 0x0202 },
      async (onChange) => {
        emit = onChange;
        return { stop: () => {} };
      },
    );
    expect('stop' in watching).toBe(true);
    emit({ type: 'disconnect', vendorId: 0x04b8, productId: 0x0202 });
    emit({ type: 'connect', vendorId: 0x0519, productId: 0x0001 });
    emit({ type: 'connect', vendorId: 0x04b8, productId: 0x0202 });
    expect(hotplugs).toBe(1);
  });
});
