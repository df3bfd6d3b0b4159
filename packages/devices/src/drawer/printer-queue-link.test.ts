/**
 * The drawer behind a PrinterDevice (PrinterQueueDrawerLink) and printWithin, over a real loopback socket to the
 * printer emulator: the kick is one job on the printer's own link, written once and never again; a printer that is
 * away is reported as not-sent and nothing reaches it later.
 */

import type { ReceiptDocument } from '@tillwright/receipts';
import { describe, expect, it, vi } from 'vitest';
import { fullJitterBackoff } from '../model/backoff.js';
import { printWithin } from '../printer/print-within.js';
import type { PrinterDevice } from '../printer/printer-device.js';
import { PROFILE_58MM, PROFILE_80MM } from '../printer/profiles.js';
import { createTcpPrinterDevice } from '../printer/serial-printer.js';
import { seededRandom } from '../testing/bytes.js';
import { emulatorFixture } from '../testing/emulator-fixture.js';
import { CashDrawer } from './cash-drawer.js';
import { PrinterQueueDrawerLink } from './printer-queue-link.js';

const { defer, emulator } = emulatorFixture();
const RECEIPT: ReceiptDocument = { blocks: [{ kind: 'text', text: 'hello' }, { kind: 'cut' }] };

async function enabledPrinter(port: number): Promise<PrinterDevice> {
  const printer = createTcpPrinterDevice({
    host: '127.0.0.1',
    port,
    profile: PROFILE_80MM,
    statusTimeoutMs: 2000,
    backoff: fullJitterBackoff({ baseMs: 20, capMs: 100, random: seededRandom(7) }),
  });
  defer(async () => {
    if (printer.lifecycle !== 'closed') await printer.close();
  });
  await printer.open();
  await printer.claim();
  await printer.enable();
  return printer;
}

describe('PrinterQueueDrawerLink: a drawer kicked through the printer job queue', () => {
  it('kicks once on the printer link, confirmed like a job, and reads the sensor from the printer status', async () => {
    const emu = await emulator({ port: 0 });
    const printer = await enabledPrinter(emu.port);
    const link = new PrinterQueueDrawerLink(printer, PROFILE_80MM);
    expect(link.sensor).toBeDefined();
    expect(await link.sensor?.read()).toBe('closed');
    const bytes = await link.kick();
    expect(link.outcomeOf(bytes)).toBe('confirmed');
    expect(emu.drawerKicks).toBe(1);
    expect(emu.connections).toBe(1);
    await vi.waitFor(async () => expect(await link.sensor?.read()).toBe('open'));
    emu.setDrawerOpen(false);
    await vi.waitFor(async () => expect(await link.sensor?.read()).toBe('closed'));
    expect(emu.drawerKicks).toBe(1);
  });

  it('drives a CashDrawer: opened on the sensor, one kick per opening', async () => {
    const emu = await emulator({ port: 0 });
    const printer = await enabledPrinter(emu.port);
    const drawer = new CashDrawer({
      link: new PrinterQueueDrawerLink(printer, PROFILE_80MM),
      pollIntervalMs: 0,
    });
    defer(() => drawer.close());
    await drawer.open();
    await drawer.claim();
    await drawer.enable();
    const opening = await drawer.kick('sale', 'kick-1');
    expect(opening.outcome).toBe('opened');
    expect(emu.drawerKicks).toBe(1);
  });

  it('refuses to kick while the printer is away (not-sent, not retryable) and nothing is written when it returns', async () => {
    const emu = await emulator({ port: 0 });
    const port = emu.port;
    const printer = await enabledPrinter(port);
    const link = new PrinterQueueDrawerLink(printer, PROFILE_80MM);
    await emu.close();
    await vi.waitFor(() => expect(printer.power).toBe('offline'));
    await expect(link.kick()).rejects.toMatchObject({
      code: 'E_OFFLINE',
      retryable: false,
      details: { outcome: 'not-sent' },
    });
    await expect(link.sensor?.read()).rejects.toMatchObject({ code: 'E_OFFLINE' });
    const back = await emulator({ port });
    await vi.waitFor(() => expect(printer.power).toBe('online'), { timeout: 5_000 });
    expect(back.drawerKicks).toBe(0);
  });

  it('refuses a profile without a drawer port with a typed error', async () => {
    const emu = await emulator({ port: 0 });
    const printer = await enabledPrinter(emu.port);
    const noDrawer = { ...PROFILE_58MM, id: 'no-drawer', drawer: { ...PROFILE_58MM.drawer, pins: [] } };
    const link = new PrinterQueueDrawerLink(printer, noDrawer);
    await expect(link.kick()).rejects.toMatchObject({ code: 'E_ILLEGAL', retryable: false });
    expect(emu.drawerKicks).toBe(0);
  });
});

describe('printWithin', () => {
  it('withdraws a job still queued behind a printer that went away, so it never prints later', async () => {
    const emu = await emulator({ port: 0 });
    const port = emu.port;
    const printer = await enabledPrinter(port);
    await emu.close();
    await vi.waitFor(() => expect(printer.power).toBe('offline'));
    const result = await printWithin(printer, { id: 'late', document: RECEIPT }, 200);
    expect(result).toMatchObject({ outcome: 'not-sent', error: { details: { extended: 'CANCELLED' } } });
    const back = await emulator({ port });
    await vi.waitFor(() => expect(printer.power).toBe('online'), { timeout: 5_000 });
    expect(back.receipts).toHaveLength(0);
  });

  it('prints a job that starts in time, as any job', async () => {
    const emu = await emulator({ port: 0 });
    const printer = await enabledPrinter(emu.port);
    expect(await printWithin(printer, { id: 'now', document: RECEIPT }, 5_000)).toMatchObject({
      outcome: 'confirmed',
    });
    expect(emu.receipts).toHaveLength(1);
  });
});
