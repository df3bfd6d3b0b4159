/**
 * A cash drawer on the kick-out connector of a printer driven by a PrinterDevice: the kick goes through the
 * printer's own job queue, on the same link, so it never lands in the middle of a receipt and a printer that
 * serves one connection at a time is not asked for a second. (PrinterDrawerLink, in links.ts, is the same drawer
 * reached over a bare transport, without a PrinterDevice.)
 */
import { DeviceError, type PrintOutcome } from '../errors.js';
import { type DrawerPin, drawerKickBytes, realtimeDrawerKickBytes } from '../printer/escpos-commands.js';
import { JOB_START_DEADLINE_MS, printWithin } from '../printer/print-within.js';
import type { PrinterDevice } from '../printer/printer-device.js';
import type { PrinterStatusEvent } from '../printer/printer-status.js';
import type { PrinterProfile } from '../printer/profiles.js';
import type { DrawerLink, DrawerSensor, DrawerState } from './links.js';

/**
 * A DrawerLink that kicks through a PrinterDevice's job queue: the kick is a tiny print job, written once and
 * confirmed (or not) like any job; it is never resubmitted. The sensor is the printer's drawer status bit.
 */
export class PrinterQueueDrawerLink implements DrawerLink {
  readonly kind = 'printer';
  readonly sensor: DrawerSensor | undefined;
  readonly #printer: PrinterDevice;
  readonly #profile: PrinterProfile;
  readonly #pin: DrawerPin | undefined;
  /** Outcome of each written kick, keyed by the bytes CashDrawer hands back in its DrawerOpening. */
  readonly #outcomes = new WeakMap<Uint8Array, PrintOutcome>();
  readonly #startDeadlineMs: number;
  #kicks = 0;

  constructor(printer: PrinterDevice, profile: PrinterProfile, options: { startDeadlineMs?: number } = {}) {
    this.#startDeadlineMs = options.startDeadlineMs ?? JOB_START_DEADLINE_MS;
    this.#printer = printer;
    this.#profile = profile;
    this.#pin = profile.drawer.pins[0];
    this.sensor =
      profile.drawer.sensor && profile.status.dleEot ? this.#sensorOf(printer, profile) : undefined;
  }

  async open(): Promise<void> {}
  async close(): Promise<void> {}

  /** The printer's link loss is the printer's business (its supervisor reconnects); kicks meanwhile fail fast. */
  onLost(): () => void {
    return () => {};
  }

  outcomeOf(bytes: Uint8Array): PrintOutcome | undefined {
    return this.#outcomes.get(bytes);
  }

  async kick(): Promise<Uint8Array> {
    const pin = this.#pin;
    if (pin === undefined)
      throw new DeviceError('E_ILLEGAL', `profile ${this.#profile.id} has no drawer port`, false);
    const printer = this.#printer;
    if (printer.lifecycle !== 'enabled' || printer.power !== 'online') {
      throw new DeviceError('E_OFFLINE', 'the printer is not connected; the drawer was not kicked', false, {
        outcome: 'not-sent',
      });
    }
    const bytes = this.#profile.drawer.realtimeKick ? realtimeDrawerKickBytes(pin) : drawerKickBytes(pin);
    let result: Awaited<ReturnType<PrinterDevice['print']>>;
    try {
      result = await printWithin(
        printer,
        { id: `drawer-kick-${++this.#kicks}-${Date.now()}`, bytes },
        this.#startDeadlineMs,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new DeviceError('E_FAILURE', `drawer kick refused: ${message}`, false, { outcome: 'not-sent' });
    }
    if (result.outcome === 'not-sent' || result.outcome === 'partial') {
      throw new DeviceError(
        'E_FAILURE',
        `drawer kick ${result.outcome}: ${result.error?.message ?? 'link down'}`,
        false,
        { outcome: result.outcome },
      );
    }
    const written = Uint8Array.from(bytes);
    this.#outcomes.set(written, result.outcome);
    return written;
  }

  #sensorOf(printer: PrinterDevice, profile: PrinterProfile): DrawerSensor {
    const fromLevel = (high: boolean): DrawerState =>
      high === (profile.drawer.openLevel === 'high') ? 'open' : 'closed';
    return {
      read: async () => {
        if (printer.lifecycle !== 'enabled' || printer.power !== 'online') {
          throw new DeviceError('E_OFFLINE', 'the printer is not connected; drawer sensor unknown', true);
        }
        const known = printer.status.drawerSensorHigh;
        // With Automatic Status Back the printer pushes every change: what we know is current.
        if (profile.status.asb && known !== undefined) return fromLevel(known);
        const snapshot = await printer.refreshStatus();
        if (snapshot.drawerSensorHigh === undefined) {
          throw new DeviceError('E_FAILURE', 'the printer did not report the drawer sensor', true);
        }
        return fromLevel(snapshot.drawerSensorHigh);
      },
      subscribe: (fn) => {
        const listener = (event: PrinterStatusEvent | { kind: string }) => {
          if (event.kind === 'drawer' && 'open' in event) fn(event.open ? 'open' : 'closed');
        };
        printer.on('status', listener);
        return () => {
          printer.off('status', listener);
        };
      },
    };
  }
}
