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

  it('watching USB hot-plug never brings the process down, on a machine without a USB bus either', async () => {
    const watching = await watchUsbHotplug(() => {});
    if ('stop' in watching) watching.stop();
    else expect(watching.problem.code).toBe('E_NOHARDWARE');
    // The library enumerates in the background once listened to; an unhandled rejection would fail the run here.
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
});
