/**
 * A scanner without hardware: `inject()` what a real scanner would read and it emits the same 'data' event a
 * device scanner will. For tests, the simulator UI and `npm start`.
 */
import { EventEmitter } from 'node:events';
import { classifySymbology } from './barcode.js';
import type { ScanData } from './scan-data.js';

export type { ScanData } from './scan-data.js';

export interface ScannerEvents {
  data: [scan: ScanData];
}

export interface SimulatedScannerOptions {
  /** Defaults to Date.now; inject a fake clock for deterministic tests. */
  clock?: () => number;
}

export class SimulatedScanner extends EventEmitter<ScannerEvents> {
  readonly #clock: () => number;

  constructor(options: SimulatedScannerOptions = {}) {
    super();
    this.#clock = options.clock ?? Date.now;
  }

  /** Simulate one scan. A trailing CR/LF (a scanner's suffix) is stripped. Returns what was emitted. */
  inject(data: string): ScanData {
    const text = data.replace(/[\r\n]+$/, '');
    const scan: ScanData = { data: text, symbology: classifySymbology(text), receivedAt: this.#clock() };
    this.emit('data', scan);
    return scan;
  }
}
