import {
  CashDrawer,
  type CashDrawerStatus,
  createTcpPrinterDevice,
  DeviceError,
  type DrawerLink,
  type DrawerPin,
  type DrawerSensor,
  type DrawerState,
  drawerKickBytes,
  PROFILE_80MM,
  type PrinterDevice,
  type PrinterProfile,
  type PrinterStatusEvent,
  type PrintOutcome,
  realtimeDrawerKickBytes,
} from '@tillwright/devices';
import type { ReceiptDocument } from '@tillwright/receipts';
import type { DevicesStatusView } from '../contract/methods.js';

/** What became of a receipt or a drawer kick, as `sale.complete` reports it. */
export interface DeviceOutcome {
  outcome: PrintOutcome;
  /** Why it is not plainly delivered (or what the printer said when it was): for the log. */
  error?: string;
}

/** What the sale flow needs from the till's receipt printer and the drawer behind it. */
export interface SaleDevices {
  /** Characters per line of the receipt paper (the layout wraps names to it). */
  readonly columns: number;
  printReceipt(jobId: string, document: ReceiptDocument): Promise<DeviceOutcome>;
  /** Kick the drawer once. Never retried: a kick whose fate is unknown may already have opened it. */
  openDrawer(kickId: string, reason: string): Promise<DeviceOutcome>;
}

export const NO_DEVICES_STATUS: DevicesStatusView = {
  printer: 'not-configured',
  paper: 'unknown',
  coverOpen: false,
  drawer: 'unknown',
  drawerLeftOpen: false,
  alerts: [],
};

export interface PrinterDevicesOptions {
  printer: { host: string; port: number };
  /** Default PROFILE_80MM. */
  profile?: PrinterProfile;
  /** How long to wait for each DLE EOT answer. Default 2000 ms. */
  statusTimeoutMs?: number;
  /** Report the drawer as left open after this long. Default 60 000 ms. */
  drawerLeftOpenAfterMs?: number;
  /** First connection attempts: wait this long after a failure, doubling up to `maxRetryMs`. Default 1000 ms. */
  retryMs?: number;
  /** Default 30 000 ms. */
  maxRetryMs?: number;
  onStatus: (status: DevicesStatusView) => void;
  log: (message: string) => void;
}

/**
 * The receipt printer (one persistent TCP 9100 link: job queue, delivery outcomes, DLE EOT/ASB status and a
 * reconnect supervisor) and the cash drawer on its kick-out connector. The kick goes through the printer's own
 * job queue, on the same link, so it can never land in the middle of a receipt and a printer that serves one
 * connection at a time is not asked for a second one. The drawer sensor is the printer's status.
 */
export class PrinterDevices implements SaleDevices {
  readonly printer: PrinterDevice;
  readonly drawer: CashDrawer;
  readonly columns: number;
  readonly #options: PrinterDevicesOptions;
  readonly #link: PrinterQueueDrawerLink;
  #bringUp: NodeJS.Timeout | undefined;
  #retryMs: number;
  #started = false;
  #stopped = false;
  #everOnline = false;
  #attemptFailed = false;
  #drawerLeftOpen = false;
  #lastStatus = '';
  #ready: Promise<void>;
  #markReady!: () => void;

  constructor(options: PrinterDevicesOptions) {
    this.#options = options;
    const profile = options.profile ?? PROFILE_80MM;
    this.columns = profile.columns;
    this.#retryMs = options.retryMs ?? 1000;
    this.printer = createTcpPrinterDevice({
      host: options.printer.host,
      port: options.printer.port,
      profile,
      statusTimeoutMs: options.statusTimeoutMs ?? 2000,
    });
    this.#link = new PrinterQueueDrawerLink(this.printer, profile);
    this.drawer = new CashDrawer({
      link: this.#link,
      leftOpenAfterMs: options.drawerLeftOpenAfterMs ?? 60_000,
      // The sensor reaches us as printer status (ASB) events; no polling of our own on the printer link.
      pollIntervalMs: 0,
    });
    this.#ready = new Promise((resolve) => {
      this.#markReady = resolve;
    });
    this.printer.on('status', (event) => this.#onPrinterStatus(event));
    this.printer.on('error', ({ error, locus }) => options.log(`printer ${locus} error: ${error.message}`));
    this.drawer.on('status', (event) => this.#onDrawerStatus(event));
    // A sensor read fails on every poll while the printer is away: say so once, not once a poll.
    let lastDrawerError = '';
    this.drawer.on('error', ({ error }) => {
      if (error.message !== lastDrawerError) options.log(`cash drawer: ${error.message}`);
      lastDrawerError = error.message;
    });
    this.drawer.on('status', () => {
      lastDrawerError = '';
    });
  }

  /** Connects in the background; until the printer answers, receipts and kicks are 'not-sent'. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#startDrawer();
    void this.#attempt();
  }

  /** Resolves once the printer is connected and enabled (for tests and tools). */
  whenReady(): Promise<void> {
    return this.#ready;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#bringUp);
    for (const device of [this.drawer, this.printer]) {
      if (device.lifecycle !== 'closed') await device.close().catch(() => undefined);
    }
  }

  status(): DevicesStatusView {
    const snapshot = this.printer.status;
    const connected = this.printer.lifecycle === 'enabled' && this.printer.power === 'online';
    const printer = connected ? 'online' : this.#everOnline || this.#attemptFailed ? 'offline' : 'connecting';
    const paper = snapshot.paper ?? 'unknown';
    const coverOpen = snapshot.coverOpen ?? false;
    const alerts: string[] = [];
    if (printer === 'offline') alerts.push('Printer offline: receipts are not printing');
    else if (connected) {
      if (paper === 'empty') alerts.push('Printer out of paper');
      if (coverOpen) alerts.push('Printer cover open');
      if (snapshot.online === false && paper !== 'empty' && !coverOpen) alerts.push('Printer not ready');
      if (paper === 'near-end') alerts.push('Receipt paper running low');
    }
    if (this.#drawerLeftOpen) alerts.push('Cash drawer left open');
    return {
      printer,
      paper,
      coverOpen,
      drawer: this.drawer.state,
      drawerLeftOpen: this.#drawerLeftOpen,
      alerts,
    };
  }

  async printReceipt(jobId: string, document: ReceiptDocument): Promise<DeviceOutcome> {
    if (!this.#connected()) return { outcome: 'not-sent', error: 'the printer is not connected' };
    try {
      const result = await printWithin(this.printer, { id: jobId, document }, JOB_START_DEADLINE_MS);
      return result.error
        ? { outcome: result.outcome, error: result.error.message }
        : { outcome: result.outcome };
    } catch (error) {
      // Refused before queueing (queue full, printer closing): nothing was sent.
      return { outcome: 'not-sent', error: error instanceof Error ? error.message : String(error) };
    }
  }

  async openDrawer(kickId: string, reason: string): Promise<DeviceOutcome> {
    if (this.drawer.lifecycle !== 'enabled')
      return { outcome: 'not-sent', error: 'the drawer is not enabled' };
    const opening = await this.drawer.kick(reason, kickId);
    const error = opening.error?.message;
    switch (opening.outcome) {
      case 'opened':
        return { outcome: 'confirmed' };
      case 'kicked':
        return { outcome: (opening.bytes && this.#link.outcomeOf(opening.bytes)) ?? 'sent-unconfirmed' };
      case 'not-opened':
        // The printer took the kick but the sensor still reads closed: sent, and not confirmed by the drawer.
        return { outcome: 'sent-unconfirmed', ...(error ? { error } : {}) };
      case 'failed': {
        const outcome = opening.error?.details.outcome;
        return { outcome: outcome === 'partial' ? 'partial' : 'not-sent', ...(error ? { error } : {}) };
      }
    }
  }

  #connected(): boolean {
    return this.printer.lifecycle === 'enabled' && this.printer.power === 'online';
  }

  async #startDrawer(): Promise<void> {
    try {
      await this.drawer.open();
      await this.drawer.claim();
      await this.drawer.enable();
    } catch (error) {
      this.#options.log(`cash drawer: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Opens, claims and enables the printer, retrying with backoff; once claimed, its supervisor reconnects. */
  async #attempt(): Promise<void> {
    if (this.#stopped) return;
    try {
      if (this.printer.lifecycle === 'closed') await this.printer.open();
      if (this.printer.lifecycle === 'opened') await this.printer.claim();
      if (this.printer.lifecycle === 'claimed') await this.printer.enable();
      if (this.#stopped) return;
      this.#everOnline = true;
      this.#markReady();
      await this.drawer.refresh();
      this.#publish();
    } catch (error) {
      if (this.#stopped) return;
      this.#attemptFailed = true;
      const wait = this.#retryMs;
      this.#retryMs = Math.min(wait * 2, this.#options.maxRetryMs ?? 30_000);
      this.#options.log(
        `printer ${this.#options.printer.host}:${this.#options.printer.port} not available (${error instanceof Error ? error.message : String(error)}); retrying in ${wait} ms`,
      );
      this.#publish();
      this.#bringUp = setTimeout(() => void this.#attempt(), wait);
      this.#bringUp.unref();
    }
  }

  #onPrinterStatus(event: PrinterStatusEvent | { kind: 'power' | 'lifecycle' }): void {
    if (event.kind === 'power' && this.printer.power === 'online' && this.printer.lifecycle === 'enabled') {
      this.#everOnline = true;
    }
    this.#publish();
  }

  #onDrawerStatus(event: CashDrawerStatus): void {
    if (event.kind === 'drawer-left-open') this.#drawerLeftOpen = true;
    if (event.kind === 'drawer' && event.state === 'closed') this.#drawerLeftOpen = false;
    this.#publish();
  }

  /** Tell the renderer, when what it would show has changed. */
  #publish(): void {
    if (this.#stopped) return;
    const status = this.status();
    const key = JSON.stringify(status);
    if (key === this.#lastStatus) return;
    this.#lastStatus = key;
    this.#options.onStatus(status);
  }
}

/**
 * A DrawerLink that kicks through a PrinterDevice's job queue: the kick is a tiny print job, written once and
 * confirmed (or not) like any job; it is never resubmitted. The sensor is the printer's drawer status bit.
 */
class PrinterQueueDrawerLink implements DrawerLink {
  readonly kind = 'printer';
  readonly sensor: DrawerSensor | undefined;
  readonly #printer: PrinterDevice;
  readonly #profile: PrinterProfile;
  readonly #pin: DrawerPin | undefined;
  /** Outcome of each written kick, keyed by the bytes CashDrawer hands back in its DrawerOpening. */
  readonly #outcomes = new WeakMap<Uint8Array, PrintOutcome>();
  #kicks = 0;

  constructor(printer: PrinterDevice, profile: PrinterProfile) {
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
        JOB_START_DEADLINE_MS,
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

/**
 * How long a job may wait in the printer's queue before it is withdrawn. The queue holds jobs while the printer
 * reconnects; at the till, a receipt or a kick that has not started within this time must not come out minutes
 * later for another customer, and the cashier must not wait on it.
 */
const JOB_START_DEADLINE_MS = 8_000;

/** Prints, but withdraws the job (not-sent) if it is still waiting in the queue after `deadlineMs`. */
export async function printWithin(
  printer: PrinterDevice,
  job: Parameters<PrinterDevice['submit']>[0],
  deadlineMs: number,
): Promise<Awaited<ReturnType<PrinterDevice['print']>>> {
  const ticket = printer.submit(job);
  const timer = setTimeout(() => printer.cancel(ticket.jobId), deadlineMs);
  timer.unref();
  try {
    return await ticket.done;
  } finally {
    clearTimeout(timer);
  }
}
