import { describe, expect, it } from 'vitest';
import { fullJitterBackoff } from '../model/backoff.js';
import { FakeClock } from '../model/clock.js';
import type { DeviceErrorEvent } from '../model/types.js';
import {
  CORRUPT_LENGTH,
  EAN13_SINGLE,
  GS1_DATAMATRIX_SINGLE,
  QR_TWO_REPORTS,
  QR_TWO_REPORTS_TEXT,
  STATUS_REPORT,
  UPCA_NO_AIM,
} from './hid-pos.fixtures.js';
import { createHidPosScanner, HidPosReportAssembler, type HidReportDevice } from './hid-pos.js';
import type { ScanData } from './scan-data.js';
import type { ScanDecoderResult } from './scanner.js';

const text = (results: ScanDecoderResult[]) =>
  results.map((r) => (r.kind === 'scan' ? Buffer.from(r.bytes).toString('latin1') : `!${r.reason}`));

describe('HidPosReportAssembler on recorded reports', () => {
  it('parses single-report barcodes with their AIM identifier', () => {
    const assembler = new HidPosReportAssembler();
    expect(text(assembler.push(EAN13_SINGLE[0]!))).toEqual([']E04006381333931']);
    expect(text(assembler.push(GS1_DATAMATRIX_SINGLE[0]!))).toEqual([
      ']d201095011015300031726010110ABC\x1d21XYZ',
    ]);
    expect(text(assembler.push(UPCA_NO_AIM[0]!))).toEqual(['036000291452']);
  });

  it('reassembles a barcode spread over two reports', () => {
    const assembler = new HidPosReportAssembler();
    expect(assembler.push(QR_TWO_REPORTS[0]!)).toEqual([]);
    expect(text(assembler.push(QR_TWO_REPORTS[1]!))).toEqual([`]Q1${QR_TWO_REPORTS_TEXT}`]);
  });

  it('ignores other report ids and rejects a corrupt length', () => {
    const assembler = new HidPosReportAssembler();
    expect(assembler.push(STATUS_REPORT[0]!)).toEqual([]);
    expect(text(assembler.push(CORRUPT_LENGTH[0]!))).toEqual(['!bad-report']);
    expect(text(assembler.push(EAN13_SINGLE[0]!))).toEqual([']E04006381333931']);
  });

  it('handles buffers without the report id byte (layout option)', () => {
    const assembler = new HidPosReportAssembler({ reportIdFirst: false });
    const withoutId = Uint8Array.from([...EAN13_SINGLE[0]!.subarray(1), 0]);
    expect(text(assembler.push(withoutId))).toEqual([']E04006381333931']);
  });

  it('caps a runaway continuation', () => {
    const assembler = new HidPosReportAssembler({ maxLength: 100 });
    expect(assembler.push(QR_TWO_REPORTS[0]!)).toEqual([]);
    expect(text(assembler.push(QR_TWO_REPORTS[0]!))).toEqual(['!too-long']);
  });
});

/** A replaying HID device: the test pushes recorded reports and can fail reads as an unplug does. */
class ReplayHidDevice implements HidReportDevice {
  readonly #reports = new Set<(report: Uint8Array) => void>();
  readonly #errors = new Set<(error: Error) => void>();
  closed = false;
  onReport(fn: (report: Uint8Array) => void) {
    this.#reports.add(fn);
    return () => this.#reports.delete(fn);
  }
  onError(fn: (error: Error) => void) {
    this.#errors.add(fn);
    return () => this.#errors.delete(fn);
  }
  async close() {
    this.closed = true;
  }
  replay(reports: Uint8Array[]) {
    for (const report of reports) for (const fn of this.#reports) fn(report);
  }
  fail(message: string) {
    for (const fn of this.#errors) fn(new Error(message));
  }
}

describe('HID POS scanner device', () => {
  it('emits scans from replayed reports and reconnects after an unplug on hot-plug', async () => {
    const clock = new FakeClock(1_000);
    const devices: ReplayHidDevice[] = [];
    let attached = true;
    const scanner = createHidPosScanner({
      clock,
      backoff: fullJitterBackoff({ baseMs: 1000, capMs: 1000, random: () => 0.5 }),
      open: async () => {
        if (!attached) throw new Error('could not open HID device');
        const device = new ReplayHidDevice();
        devices.push(device);
        return device;
      },
    });
    const scans: ScanData[] = [];
    const errors: DeviceErrorEvent[] = [];
    scanner.on('data', (scan) => scans.push(scan));
    scanner.on('error', (event) => errors.push(event));
    await scanner.open();
    await scanner.claim();
    await scanner.enable();

    devices[0]!.replay([...EAN13_SINGLE, ...STATUS_REPORT, ...QR_TWO_REPORTS]);
    expect(scans.map((s) => [s.data, s.symbology, s.aim, s.source, s.receivedAt])).toEqual([
      ['4006381333931', 'EAN-13', ']E0', 'hid-pos', 1000],
      [QR_TWO_REPORTS_TEXT, 'QR Code', ']Q1', 'hid-pos', 1000],
    ]);

    attached = false;
    devices[0]!.fail('could not read from HID device');
    expect(scanner.power).toBe('offline');
    expect(errors.map((e) => [e.locus, e.error.code, e.error.retryable])).toEqual([
      ['input', 'E_OFFLINE', true],
    ]);
    await clock.advance(500); // first attempt fails (still unplugged)
    expect(devices).toHaveLength(1);
    attached = true;
    scanner.hotplug();
    await clock.advance(0);
    expect(scanner.power).toBe('online');
    expect(devices).toHaveLength(2);
    devices[1]!.replay(GS1_DATAMATRIX_SINGLE);
    expect(scans.at(-1)).toMatchObject({ symbology: 'GS1 DataMatrix', aim: ']d2' });
    expect(scans.at(-1)?.gs1?.map((e) => `(${e.ai})${e.value}`)).toEqual([
      '(01)09501101530003',
      '(17)260101',
      '(10)ABC',
      '(21)XYZ',
    ]);
    await scanner.close();
    expect(devices[1]!.closed).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('reports a corrupt report as a typed input-data error', async () => {
    const device = new ReplayHidDevice();
    const scanner = createHidPosScanner({ clock: new FakeClock(), open: async () => device });
    const errors: DeviceErrorEvent[] = [];
    scanner.on('error', (event) => errors.push(event));
    await scanner.open();
    await scanner.claim();
    await scanner.enable();
    device.replay(CORRUPT_LENGTH);
    expect(errors.map((e) => [e.locus, e.error.code, e.error.details.extended])).toEqual([
      ['input-data', 'E_EXTENDED', 'SCAN_BAD_REPORT'],
    ]);
    await scanner.close();
  });
});
