import { describe, expect, it } from 'vitest';
import { DeviceError } from '../errors.js';
import { deviceKey, parseDeviceConfig, parseHostPort } from './config.js';
import {
  type DeviceCandidate,
  type DiscoverySource,
  defaultDiscoverySources,
  discoverDevices,
  hidPosScanners,
  matchCandidates,
  type UsbDeviceLike,
  type UsbHotplugBus,
  usbDiscoverySource,
  watchUsbHotplug,
} from './discovery.js';

describe('discoverDevices', () => {
  it('lists the real buses of this machine without throwing (lists may be empty, problems are typed)', async () => {
    const result = await discoverDevices(defaultDiscoverySources());
    expect(Array.isArray(result.candidates)).toBe(true);
    for (const candidate of result.candidates) expect(['usb', 'hid', 'serial']).toContain(candidate.bus);
    for (const problem of result.problems) {
      expect(problem).toBeInstanceOf(DeviceError);
      expect(['E_NOHARDWARE', 'E_FAILURE']).toContain(problem.code);
    }
  });

  it('keeps the answers of healthy sources when one fails', async () => {
    const ok: DiscoverySource = {
      bus: 'hid',
      list: async () => [{ bus: 'hid', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, usage: 0x02 }],
    };
    const broken: DiscoverySource = {
      bus: 'usb',
      list: async () => {
        throw new Error('getDevices error: /sys/bus/usb/devices/ not found (errno 2)');
      },
    };
    const result = await discoverDevices([broken, ok]);
    expect(result.candidates).toHaveLength(1);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({
      code: 'E_NOHARDWARE',
      retryable: false,
      details: { bus: 'usb' },
    });
  });
});

describe('parseDeviceConfig', () => {
  it('fills serial defaults (9600 8N1, CR suffix, 256 bytes) and keeps explicit framing', () => {
    expect(parseDeviceConfig({ transport: 'serial', kind: 'scanner', path: '/dev/ttyUSB0' })).toEqual({
      transport: 'serial',
      kind: 'scanner',
      path: '/dev/ttyUSB0',
      serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
      framing: { suffix: 'CR', stxEtx: false, maxLength: 256 },
    });
    const config = parseDeviceConfig({
      transport: 'serial',
      kind: 'scanner',
      path: 'COM3',
      serial: { baudRate: 115200, dataBits: 7, parity: 'even' },
      framing: { suffix: 'CRLF', prefix: '#', maxLength: 48 },
    });
    expect(config).toMatchObject({
      serial: { baudRate: 115200, dataBits: 7, parity: 'even', stopBits: 1 },
      framing: { suffix: 'CRLF', prefix: '#', maxLength: 48 },
    });
  });

  it('accepts vendor/product ids as numbers or hex strings, and defaults HID to usage page 0x8C/0x02', () => {
    const hid = parseDeviceConfig({
      transport: 'hid',
      kind: 'scanner',
      vendorId: '0x0c2e',
      productId: '0B61',
    });
    expect(hid).toEqual({
      transport: 'hid',
      kind: 'scanner',
      vendorId: 0x0c2e,
      productId: 0x0b61,
      usagePage: 0x8c,
      usage: 0x02,
    });
    expect(deviceKey(hid)).toBe('hid:0c2e:0b61');
    const usb = parseDeviceConfig({
      transport: 'usb',
      kind: 'printer',
      vendorId: 1208,
      productId: 514,
      serialNumber: 'X1',
    });
    expect(deviceKey(usb)).toBe('usb:04b8:0202:X1');
  });

  it('defaults tcp port 9100 and parses host:port', () => {
    const tcp = parseDeviceConfig({ transport: 'tcp', kind: 'printer', host: '192.168.1.50' });
    expect(deviceKey(tcp)).toBe('tcp:192.168.1.50:9100');
    expect(parseHostPort('printer.local:9101')).toEqual({ host: 'printer.local', port: 9101 });
    expect(parseHostPort('[fe80::1]')).toEqual({ host: 'fe80::1', port: 9100 });
    expect(() => parseHostPort('a:b:c')).toThrow(DeviceError);
    expect(() => parseHostPort('host:70000')).toThrow(DeviceError);
  });

  it.each([
    [{ transport: 'serial', kind: 'scanner', path: '' }, 'path'],
    [
      { transport: 'serial', kind: 'scanner', path: '/dev/x', serial: { parity: 'sometimes' } },
      'serial.parity',
    ],
    [{ transport: 'serial', kind: 'scanner', path: '/dev/x', framing: { suffix: 'none' } }, 'stxEtx'],
    [{ transport: 'hid', kind: 'scanner', vendorId: '0xZZ', productId: 1 }, 'vendorId'],
    [{ transport: 'usb', kind: 'scanner', vendorId: 0x1_0000, productId: 1 }, 'vendorId'],
    [{ transport: 'tcp', kind: 'printer', host: 'h', port: 0 }, 'port'],
    [{ transport: 'bluetooth', kind: 'printer' }, 'transport'],
    [{ transport: 'tcp', kind: 'toaster', host: 'h' }, 'kind'],
  ])('rejects %j (%s) with a typed, non-retryable error', (input, where) => {
    let error: unknown;
    try {
      parseDeviceConfig(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DeviceError);
    expect(error).toMatchObject({ code: 'E_ILLEGAL', retryable: false });
    expect((error as DeviceError).message).toContain(where);
  });
});

describe('matching candidates to a configuration', () => {
  const candidates: DeviceCandidate[] = [
    { bus: 'hid', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, usage: 0x02, path: '/dev/hidraw3' },
    { bus: 'hid', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x01, usage: 0x06, path: '/dev/hidraw2' },
    { bus: 'serial', path: '/dev/ttyACM0', vendorId: 0x05e0, productId: 0x1701 },
    { bus: 'usb', vendorId: 0x04b8, productId: 0x0202, serialNumber: 'A', interfaceClasses: [7] },
  ];

  it('finds the HID POS interface, not the keyboard interface of the same scanner', () => {
    expect(hidPosScanners(candidates).map((c) => c.path)).toEqual(['/dev/hidraw3']);
    const config = parseDeviceConfig({
      transport: 'hid',
      kind: 'scanner',
      vendorId: 0x0c2e,
      productId: 0x0b61,
    });
    expect(matchCandidates(config, candidates).map((c) => c.path)).toEqual(['/dev/hidraw3']);
  });

  it('matches serial by path, usb by ids and serial number, and tcp never', () => {
    const serial = parseDeviceConfig({ transport: 'serial', kind: 'scanner', path: '/dev/ttyACM0' });
    expect(matchCandidates(serial, candidates)).toHaveLength(1);
    const usb = parseDeviceConfig({ transport: 'usb', kind: 'printer', vendorId: 0x04b8, productId: 0x0202 });
    expect(matchCandidates(usb, candidates)).toHaveLength(1);
    const other = parseDeviceConfig({ ...usb, serialNumber: 'B' });
    expect(matchCandidates(other, candidates)).toHaveLength(0);
    const tcp = parseDeviceConfig({ transport: 'tcp', kind: 'printer', host: 'p' });
    expect(matchCandidates(tcp, candidates)).toHaveLength(0);
  });
});

type UsbListener = (event: { device: UsbDeviceLike }) => void;

/** A USB bus as the `usb` library presents it: enumeration, and listeners for devices connecting and going. */
function fakeUsbBus(options: { present: boolean }) {
  const listeners = { connect: new Set<UsbListener>(), disconnect: new Set<UsbListener>() };
  const calls: string[] = [];
  const bus: UsbHotplugBus = {
    async getDevices() {
      calls.push('getDevices');
      if (!options.present) throw new Error('getDevices error: /sys/bus/usb/devices/ not found (errno 2)');
      return [];
    },
    addEventListener(type, listener) {
      calls.push(`add ${type}`);
      listeners[type].add(listener);
    },
    removeEventListener(type, listener) {
      calls.push(`remove ${type}`);
      listeners[type].delete(listener);
    },
  };
  const plug = (type: 'connect' | 'disconnect', vendorId: number, productId: number) => {
    const device = { vendorId, productId, serialNumber: null, manufacturerName: null, productName: null };
    for (const listener of listeners[type]) listener({ device });
  };
  return { bus, calls, listeners, plug };
}

describe('watching USB hot-plug', () => {
  it('on a machine with a USB bus: enumerates first, then reports each device coming and going by its ids, until stopped', async () => {
    const usb = fakeUsbBus({ present: true });
    const seen: { type: string; vendorId: number; productId: number }[] = [];
    const watching = await watchUsbHotplug((event) => seen.push(event), usb.bus);
    if (!('stop' in watching)) throw new Error(`expected a watch, got ${watching.problem.message}`);
    expect(usb.calls).toEqual(['getDevices', 'add connect', 'add disconnect']);
    usb.plug('connect', 0x04b8, 0x0202);
    usb.plug('disconnect', 0x0c2e, 0x0b61);
    expect(seen).toEqual([
      { type: 'connect', vendorId: 0x04b8, productId: 0x0202 },
      { type: 'disconnect', vendorId: 0x0c2e, productId: 0x0b61 },
    ]);
    watching.stop();
    expect([usb.listeners.connect.size, usb.listeners.disconnect.size]).toEqual([0, 0]);
    usb.plug('connect', 0x04b8, 0x0202);
    expect(seen).toHaveLength(2);
  });

  it('on a machine without a USB bus: a typed E_NOHARDWARE problem, and it never listens (listening would enumerate again in the background, where the failure would bring the process down)', async () => {
    const usb = fakeUsbBus({ present: false });
    const watching = await watchUsbHotplug(() => {}, usb.bus);
    if (!('problem' in watching)) throw new Error('expected a problem, got a watch');
    expect(watching.problem).toBeInstanceOf(DeviceError);
    expect(watching.problem).toMatchObject({
      code: 'E_NOHARDWARE',
      retryable: false,
      details: { bus: 'usb' },
    });
    expect(usb.calls).toEqual(['getDevices']);
  });

  it('on this machine, with the real library: the watch and USB discovery agree on whether there is a bus', async () => {
    const watching = await watchUsbHotplug(() => {});
    const listed = await discoverDevices([usbDiscoverySource()]);
    if ('stop' in watching) {
      try {
        expect(listed.problems).toEqual([]);
        for (const candidate of listed.candidates) {
          expect(candidate).toMatchObject({ bus: 'usb', interfaceClasses: expect.any(Array) });
          for (const id of [candidate.vendorId, candidate.productId]) {
            expect(Number.isInteger(id) && id! >= 0 && id! <= 0xffff, `id ${id}`).toBe(true);
          }
        }
        // Listening made the library enumerate once more in the background, with no event to say it is done; a
        // failure there would be an unhandled rejection. A bus enumerates in milliseconds: a second is a wide margin
        // on a loaded machine, and a later failure would still fail the run (vitest reports unhandled rejections).
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      } finally {
        watching.stop();
      }
    } else {
      expect(watching.problem).toBeInstanceOf(DeviceError);
      expect(watching.problem).toMatchObject({ code: 'E_NOHARDWARE', details: { bus: 'usb' } });
      expect(listed.candidates).toEqual([]);
      expect(listed.problems.map((problem) => problem.code)).toEqual(['E_NOHARDWARE']);
    }
  });
});
