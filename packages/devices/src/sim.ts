/**
 * `@tillwright/devices/sim`: simulated devices for demos, `npm start` and tests — the ESC/POS printer emulator and
 * its PNG rendering, a drawer simulator, a simulated scanner. Nothing here talks to hardware; the driver API is the
 * package's main entry.
 */
export {
  DrawerSimulator,
  type DrawerSimulatorEvents,
  type DrawerSimulatorOptions,
} from './drawer/drawer-simulator.js';
export {
  type ScannerEvents,
  SimulatedScanner,
  type SimulatedScannerOptions,
} from './scanner/simulated-scanner.js';
export { renderReceiptBox, renderReceiptLines } from './sim/emulator-cli.js';
export {
  type DrawerKick,
  PrinterEmulator,
  type PrinterEmulatorEvents,
  type PrinterEmulatorOptions,
  startPrinterEmulator,
} from './sim/printer-emulator.js';
export {
  type Bitmap,
  crc32,
  encodePng,
  PNG_SIGNATURE,
  type ReceiptRenderOptions,
  renderReceiptBitmap,
  renderReceiptPng,
} from './sim/receipt-png.js';
