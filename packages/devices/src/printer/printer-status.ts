/**
 * Printer status as typed events (UPOS StatusUpdateEvent, research §1.1): whatever the source — a `DLE EOT n`
 * reply or an ASB frame — is folded into one snapshot, and an event goes out for each field that changed
 * (including the first time a field becomes known). Pure: no I/O, no timers.
 */

import { DLE, EOT, GS } from './escpos-commands.js';
import { ASB_ALL, type AsbStatus, type PaperState } from './escpos-status.js';
import type { PrinterProfile } from './profiles.js';

export type StatusSource = 'dle-eot' | 'asb';

/** What is known about the printer; a field is absent until a reply or frame has reported it. */
export interface PrinterStatusSnapshot {
  online?: boolean;
  coverOpen?: boolean;
  paper?: PaperState;
  drawerSensorHigh?: boolean;
  /** Any error cause (DLE EOT 3, or ASB byte 2). */
  error?: boolean;
}

export type PrinterStatusEvent =
  | { kind: 'online'; online: boolean; source: StatusSource; at: number }
  | { kind: 'paper'; paper: PaperState; previous?: PaperState; source: StatusSource; at: number }
  | { kind: 'cover'; open: boolean; source: StatusSource; at: number }
  /** Drawer sensor (connector pin 3); `open` applies the profile's openLevel. Only for profiles with a sensor. */
  | { kind: 'drawer'; open: boolean; sensorHigh: boolean; source: StatusSource; at: number }
  | { kind: 'printer-error'; error: boolean; source: StatusSource; at: number };

/** `GS a n`: enable Automatic Status Back for the given bits (default: drawer, online, error, paper). */
export function asbEnableBytes(mask: number = ASB_ALL): Uint8Array {
  return Uint8Array.of(GS, 0x61, mask & 0xff);
}

/** `DLE EOT 1..4` in one write: the four replies come back in this order. */
export function fullStatusRequestBytes(): Uint8Array {
  return Uint8Array.of(DLE, EOT, 1, DLE, EOT, 2, DLE, EOT, 3, DLE, EOT, 4);
}

/** Decode the replies to DLE EOT 1, 2, 3 and 4 (in that order) into a snapshot. */
export function snapshotFromReplies(printer: number, offline: number, error: number, paper: number) {
  const snapshot: Required<PrinterStatusSnapshot> = {
    online: (printer & 0x08) === 0,
    drawerSensorHigh: (printer & 0x04) !== 0,
    coverOpen: (offline & 0x04) !== 0,
    error: (error & 0x6c) !== 0,
    paper: (paper & 0x60) !== 0 ? 'empty' : (paper & 0x0c) !== 0 ? 'near-end' : 'ok',
  };
  return snapshot;
}

export function snapshotFromAsb(asb: AsbStatus): Required<PrinterStatusSnapshot> {
  const { online, drawerSensorHigh, coverOpen, error, paper } = asb;
  return { online, drawerSensorHigh, coverOpen, error, paper };
}

/** Folds partial snapshots into the current one and reports what changed. */
export class PrinterStatusTracker {
  readonly #profile: PrinterProfile;
  #current: PrinterStatusSnapshot = {};

  constructor(profile: PrinterProfile) {
    this.#profile = profile;
  }

  get current(): PrinterStatusSnapshot {
    return { ...this.#current };
  }

  /** Forget everything (after a reconnect the printer may have changed while we were away). */
  reset(): void {
    this.#current = {};
  }

  apply(update: PrinterStatusSnapshot, source: StatusSource, at: number): PrinterStatusEvent[] {
    const before = this.#current;
    const events: PrinterStatusEvent[] = [];
    if (update.online !== undefined && update.online !== before.online) {
      events.push({ kind: 'online', online: update.online, source, at });
    }
    if (update.paper !== undefined && update.paper !== before.paper) {
      const event: PrinterStatusEvent = { kind: 'paper', paper: update.paper, source, at };
      if (before.paper !== undefined) event.previous = before.paper;
      events.push(event);
    }
    if (update.coverOpen !== undefined && update.coverOpen !== before.coverOpen) {
      events.push({ kind: 'cover', open: update.coverOpen, source, at });
    }
    if (
      this.#profile.drawer.sensor &&
      update.drawerSensorHigh !== undefined &&
      update.drawerSensorHigh !== before.drawerSensorHigh
    ) {
      const high = update.drawerSensorHigh;
      const open = this.#profile.drawer.openLevel === 'high' ? high : !high;
      events.push({ kind: 'drawer', open, sensorHigh: high, source, at });
    }
    if (update.error !== undefined && update.error !== before.error) {
      events.push({ kind: 'printer-error', error: update.error, source, at });
    }
    this.#current = { ...before, ...definedOnly(update) };
    return events;
  }
}

function definedOnly(update: PrinterStatusSnapshot): PrinterStatusSnapshot {
  const out: PrinterStatusSnapshot = {};
  if (update.online !== undefined) out.online = update.online;
  if (update.coverOpen !== undefined) out.coverOpen = update.coverOpen;
  if (update.paper !== undefined) out.paper = update.paper;
  if (update.drawerSensorHigh !== undefined) out.drawerSensorHigh = update.drawerSensorHigh;
  if (update.error !== undefined) out.error = update.error;
  return out;
}
