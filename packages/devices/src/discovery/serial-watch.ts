import { lstatSync, statSync } from 'node:fs';

/**
 * Watches a serial device path (e.g. /dev/serial/by-id/…, or a udev symlink) and reports when it appears or goes
 * away. Linux gives no event for a tty node coming back, so the path is polled; a few checks a second cost next to
 * nothing. Wired to a device's `hotplug()`, it starts the reconnect at once instead of after a long backoff.
 */
export function watchSerialPath(
  path: string,
  onChange: (present: boolean) => void,
  options: { intervalMs?: number } = {},
): SerialPathWatch {
  let checks = 0;
  // Identity, not just existence: a device plugged back between two checks comes back as a new node (udev
  // recreates it; a pty link is recreated), so a changed node counts as going away and coming back.
  let last = identity(path);
  const timer = setInterval(() => {
    checks += 1;
    const now = identity(path);
    if (now === last) return;
    const wasPresent = last !== null;
    last = now;
    if (now === null) onChange(false);
    else {
      if (wasPresent) onChange(false);
      onChange(true);
    }
  }, options.intervalMs ?? 250);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    get checks() {
      return checks;
    },
  };
}

export interface SerialPathWatch {
  stop(): void;
  /** How many times the path has been looked at so far (a change is reported within the check that sees it). */
  readonly checks: number;
}

function identity(path: string): string | null {
  try {
    // Inode numbers are reused at once, so the link's change time (ns) tells a recreated node from the old one.
    const link = lstatSync(path, { bigint: true });
    const node = statSync(path, { bigint: true });
    return `${link.ino}:${link.ctimeNs}:${node.rdev}:${node.ino}`;
  } catch {
    return null;
  }
}

/** Calls `device.hotplug()` whenever `path` (re)appears: a plugged-back scanner, printer or drawer resumes at once. */
export function hotplugOnSerialPath(
  device: { hotplug(): void },
  path: string,
  options: { intervalMs?: number } = {},
): SerialPathWatch {
  return watchSerialPath(path, (present) => present && device.hotplug(), options);
}

/** What `watchUsbHotplug` reports; injectable so the wiring is testable without a USB bus. */
export type UsbHotplugWatch = (
  onChange: (event: { type: 'connect' | 'disconnect'; vendorId: number; productId: number }) => void,
) => Promise<{ stop: () => void } | { problem: unknown }>;

/**
 * Calls `device.hotplug()` when a USB device with these ids connects (a printer or scanner plugged back in).
 * Returns the watch's problem instead of throwing when USB cannot be watched on this machine.
 */
export async function hotplugOnUsbIds(
  device: { hotplug(): void },
  ids: { vendorId: number; productId: number },
  watch: UsbHotplugWatch,
): Promise<{ stop: () => void } | { problem: unknown }> {
  return watch((event) => {
    if (event.type === 'connect' && event.vendorId === ids.vendorId && event.productId === ids.productId) {
      device.hotplug();
    }
  });
}
