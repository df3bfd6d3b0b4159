export {
  DeviceError,
  type DeviceErrorCode,
  EscPosDecodeError,
  type EscPosDecodeErrorCode,
  type PrintOutcome,
  ReceiptEncodeError,
  type ReceiptEncodeErrorCode,
} from './errors.js';
export {
  CODE_PAGE_NAMES,
  type CodePageName,
  decodeByte,
  encodeCodePoint,
  encodeText,
  printWidth,
} from './printer/codepages.js';
export {
  type DrawerPin,
  drawerKickBytes,
  realtimeDrawerKickBytes,
  type StatusRequestKind,
  statusRequestBytes,
} from './printer/escpos-commands.js';
export {
  decodeEscPos,
  type EscPosDecodeResult,
  EscPosDecoder,
  type EscPosDecoderOptions,
  type EscPosEvent,
} from './printer/escpos-decoder.js';
export { encodeReceipt, layoutColumns, QR_MAX_BYTES, wrapText } from './printer/escpos-encoder.js';
export {
  decodePrinterStatus,
  isRealtimeStatusByte,
  type PaperState,
  type PrinterStatus,
  type SimulatedPrinterState,
  statusReplyByte,
} from './printer/escpos-status.js';
export type { DecodedLine, DecodedReceipt } from './printer/receipt-assembler.js';
export {
  type CodePageSelection,
  EPSON_CODE_PAGE_NUMBERS,
  PRINTER_PROFILES,
  PROFILE_58MM,
  PROFILE_80MM,
  type PrinterProfile,
  type ReceiptBlock,
  type ReceiptDocument,
  type TextAlign,
  type TextSize,
} from './printer/receipt-document.js';
export {
  type PrintResult,
  type StatusQueryResult,
  TcpPrinter,
  type TcpPrinterOptions,
} from './printer/tcp-printer.js';
export { classifySymbology, gtinCheckDigit, gtinCheckDigitValid, type Symbology } from './scanner/barcode.js';
export {
  type ScanData,
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
