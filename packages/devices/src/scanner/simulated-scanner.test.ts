import { describe, expect, it } from 'vitest';
import { type ScanData, SimulatedScanner } from './simulated-scanner.js';

describe('SimulatedScanner', () => {
  it('emits data with the symbology and the time it was received', () => {
    let now = 1_700_000_000_000;
    const scanner = new SimulatedScanner({ clock: () => now });
    const scans: ScanData[] = [];
    scanner.on('data', (scan) => scans.push(scan));

    scanner.inject('4006381333931');
    now += 250;
    scanner.inject('96385074');
    scanner.inject('NOT-A-GTIN');

    expect(scans).toEqual([
      { data: '4006381333931', symbology: 'EAN-13', receivedAt: 1_700_000_000_000 },
      { data: '96385074', symbology: 'EAN-8', receivedAt: 1_700_000_000_250 },
      { data: 'NOT-A-GTIN', symbology: 'unknown', receivedAt: 1_700_000_000_250 },
    ]);
  });

  it('strips the CR/LF suffix a scanner sends and returns what it emitted', () => {
    const scanner = new SimulatedScanner({ clock: () => 5 });
    expect(scanner.inject('036000291452\r\n')).toEqual({
      data: '036000291452',
      symbology: 'UPC-A',
      receivedAt: 5,
    });
  });

  it('delivers to every listener and stops after off()', () => {
    const scanner = new SimulatedScanner();
    const a: string[] = [];
    const b: string[] = [];
    const onA = (scan: ScanData) => a.push(scan.data);
    scanner.on('data', onA);
    scanner.on('data', (scan) => b.push(scan.data));
    scanner.inject('1');
    scanner.off('data', onA);
    scanner.inject('2');
    expect(a).toEqual(['1']);
    expect(b).toEqual(['1', '2']);
  });
});
