/**
 * Device configuration, validated with zod at the edge (settings file, IPC): a device is found by USB or HID
 * vendor/product id (optionally serial number), by serial path (with baud and framing), or by host:port.
 * Ids accept numbers or hex strings ("0x0c2e", "0c2e") because that is how lsusb and manuals print them.
 */
import { z } from 'zod';
import { DeviceError } from '../errors.js';

const usbId = z
  .union([z.number().int(), z.string().regex(/^(0x)?[0-9a-fA-F]{1,4}$/, 'a 1-4 digit hex id')])
  .transform((value) => (typeof value === 'number' ? value : Number.parseInt(value.replace(/^0x/i, ''), 16)))
  .pipe(z.number().int().min(0).max(0xffff));

const deviceKind = z.enum(['scanner', 'printer', 'drawer']);

/** How a serial scanner delimits one barcode. */
export const scanFramingSchema = z
  .object({
    /** Terminator after each barcode; 'none' only makes sense with STX/ETX. */
    suffix: z.enum(['CR', 'LF', 'CRLF', 'none']).default('CR'),
    /** Optional fixed prefix the scanner is programmed to send (stripped from the data). */
    prefix: z.string().max(8).optional(),
    /** Frames are STX … ETX (0x02 … 0x03); the suffix, if any, may follow ETX and is ignored. */
    stxEtx: z.boolean().default(false),
    /** Longest accepted barcode in bytes (without prefix/suffix); longer input is rejected. */
    maxLength: z.number().int().min(1).max(8192).default(256),
  })
  .refine((f) => f.suffix !== 'none' || f.stxEtx, { message: "suffix 'none' needs stxEtx framing" });

export const serialSettingsSchema = z.object({
  baudRate: z.number().int().positive().default(9600),
  dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('none'),
  stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).default(1),
});

const usbConfig = z.object({
  transport: z.literal('usb'),
  kind: deviceKind,
  vendorId: usbId,
  productId: usbId,
  serialNumber: z.string().min(1).optional(),
});

const hidConfig = z.object({
  transport: z.literal('hid'),
  kind: deviceKind,
  vendorId: usbId,
  productId: usbId,
  serialNumber: z.string().min(1).optional(),
  /** Defaults select a HID POS bar code scanner (usage page 0x8C, usage 0x02). */
  usagePage: usbId.default(0x8c),
  usage: usbId.default(0x02),
});

const serialConfig = z.object({
  transport: z.literal('serial'),
  kind: deviceKind,
  path: z.string().min(1),
  serial: serialSettingsSchema.prefault({}),
  framing: scanFramingSchema.prefault({}),
});

const tcpConfig = z.object({
  transport: z.literal('tcp'),
  kind: deviceKind,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(9100),
});

export const deviceConfigSchema = z.discriminatedUnion('transport', [
  usbConfig,
  hidConfig,
  serialConfig,
  tcpConfig,
]);

export type DeviceConfig = z.output<typeof deviceConfigSchema>;
export type DeviceConfigInput = z.input<typeof deviceConfigSchema>;
export type ScanFraming = z.output<typeof scanFramingSchema>;
export type ScanFramingInput = z.input<typeof scanFramingSchema>;
export type SerialSettings = z.output<typeof serialSettingsSchema>;

/** Validate a configuration; throws DeviceError E_ILLEGAL (not retryable) listing every problem. */
export function parseDeviceConfig(input: unknown): DeviceConfig {
  const result = deviceConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new DeviceError('E_ILLEGAL', `invalid device configuration: ${issues.join('; ')}`, false, { issues });
}

/** Parse host:port (port defaults to 9100; IPv6 in brackets). */
export function parseHostPort(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text.trim());
  const port = match?.[3] === undefined ? 9100 : Number(match[3]);
  const host = match?.[1] ?? match?.[2];
  if (!host || port < 1 || port > 65535) {
    throw new DeviceError('E_ILLEGAL', `not a host:port: ${JSON.stringify(text)}`, false, { text });
  }
  return { host, port };
}

/** A stable key for a configured device (what hot-plug matching and logs use). */
export function deviceKey(config: DeviceConfig): string {
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  switch (config.transport) {
    case 'usb':
    case 'hid':
      return `${config.transport}:${hex(config.vendorId)}:${hex(config.productId)}${config.serialNumber ? `:${config.serialNumber}` : ''}`;
    case 'serial':
      return `serial:${config.path}`;
    case 'tcp':
      return `tcp:${config.host}:${config.port}`;
  }
}
