import { describe, expect, it } from 'vitest';
import * as main from './index.js';
import * as sim from './sim.js';
import * as testing from './testing.js';

describe('entry points (issue #14, point 1)', () => {
  it('keeps simulators and test helpers out of the driver API', () => {
    for (const name of [
      'FakeClock',
      'flushMicrotasks',
      'MemoryLine',
      'MemoryTransport',
      'PtyPair',
      'socatAvailable',
      'SimulatedScanner',
      'DrawerSimulator',
      'PrinterEmulator',
      'startPrinterEmulator',
      'renderReceiptPng',
    ]) {
      expect(Object.keys(main), name).not.toContain(name);
    }
  });

  it('offers them from /sim and /testing', () => {
    expect(Object.keys(sim)).toEqual(
      expect.arrayContaining([
        'SimulatedScanner',
        'DrawerSimulator',
        'startPrinterEmulator',
        'renderReceiptPng',
      ]),
    );
    expect(Object.keys(testing)).toEqual(
      expect.arrayContaining(['FakeClock', 'MemoryLine', 'PtyPair', 'socatAvailable', 'seededRandom']),
    );
    expect(Object.keys(main)).toEqual(
      expect.arrayContaining(['createTcpPrinterDevice', 'CashDrawer', 'systemClock']),
    );
  });
});
