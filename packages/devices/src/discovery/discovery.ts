/**
 * Discovery of candidate devices from the three local buses: USB (`usb`, WebUSB API), HID (`node-hid`) and
 * serial (`SerialPort.list()`). Each source is behind a tiny interface so tests can substitute lists, and each
 * native module is imported lazily, so importing this package costs nothing until discovery runs. A source that
 * fails (no /sys/bus/usb in a container, no permission) yields a typed problem, never a throw: discovery is
 * advisory and the other sources still answer.
 */
import { DeviceError } from '../errors.js';
import type { DeviceConfig } from './config.js';

export interface DeviceCandidate {
  bus: 'usb' | 'hid' | 'serial';
  vendorId?: number;
  productId?: number;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  /** Serial path, or the hidraw path node-hid opens. */
  path?: string;
  /** HID only. 0x8C/0x02 is a HID POS bar code scanner. */
  usagePage?: number;
  usage?: number;
  /** USB only: interface classes present (0x07 printer, 0x03 HID, 0x02/0x0A CDC serial). */
  interfaceClasses?: number[];
}

export interface DiscoverySource {
  readonly bus: DeviceCandidate['bus'];
  list(): Promise<DeviceCandidate[]>;
}

export interface DiscoveryResult {
  candidates: DeviceCandidate[];
  /** One per source that could not be listed (code E_NOHARDWARE or E_FAILURE). */
  problems: DeviceError[];
}

export async function discoverDevices(
  sources: readonly DiscoverySource[] = defaultDiscoverySources(),
): Promise<DiscoveryResult> {
  const settled = await Promise.allSettled(sources.map((source) => source.list()));
  const result: DiscoveryResult = { candidates: [], problems: [] };
  settled.forEach((outcome, index) => {
    const bus = sources[index]?.bus ?? 'unknown';
    if (outcome.status === 'fulfilled') result.candidates.push(...outcome.value);
    else result.problems.push(discoveryProblem(bus, outcome.reason));
  });
  return result;
}

export function defaultDiscoverySources(): DiscoverySource[] {
  return [serialDiscoverySource(), hidDiscoverySource(), usbDiscoverySource()];
}

export function serialDiscoverySource(): DiscoverySource {
  return {
    bus: 'serial',
    async list() {
      const { SerialPort } = await import('serialport');
      const ports = await SerialPort.list();
      return ports.map((port) =>
        compact({
          bus: 'serial' as const,
          path: port.path,
          vendorId: parseHexId(port.vendorId),
          productId: parseHexId(port.productId),
          serialNumber: port.serialNumber,
          manufacturer: port.manufacturer,
        }),
      );
    },
  };
}

export function hidDiscoverySource(): DiscoverySource {
  return {
    bus: 'hid',
    async list() {
      const hid = await import('node-hid');
      const devices = await hid.devicesAsync();
      return devices.map((device) =>
        compact({
          bus: 'hid' as const,
          vendorId: device.vendorId,
          productId: device.productId,
          path: device.path,
          serialNumber: device.serialNumber,
          manufacturer: device.manufacturer,
          product: device.product,
          usagePage: device.usagePage,
          usage: device.usage,
        }),
      );
    },
  };
}

export function usbDiscoverySource(): DiscoverySource {
  return {
    bus: 'usb',
    async list() {
      const { usb } = await import('usb');
      const devices: UsbDeviceLike[] = await usb.getDevices();
      return devices.map((device) =>
        compact({
          bus: 'usb' as const,
          vendorId: device.vendorId,
          productId: device.productId,
          serialNumber: device.serialNumber ?? undefined,
          manufacturer: device.manufacturerName ?? undefined,
          product: device.productName ?? undefined,
          interfaceClasses: [
            ...new Set(
              (device.configuration?.interfaces ?? []).flatMap((iface) =>
                iface.alternates.map((alternate) => alternate.interfaceClass),
              ),
            ),
          ],
        }),
      );
    },
  };
}

/** HID POS bar code scanners (usage page 0x8C, usage 0x02) among the candidates. */
export function hidPosScanners(candidates: readonly DeviceCandidate[]): DeviceCandidate[] {
  return candidates.filter((c) => c.bus === 'hid' && c.usagePage === 0x8c && c.usage === 0x02);
}

/** Candidates that satisfy a configuration (tcp never matches a local bus). */
export function matchCandidates(
  config: DeviceConfig,
  candidates: readonly DeviceCandidate[],
): DeviceCandidate[] {
  switch (config.transport) {
    case 'usb':
    case 'hid':
      return candidates.filter(
        (c) =>
          c.bus === config.transport &&
          c.vendorId === config.vendorId &&
          c.productId === config.productId &&
          (config.serialNumber === undefined || c.serialNumber === config.serialNumber) &&
          (config.transport === 'usb' || (c.usagePage === config.usagePage && c.usage === config.usage)),
      );
    case 'serial':
      return candidates.filter((c) => c.bus === 'serial' && c.path === config.path);
    case 'tcp':
      return [];
  }
}

/**
 * The part of the `usb` library's WebUSB object that hot-plug watching uses; injectable so both outcomes (a USB bus,
 * none) are tested without depending on the machine the tests run on.
 */
export interface UsbHotplugBus {
  getDevices(): Promise<unknown[]>;
  addEventListener(
    type: 'connect' | 'disconnect',
    listener: (event: { device: UsbDeviceLike }) => void,
  ): void;
  removeEventListener(
    type: 'connect' | 'disconnect',
    listener: (event: { device: UsbDeviceLike }) => void,
  ): void;
}

/**
 * Subscribe to USB attach/detach (the hot-plug signal for the reconnect supervisor). Returns an unsubscribe
 * function; if hot-plug is unavailable here it returns a typed problem instead of throwing. `bus` defaults to the
 * `usb` library, loaded on first use.
 */
export async function watchUsbHotplug(
  onChange: (event: { type: 'connect' | 'disconnect'; vendorId: number; productId: number }) => void,
  bus?: UsbHotplugBus,
): Promise<{ stop: () => void } | { problem: DeviceError }> {
  try {
    const usb: UsbHotplugBus = bus ?? ((await import('usb')).usb as unknown as UsbHotplugBus);
    // Listening makes the library enumerate devices in the background, and where there is no USB bus that fails
    // as an unhandled rejection that would bring the whole process down. Enumerate here first, where it can be
    // caught and reported.
    await usb.getDevices();
    const listener = (type: 'connect' | 'disconnect') => (event: { device: UsbDeviceLike }) =>
      onChange({ type, vendorId: event.device.vendorId, productId: event.device.productId });
    const onConnect = listener('connect');
    const onDisconnect = listener('disconnect');
    usb.addEventListener('connect', onConnect);
    usb.addEventListener('disconnect', onDisconnect);
    return {
      stop: () => {
        usb.removeEventListener('connect', onConnect);
        usb.removeEventListener('disconnect', onDisconnect);
      },
    };
  } catch (error) {
    return { problem: discoveryProblem('usb', error) };
  }
}

/** The part of a WebUSB device that discovery reads (the w3c-web-usb types are not loaded in this package). */
export interface UsbDeviceLike {
  vendorId: number;
  productId: number;
  serialNumber: string | null;
  manufacturerName: string | null;
  productName: string | null;
  configuration?: { interfaces: { alternates: { interfaceClass: number }[] }[] } | null;
}

function discoveryProblem(bus: string, error: unknown): DeviceError {
  const message = error instanceof Error ? error.message : String(error);
  const noHardware = /not found|ENOENT|no such file|EACCES|permission/i.test(message);
  return new DeviceError(
    noHardware ? 'E_NOHARDWARE' : 'E_FAILURE',
    `${bus} discovery failed: ${message}`,
    !noHardware,
    { bus },
    { cause: error },
  );
}

function parseHexId(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-9a-fA-F]{1,4}$/.test(text)) return undefined;
  return Number.parseInt(text, 16);
}

/** Drop undefined fields so candidates compare cleanly. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
