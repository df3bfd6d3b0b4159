/**
 * Real-time status bytes (`DLE EOT n` replies), both directions: parsing what a printer answers and building
 * what the emulator answers. Every reply has bits 1 and 4 set and bits 0 and 7 clear, so `(b & 0x93) === 0x12`
 * tells a status reply apart from other bytes a printer may send (research/devices.md §2.3).
 *
 *   n=1 printer:      bit 2 drawer connector pin 3 high, bit 3 offline, bit 5 waiting for recovery, bit 6 feed button
 *   n=2 offline cause: bit 2 cover open, bit 3 paper fed by button, bit 5 stopped at paper end, bit 6 error
 *   n=3 error cause:   bit 2 recoverable, bit 3 autocutter, bit 5 unrecoverable, bit 6 auto-recoverable
 *   n=4 roll paper:    bits 2–3 near end, bits 5–6 paper end (so "paper out" reads 0x72)
 */
import type { StatusRequestKind } from './escpos-commands.js';

const BASE = 0x12;

export type PaperState = 'ok' | 'near-end' | 'empty';

export interface PrinterStatus {
  /** DLE EOT 1 bit 3 clear. A printer goes offline on paper end, cover open and errors. */
  online: boolean;
  /** DLE EOT 1 bit 2. Whether high means open depends on the drawer model. */
  drawerSensorHigh: boolean;
  /** From DLE EOT 2, when it was asked. */
  coverOpen?: boolean;
  /** From DLE EOT 4, when it was asked. */
  paper?: PaperState;
  /** The raw reply bytes, in the order they were asked. */
  bytes: number[];
}

/** What the emulator's status replies are computed from. */
export interface SimulatedPrinterState {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  drawerSensorHigh: boolean;
}

export function isRealtimeStatusByte(byte: number): boolean {
  return (byte & 0x93) === BASE;
}

/** Decode the reply to DLE EOT 1, and optionally the replies to DLE EOT 2 and DLE EOT 4. */
export function decodePrinterStatus(
  printer: number,
  offlineCause?: number,
  rollPaper?: number,
): PrinterStatus {
  const status: PrinterStatus = {
    online: (printer & 0x08) === 0,
    drawerSensorHigh: (printer & 0x04) !== 0,
    bytes: [printer],
  };
  if (offlineCause !== undefined) {
    status.coverOpen = (offlineCause & 0x04) !== 0;
    status.bytes.push(offlineCause);
  }
  if (rollPaper !== undefined) {
    status.paper = (rollPaper & 0x60) !== 0 ? 'empty' : (rollPaper & 0x0c) !== 0 ? 'near-end' : 'ok';
    status.bytes.push(rollPaper);
  }
  return status;
}

/** The byte a printer in `state` answers to DLE EOT `kind`. */
export function statusReplyByte(kind: StatusRequestKind, state: SimulatedPrinterState): number {
  const offline = state.paperOut || state.coverOpen;
  switch (kind) {
    case 1:
      return BASE | (state.drawerSensorHigh ? 0x04 : 0) | (offline ? 0x08 : 0);
    case 2:
      return BASE | (state.coverOpen ? 0x04 : 0) | (state.paperOut ? 0x20 : 0);
    case 3:
      return BASE;
    case 4:
      return BASE | (state.paperNearEnd ? 0x0c : 0) | (state.paperOut ? 0x60 : 0);
  }
}

/**
 * Automatic Status Back (`GS a n`, research §2.3): once enabled the printer sends a 4-byte frame on every
 * change. Byte 1 looks like `(b & 0x93) === 0x10` and bytes 2–4 like `(b & 0x90) === 0`, so frames and DLE EOT
 * replies (`(b & 0x93) === 0x12`) can be told apart in one stream.
 *
 *   byte 1: bit 2 drawer connector pin 3 high, bit 3 offline, bit 5 cover open, bit 6 feed button
 *   byte 2: bit 2 mechanical (recoverable) error, bit 3 autocutter error, bit 5 unrecoverable, bit 6 auto-recoverable
 *   byte 3: bits 0–1 roll paper near end, bits 2–3 roll paper end
 *   byte 4: reserved (0)
 */
export interface AsbStatus {
  online: boolean;
  drawerSensorHigh: boolean;
  coverOpen: boolean;
  paper: PaperState;
  /** Any error bit in byte 2. */
  error: boolean;
  /** The 4 raw bytes. */
  bytes: number[];
}

/** `GS a n` enable bits: drawer, online/offline, error, roll paper sensor. */
export const ASB_ALL = 0x0f;

export function isAsbHeaderByte(byte: number): boolean {
  return (byte & 0x93) === 0x10;
}

export function isAsbTrailByte(byte: number): boolean {
  return (byte & 0x90) === 0;
}

export function decodeAsbFrame(frame: readonly number[]): AsbStatus {
  const [b1 = 0x10, b2 = 0, b3 = 0, b4 = 0] = frame;
  return {
    online: (b1 & 0x08) === 0,
    drawerSensorHigh: (b1 & 0x04) !== 0,
    coverOpen: (b1 & 0x20) !== 0,
    paper: (b3 & 0x0c) !== 0 ? 'empty' : (b3 & 0x03) !== 0 ? 'near-end' : 'ok',
    error: (b2 & 0x6c) !== 0,
    bytes: [b1, b2, b3, b4],
  };
}

/** The ASB frame a printer in `state` sends. */
export function asbFrameBytes(state: SimulatedPrinterState): Uint8Array {
  const offline = state.paperOut || state.coverOpen;
  return Uint8Array.of(
    0x10 | (state.drawerSensorHigh ? 0x04 : 0) | (offline ? 0x08 : 0) | (state.coverOpen ? 0x20 : 0),
    0x00,
    (state.paperNearEnd ? 0x03 : 0) | (state.paperOut ? 0x0c : 0),
    0x00,
  );
}

export type StatusStreamItem =
  | { type: 'reply'; byte: number }
  | { type: 'asb'; status: AsbStatus }
  /** A byte that is neither (e.g. an XON/XOFF, or the tail of a garbled frame): dropped by callers. */
  | { type: 'other'; byte: number };

/**
 * Splits what a printer sends back into DLE EOT replies and ASB frames (receiptio's framing). Chunks may split
 * a frame anywhere; a broken frame is dropped byte by byte as 'other'.
 */
export class StatusStreamParser {
  #frame: number[] = [];

  push(chunk: Uint8Array): StatusStreamItem[] {
    const items: StatusStreamItem[] = [];
    for (const byte of chunk) {
      if (this.#frame.length > 0) {
        if (isAsbTrailByte(byte)) {
          this.#frame.push(byte);
          if (this.#frame.length === 4) {
            items.push({ type: 'asb', status: decodeAsbFrame(this.#frame) });
            this.#frame = [];
          }
          continue;
        }
        for (const dropped of this.#frame) items.push({ type: 'other', byte: dropped });
        this.#frame = [];
      }
      if (isRealtimeStatusByte(byte)) items.push({ type: 'reply', byte });
      else if (isAsbHeaderByte(byte)) this.#frame = [byte];
      else items.push({ type: 'other', byte });
    }
    return items;
  }

  reset(): void {
    this.#frame = [];
  }
}
