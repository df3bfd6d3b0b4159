/**
 * Printers on a serial port (RS-232, or a USB-serial adapter / virtual COM port): a PrinterDevice over
 * SerialTransport (serialport 13). Opening takes the port lock, which is what makes claim() exclusive.
 */
import type { SerialSettings } from '../discovery/config.js';
import { SerialTransport } from '../transport/serial.js';
import { PrinterDevice, type PrinterDeviceOptions } from './printer-device.js';
import {
  checkTcpPrinterTarget,
  TcpPrinterTransport,
  type TcpPrinterTransportOptions,
} from './printer-transport.js';
import { UsbPrinterTransport, type UsbPrinterTransportOptions } from './usb-printer.js';

export interface SerialPrinterOptions extends Omit<PrinterDeviceOptions, 'transport'> {
  path: string;
  /** Default 9600 8N1 (the usual factory setting of receipt printers). */
  serial?: Partial<SerialSettings>;
}

export function createSerialPrinter(options: SerialPrinterOptions): PrinterDevice {
  const { path, serial, ...device } = options;
  return new PrinterDevice({ ...device, transport: () => new SerialTransport({ ...serial, path }) });
}

export interface TcpStreamPrinterOptions
  extends Omit<PrinterDeviceOptions, 'transport'>,
    TcpPrinterTransportOptions {}

/**
 * A PrinterDevice over one persistent TCP 9100 connection (the package's one TCP printer path). Throws E_ILLEGAL
 * at once for a target that cannot be right (empty host, port outside 1–65535, non-positive timeouts).
 */
export function createTcpPrinterDevice(options: TcpStreamPrinterOptions): PrinterDevice {
  const { host, port, connectTimeoutMs, ...device } = options;
  const link: TcpPrinterTransportOptions = { host, port };
  if (connectTimeoutMs !== undefined) link.connectTimeoutMs = connectTimeoutMs;
  checkTcpPrinterTarget(link);
  return new PrinterDevice({ ...device, transport: () => new TcpPrinterTransport(link) });
}

export interface UsbPrinterOptions
  extends Omit<PrinterDeviceOptions, 'transport'>,
    UsbPrinterTransportOptions {}

/** A PrinterDevice over USB bulk endpoints (see usb-printer.ts; e.g. `io: () => findUsbPrinter(vid, pid)`). */
export function createUsbPrinter(options: UsbPrinterOptions): PrinterDevice {
  const { io, readLength, ...device } = options;
  const link: UsbPrinterTransportOptions = { io };
  if (readLength !== undefined) link.readLength = readLength;
  return new PrinterDevice({ ...device, transport: () => new UsbPrinterTransport(link) });
}
