/**
 * A User Timing mark when a scan reaches the renderer, with the barcode read as its detail, so how long it takes
 * from there to the line on screen can be measured in the real page (e2e/bench/scan-to-line.bench.mjs reads it; so
 * can the browser's own profiler). Only the latest mark is kept: a till scans all day, and the timeline must not
 * grow with it.
 */
export const SCAN_RECEIVED_MARK = 'tillwright:scan-received';

export function markScanReceived(
  barcode: string,
  timeline: Pick<Performance, 'mark' | 'clearMarks'> = performance,
): void {
  timeline.clearMarks(SCAN_RECEIVED_MARK);
  timeline.mark(SCAN_RECEIVED_MARK, { detail: { barcode } });
}
