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
