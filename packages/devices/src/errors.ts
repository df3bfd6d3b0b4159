/**
 * Every failure in this package is a typed error: `code` for programs, `message` for people, and `retryable`
 * says whether repeating the same operation automatically is safe. Device codes use the UnifiedPOS result-code
 * names (design §5, research §6.6) so they read the same across transports.
 */

/** Where a print job's bytes ended up. Only 'not-sent' is ever safe to resend without a COPY mark. */
export type PrintOutcome = 'not-sent' | 'partial' | 'sent-unconfirmed' | 'confirmed';

export type DeviceErrorCode =
  | 'E_OFFLINE' // could not reach the device, or the device reports itself offline
  | 'E_TIMEOUT' // the device did not answer in time
  | 'E_FAILURE' // the connection broke while a job was in flight
  | 'E_ILLEGAL' // the caller asked for something the device layer refuses
  | 'E_CLOSED' // the device is closed; open() it first
  | 'E_CLAIMED' // another user holds the device (port locked, HID busy)
  | 'E_NOTCLAIMED' // the operation needs claim() first
  | 'E_DISABLED' // the operation needs enable() first
  | 'E_NOHARDWARE' // the configured device is not attached (or not permitted)
  | 'E_EXTENDED'; // a device-class specific failure; `details.extended` names it

export class DeviceError extends Error {
  override readonly name = 'DeviceError';
  constructor(
    readonly code: DeviceErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type ReceiptEncodeErrorCode = 'invalid_block' | 'invalid_profile';

/** The receipt document cannot be encoded for the given profile (a programming error, never retryable). */
export class ReceiptEncodeError extends Error {
  override readonly name = 'ReceiptEncodeError';
  readonly retryable = false;
  constructor(
    readonly code: ReceiptEncodeErrorCode,
    message: string,
    readonly blockIndex?: number,
  ) {
    super(message);
  }
}

export type EscPosDecodeErrorCode =
  | 'unknown_command' // ESC/GS/DLE/FS followed by a byte we do not know
  | 'unexpected_byte' // a control byte that is not a command prefix
  | 'malformed_command' // a known command with a parameter out of range
  | 'unsupported_code_page' // ESC t n with an n the decoder has no table for
  | 'unsupported_symbol' // GS ( k for a 2D symbol other than QR
  | 'truncated_command'; // the stream ended inside a command

/**
 * One problem found while decoding an ESC/POS stream. The decoder records these and keeps going; they are
 * data (never thrown), so that a test or the emulator can fail loudly on them without crashing.
 */
export class EscPosDecodeError extends Error {
  override readonly name = 'EscPosDecodeError';
  readonly retryable = false;
  constructor(
    readonly code: EscPosDecodeErrorCode,
    message: string,
    /** Offset of the first offending byte from the start of the stream. */
    readonly offset: number,
    /** The offending bytes (the command prefix and what the decoder skipped). */
    readonly bytes: Uint8Array,
  ) {
    super(message);
  }
}
