import { afterEach } from 'vitest';
import {
  type PrinterEmulator,
  type PrinterEmulatorOptions,
  startPrinterEmulator,
} from '../sim/printer-emulator.js';

/**
 * For test files that talk to the printer emulator: `emulator()` starts one on a free port, `defer()` registers any
 * other closer, and everything is closed after each test, last started first.
 */
export function emulatorFixture() {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const defer = (cleanup: () => Promise<void> | void) => {
    cleanups.push(cleanup);
  };
  const emulator = async (options: PrinterEmulatorOptions = {}): Promise<PrinterEmulator> => {
    const emu = await startPrinterEmulator(options);
    defer(() => emu.close());
    return emu;
  };
  return { defer, emulator };
}
