export {
  type DeviceConfig,
  type DeviceConfigInput,
  deviceConfigSchema,
  deviceKey,
  parseDeviceConfig,
  parseHostPort,
  type ScanFraming,
  type ScanFramingInput,
  type SerialSettings,
  scanFramingSchema,
  serialSettingsSchema,
} from './discovery/config.js';
export {
  type DeviceCandidate,
  type DiscoveryResult,
  type DiscoverySource,
  defaultDiscoverySources,
  discoverDevices,
  hidDiscoverySource,
  hidPosScanners,
  matchCandidates,
  serialDiscoverySource,
  type UsbDeviceLike,
  type UsbHotplugBus,
  usbDiscoverySource,
  watchUsbHotplug,
} from './discovery/discovery.js';
export {
  hotplugOnSerialPath,
  hotplugOnUsbIds,
  type SerialPathWatch,
  type UsbHotplugWatch,
  watchSerialPath,
} from './discovery/serial-watch.js';
export {
  CashDrawer,
  type CashDrawerOptions,
  type CashDrawerStatus,
  type DrawerLink,
  type DrawerOpening,
  type DrawerSensor,
  type DrawerState,
  type DrawerStatusEvent,
  drawerStateFromStatus,
  type KickOutcome,
  PrinterDrawerLink,
  type PrinterDrawerLinkOptions,
  PrinterQueueDrawerLink,
  printerStatusSensor,
  SERIAL_DRAWER_DEFAULT_KICK,
  SerialDrawerLink,
  type SerialDrawerLinkOptions,
  type SerialDrawerStatus,
  serialDrawerState,
} from './drawer/index.js';
export {
  DeviceError,
  type DeviceErrorCode,
  EscPosDecodeError,
  type EscPosDecodeErrorCode,
  type PrintOutcome,
  ReceiptEncodeError,
  type ReceiptEncodeErrorCode,
} from './errors.js';
export { type BackoffOptions, type BackoffPolicy, fullJitterBackoff } from './model/backoff.js';
export {
  type BringUpEvents,
  type BringUpOptions,
  type BringUpState,
  DeviceBringUp,
} from './model/bring-up.js';
export { type Clock, systemClock, type TimerHandle } from './model/clock.js';
export { PosDeviceBase, toDeviceError } from './model/device.js';
export { canTransition, nextLifecycle, teardownPath } from './model/lifecycle.js';
export {
  type AttemptTrigger,
  type ReconnectHooks,
  ReconnectSupervisor,
  type ReconnectSupervisorOptions,
  type SupervisorEvents,
  type SupervisorState,
} from './model/supervisor.js';
export type {
  DeviceErrorEvent,
  DeviceEventMap,
  DeviceStatusEvent,
  ErrorLocus,
  Lifecycle,
  LifecycleAction,
  PosDevice,
  PowerState,
} from './model/types.js';
export {
  CODE_PAGE_NAMES,
  type CodePageName,
  decodeByte,
  encodeCodePoint,
  encodeText,
  printableText,
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
export { encodeReceipt, layoutColumns, QR_MAX_BYTES } from './printer/escpos-encoder.js';
export {
  ASB_ALL,
  type AsbStatus,
  asbFrameBytes,
  decodeAsbFrame,
  decodePrinterStatus,
  isAsbHeaderByte,
  isRealtimeStatusByte,
  type PaperState,
  type PrinterStatus,
  type SimulatedPrinterState,
  type StatusStreamItem,
  StatusStreamParser,
  statusReplyByte,
} from './printer/escpos-status.js';
export {
  COPY_BANNER_TEXT,
  copyBannerBlock,
  copyBannerBytes,
  jobBytes,
  type PrintJob,
  type PrintJobResult,
  withCopyBanner,
} from './printer/print-job.js';
export { JOB_START_DEADLINE_MS, printWithin } from './printer/print-within.js';
export { PrinterDevice, type PrinterDeviceOptions, type PrintTicket } from './printer/printer-device.js';
export {
  asbEnableBytes,
  fullStatusRequestBytes,
  type PrinterStatusEvent,
  type PrinterStatusSnapshot,
  PrinterStatusTracker,
  type StatusSource,
  snapshotFromAsb,
  snapshotFromReplies,
} from './printer/printer-status.js';
export {
  type PrinterTransport,
  type PrinterTransportFactory,
  TcpPrinterTransport,
  type TcpPrinterTransportOptions,
} from './printer/printer-transport.js';
export {
  type CodePageProfile,
  type CodePageSelection,
  type DrawerSupport,
  decoderCodePages,
  EPSON_CODE_PAGE_NUMBERS,
  EPSON_CODE_PAGES,
  PRINTER_PROFILES,
  PROFILE_58MM,
  PROFILE_80MM,
  type PrinterProfile,
  type StatusSupport,
} from './printer/profiles.js';
export type { DecodedImage, DecodedItem, DecodedLine, DecodedReceipt } from './printer/receipt-assembler.js';
export {
  createSerialPrinter,
  createTcpPrinterDevice,
  createUsbPrinter,
  type SerialPrinterOptions,
  type TcpStreamPrinterOptions,
  type UsbPrinterOptions,
} from './printer/serial-printer.js';
export {
  findUsbPrinter,
  MemoryUsbPrinterIo,
  type UsbPrinterIo,
  UsbPrinterTransport,
  type UsbPrinterTransportOptions,
  type WebUsbDeviceLike,
  webUsbPrinterIo,
} from './printer/usb-printer.js';
export { type AimIdentifier, parseAimIdentifier, splitAim } from './scanner/aim.js';
export {
  checkDigitValid,
  classifySymbology,
  expandUpcE,
  gtinCheckDigit,
  gtinCheckDigitValid,
  type Symbology,
  toGtin14,
  upcEValid,
} from './scanner/barcode.js';
export { type FrameRejectReason, type FrameResult, ScanFramer } from './scanner/framing.js';
export {
  type AiDefinition,
  GS,
  GS1_AIS,
  type Gs1Element,
  type Gs1ErrorCode,
  type Gs1ParseOptions,
  type Gs1ParseResult,
  parseGs1,
} from './scanner/gs1.js';
export {
  createHidPosScanner,
  HID_POS_DEFAULT_LAYOUT,
  type HidPosLayout,
  HidPosReportAssembler,
  type HidPosScannerOptions,
  type HidReportDevice,
  hidLink,
  openNodeHidDevice,
} from './scanner/hid-pos.js';
export {
  isVariableMeasurePrefix,
  parseVariableMeasure,
  priceWeightCheckDigit,
  RCN_REGIONS,
  type RcnMeasure,
  type RcnRegionTable,
  type RcnResult,
  type RcnRule,
  type VariableMeasure,
} from './scanner/rcn.js';
export { decodeScan, type ScanData, type ScanSource } from './scanner/scan-data.js';
export {
  connectVia,
  type ScanDecoder,
  type ScanDecoderResult,
  type ScanLink,
  ScannerDevice,
  type ScannerDeviceOptions,
  type ScanRejectReason,
} from './scanner/scanner.js';
export { createSerialScanner, type SerialScannerOptions } from './scanner/serial-scanner.js';
export {
  classifyKeySequence,
  WEDGE_DEFAULTS,
  WedgeClassifier,
  type WedgeKeyEvent,
  type WedgeOptions,
  type WedgeVerdict,
  wedgeChar,
} from './scanner/wedge.js';
export { SerialTransport, type SerialTransportOptions } from './transport/serial.js';
export type { ByteTransport, TransportFactory } from './transport/transport.js';
