import { afterEach, describe, expect, it } from 'vitest';
import { markScanReceived, SCAN_RECEIVED_MARK } from './scan-timing.js';

afterEach(() => performance.clearMarks(SCAN_RECEIVED_MARK));

const marks = () => performance.getEntriesByName(SCAN_RECEIVED_MARK, 'mark') as PerformanceMark[];

describe('the scan-received mark', () => {
  it('puts a mark on the timeline at the moment a scan arrives, naming the barcode read', () => {
    const before = performance.now();
    markScanReceived('4006381333931', performance);
    expect(marks()).toHaveLength(1);
    expect(marks()[0]!.startTime).toBeGreaterThanOrEqual(before);
    expect(marks()[0]!.startTime).toBeLessThanOrEqual(performance.now());
    expect(marks()[0]!.detail).toEqual({ barcode: '4006381333931' });
  });

  it('keeps only the latest scan, so a day of scanning does not grow the timeline', () => {
    for (let i = 0; i < 1_000; i++) markScanReceived(String(i), performance);
    const latest = performance.now();
    markScanReceived('5901234123457', performance);
    expect(marks()).toHaveLength(1);
    expect(marks()[0]!.startTime).toBeGreaterThanOrEqual(latest);
    expect(marks()[0]!.detail).toEqual({ barcode: '5901234123457' });
  });
});
