/**
 * Raw ESC/POS commands a POS must control byte-exactly, outside any receipt: drawer kicks and real-time status
 * requests. Bytes per Epson ESC/POS (research/devices.md §2.1, §2.3).
 */
import { DeviceError } from '../errors.js';

export const ESC = 0x1b;
export const GS = 0x1d;
export const DLE = 0x10;
export const FS = 0x1c;
export const LF = 0x0a;
export const CR = 0x0d;
export const EOT = 0x04;
export const DC4 = 0x14;

export type DrawerPin = 0 | 1;
/** DLE EOT n: 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor. */
export type StatusRequestKind = 1 | 2 | 3 | 4;

/** Drawer pulse on-time and off-time in units of 2 ms: 50 ms on, 500 ms off. */
const KICK_ON_2MS = 0x19;
const KICK_OFF_2MS = 0xfa;

function assertPin(pin: number): asserts pin is DrawerPin {
  if (pin !== 0 && pin !== 1) {
    throw new DeviceError(
      'E_ILLEGAL',
      `drawer pin must be 0 (connector pin 2) or 1 (pin 5), got ${pin}`,
      false,
    );
  }
}

/**
 * `ESC p m t1 t2`: pulse the drawer kick-out connector (m=0 pin 2, m=1 pin 5) for 50 ms, then 500 ms off.
 * Buffered: it runs in order with the print data. Never resend it automatically: a retry can open the drawer
 * twice.
 */
export function drawerKickBytes(pin: DrawerPin = 0): Uint8Array {
  assertPin(pin);
  return Uint8Array.of(ESC, 0x70, pin, KICK_ON_2MS, KICK_OFF_2MS);
}

/**
 * `DLE DC4 1 m t`: real-time drawer pulse (t × 100 ms, here 100 ms). The printer runs it on receipt, even
 * offline or with a full buffer, so it must never be placed inside another multi-byte command.
 */
export function realtimeDrawerKickBytes(pin: DrawerPin = 0): Uint8Array {
  assertPin(pin);
  return Uint8Array.of(DLE, DC4, 0x01, pin, 0x01);
}

/** `DLE EOT n`: real-time status request; the printer answers one byte ahead of its print buffer. */
export function statusRequestBytes(kind: StatusRequestKind): Uint8Array {
  if (kind !== 1 && kind !== 2 && kind !== 3 && kind !== 4) {
    throw new DeviceError('E_ILLEGAL', `DLE EOT n takes n = 1..4, got ${kind}`, false);
  }
  return Uint8Array.of(DLE, EOT, kind);
}
