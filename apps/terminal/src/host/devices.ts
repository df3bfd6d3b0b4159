import {
  CashDrawer,
  type CashDrawerStatus,
  createTcpPrinterDevice,
  DeviceBringUp,
  fullJitterBackoff,
  JOB_START_DEADLINE_MS,
  PROFILE_80MM,
  type PrinterDevice,
  type PrinterProfile,
  PrinterQueueDrawerLink,
  type PrinterStatusEvent,
  type PrintOutcome,
  printWithin,
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
  /** First connection attempts: full-jitter backoff whose ceiling starts here and doubles. Default 1000 ms. */
  retryMs?: number;
  /** The ceiling's cap. Default 30 000 ms. */
  maxRetryMs?: number;
  onStatus: (status: DevicesStatusView) => void;
  log: (message: string) => void;
}

/**
 * The till's receipt printer (one persistent TCP 9100 link: job queue, delivery outcomes, DLE EOT/ASB status and
 * a reconnect supervisor, brought up by the package's DeviceBringUp) and the cash drawer on its kick-out
 * connector, kicked through the printer's queue (PrinterQueueDrawerLink). This class only composes the package's
 * parts and turns their state into what the cashier's screen shows.
 */
export class PrinterDevices implements SaleDevices {
  readonly printer: PrinterDevice;
  readonly drawer: CashDrawer;
  readonly columns: number;
  readonly #options: PrinterDevicesOptions;
  readonly #link: PrinterQueueDrawerLink;
  readonly #bringUp: DeviceBringUp;
  #started = false;
  #stopped = false;
  #everOnline = false;
  #attemptFailed = false;
  #drawerLeftOpen = false;
  #lastStatus = '';

  constructor(options: PrinterDevicesOptions) {
    this.#options = options;
    const profile = options.profile ?? PROFILE_80MM;
    this.columns = profile.columns;
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
    this.#bringUp = new DeviceBringUp(this.printer, {
      backoff: fullJitterBackoff({ baseMs: options.retryMs ?? 1000, capMs: options.maxRetryMs ?? 30_000 }),
    });
    this.#bringUp.on('failed', ({ error, retryInMs }) => {
      this.#attemptFailed = true;
      options.log(
        `printer ${options.printer.host}:${options.printer.port} not available (${error.message}); retrying in ${retryInMs} ms`,
      );
      this.#publish();
    });
    this.#bringUp.on('up', () => void this.#printerUp());
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
    this.#bringUp.start();
  }

  /** Resolves once the printer is connected and enabled (for tests and tools). */
  whenReady(): Promise<void> {
    return this.#bringUp.whenUp();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#bringUp.stop();
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

  async #printerUp(): Promise<void> {
    if (this.#stopped) return;
    this.#everOnline = true;
    await this.drawer.refresh().catch(() => undefined);
    this.#publish();
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
