/**
 * HID POS Scanned Data Reports as node-hid delivers them (64 bytes, report id first), recorded in the layout a
 * Honeywell scanner uses in HID POS mode (see hid-pos.ts for the byte map):
 *   [0] report id 0x02 · [1] payload length (3 symbology bytes + data) · [2..4] AIM id "]xy" · [5..] data ·
 *   [61] vendor code id · [63] continuation flag (1 = more reports follow)
 * Each report is written as four rows of 16 bytes.
 */

function report(...rows: string[]): Uint8Array {
  const bytes = rows
    .join(' ')
    .trim()
    .split(/\s+/)
    .map((h) => Number.parseInt(h, 16));
  if (bytes.length !== 64) throw new Error(`fixture report must be 64 bytes, got ${bytes.length}`);
  return Uint8Array.from(bytes);
}

/** EAN-13 4006381333931, AIM ]E0, Honeywell code id 'd' (0x64), single report. */
export const EAN13_SINGLE = [
  report(
    '02 10 5d 45 30 34 30 30 36 33 38 31 33 33 33 39',
    '33 31 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
    '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
    '00 00 00 00 00 00 00 00 00 00 00 00 00 64 00 00',
  ),
];

/** GS1 DataMatrix ]d2: (01)09501101530003 (17)260101 (10)ABC <GS> (21)XYZ, code id 'w' (0x77). */
export const GS1_DATAMATRIX_SINGLE = [
  report(
    '02 26 5d 64 32 30 31 30 39 35 30 31 31 30 31 35',
    '33 30 30 30 33 31 37 32 36 30 31 30 31 31 30 41',
    '42 43 1d 32 31 58 59 5a 00 00 00 00 00 00 00 00',
    '00 00 00 00 00 00 00 00 00 00 00 00 00 77 00 00',
  ),
];

/** A 98-character receipt-URL QR code (]Q1) in two reports: 56 data bytes with continuation 1, then 42. */
export const QR_TWO_REPORTS = [
  report(
    '02 3b 5d 51 31 68 74 74 70 73 3a 2f 2f 74 69 6c',
    '6c 77 72 69 67 68 74 2e 65 78 61 6d 70 6c 65 2f',
    '72 2f 37 66 33 61 39 63 32 65 2d 34 31 62 38 2d',
    '34 64 32 65 2d 39 61 36 31 2d 30 63 35 73 00 01',
  ),
  report(
    '02 2d 5d 51 31 64 38 65 37 62 31 66 34 32 3f 73',
    '74 6f 72 65 3d 30 30 34 32 26 74 69 6c 6c 3d 30',
    '33 26 74 73 3d 31 37 36 37 32 32 35 36 30 30 00',
    '00 00 00 00 00 00 00 00 00 00 00 00 00 73 00 00',
  ),
];

export const QR_TWO_REPORTS_TEXT =
  'https://tillwright.example/r/7f3a9c2e-41b8-4d2e-9a61-0c5d8e7b1f42?store=0042&till=03&ts=1767225600';

/** A scanner configured without AIM prefix: symbology bytes 00 00 00, UPC-A 036000291452. */
export const UPCA_NO_AIM = [
  report(
    '02 0f 00 00 00 30 33 36 30 30 30 32 39 31 34 35',
    '32 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
    '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
    '00 00 00 00 00 00 00 00 00 00 00 00 00 63 00 00',
  ),
];

/** Report id 0x04 (an attribute/status report): not scan data, ignored. */
export const STATUS_REPORT = [
  report(
    '04 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
    '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
    '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
    '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
  ),
];

/** A corrupted Scanned Data Report: length 0x70 runs past the data area. */
export const CORRUPT_LENGTH = [
  report(
    '02 70 5d 45 30 34 30 30 36 33 38 31 33 33 33 39',
    '33 31 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
    '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
    '00 00 00 00 00 00 00 00 00 00 00 00 00 64 00 00',
  ),
];
