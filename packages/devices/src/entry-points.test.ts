import * as receipts from '@tillwright/receipts';
import * as receiptSamples from '@tillwright/receipts/samples';
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

  it('leaves receipt layouts and money formatting to @tillwright/receipts (issue #14, point 2)', () => {
    const layouts = ['saleReceiptLayout', 'returnReceiptLayout', 'xReportLayout', 'zReportLayout'];
    const samples = ['sampleSale', 'sampleReturn', 'sampleShiftReport', 'sampleLogo'];
    for (const entry of [main, sim, testing]) {
      for (const name of [
        ...layouts,
        ...samples,
        'moneyFormatter',
        'formatMinorUnits',
        'CURRENCY_EXPONENTS',
        'currencyExponent',
        'ReceiptLayoutError',
        'wrapText',
      ]) {
        expect(Object.keys(entry), name).not.toContain(name);
      }
    }
    expect(Object.keys(receipts)).toEqual(
      expect.arrayContaining([...layouts, 'moneyFormatter', 'ReceiptLayoutError', 'wrapText', 'COPY_BANNER']),
    );
    expect(Object.keys(receiptSamples)).toEqual(expect.arrayContaining(samples));
    for (const name of [...samples, 'formatMinorUnits', 'CURRENCY_EXPONENTS', 'currencyExponent']) {
      expect(Object.keys(receipts), name).not.toContain(name);
    }
  });
});
