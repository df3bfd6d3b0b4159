import { type PrinterEmulator, startPrinterEmulator } from '@tillwright/devices/sim';
import type { ReceiptDocument } from '@tillwright/receipts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DevicesStatusView } from '../contract/methods.js';
import { PrinterDevices } from './devices.js';

let emulator: PrinterEmulator;
let devices: PrinterDevices;
let pushed: DevicesStatusView[];

const RECEIPT: ReceiptDocument = { blocks: [{ kind: 'text', text: 'hello' }, { kind: 'cut' }] };
const last = () => pushed.at(-1);

function devicesFor(port: number, drawerLeftOpenAfterMs = 60_000): PrinterDevices {
  return new PrinterDevices({
    printer: { host: '127.0.0.1', port },
    statusTimeoutMs: 500,
    drawerLeftOpenAfterMs,
    retryMs: 50,
    maxRetryMs: 100,
    onStatus: (status) => pushed.push(status),
    log: () => {},
  });
}

beforeEach(async () => {
  emulator = await startPrinterEmulator({ port: 0 });
  pushed = [];
});
afterEach(async () => {
  await devices?.stop();
  await emulator.close();
});

describe('the till printer and drawer', () => {
  it('prints and kicks through one printer link, and reports the outcomes', async () => {
    devices = devicesFor(emulator.port);
    devices.start();
    await devices.whenReady();
    expect(await devices.printReceipt('r1', RECEIPT)).toEqual({ outcome: 'confirmed' });
    expect(await devices.openDrawer('k1', 'sale')).toEqual({ outcome: 'confirmed' });
    expect(emulator.receipts).toHaveLength(1);
    expect(emulator.drawerKicks).toBe(1);
    expect(emulator.connections).toBe(1);
    await vi.waitFor(() => expect(last()).toMatchObject({ printer: 'online', drawer: 'open', alerts: [] }));
  });

  it('pushes paper and cover changes, and a drawer left open, as alerts for the cashier', async () => {
    devices = devicesFor(emulator.port, 100);
    devices.start();
    await devices.whenReady();
    emulator.setPaperNearEnd(true);
    await vi.waitFor(() => expect(last()?.alerts).toEqual(['Receipt paper running low']));
    emulator.setPaperOut(true);
    emulator.setCoverOpen(true);
    await vi.waitFor(() =>
      expect(last()).toMatchObject({
        paper: 'empty',
        coverOpen: true,
        alerts: ['Printer out of paper', 'Printer cover open'],
      }),
    );
    emulator.setPaperOut(false);
    emulator.setPaperNearEnd(false);
    emulator.setCoverOpen(false);
    await devices.openDrawer('k1', 'sale');
    await vi.waitFor(() =>
      expect(last()).toMatchObject({
        drawer: 'open',
        drawerLeftOpen: true,
        alerts: ['Cash drawer left open'],
      }),
    );
    emulator.setDrawerOpen(false);
    await vi.waitFor(() =>
      expect(last()).toMatchObject({ drawer: 'closed', drawerLeftOpen: false, alerts: [] }),
    );
  });

  it('says not-sent without a printer, never retries a kick, and connects once the printer appears', async () => {
    const port = emulator.port;
    await emulator.close();
    devices = devicesFor(port);
    devices.start();
    await vi.waitFor(() => expect(last()?.printer).toBe('offline'));
    expect(last()?.alerts).toEqual(['Printer offline: receipts are not printing']);
    expect((await devices.printReceipt('r1', RECEIPT)).outcome).toBe('not-sent');
    expect((await devices.openDrawer('k1', 'sale')).outcome).toBe('not-sent');
    emulator = await startPrinterEmulator({ port });
    await devices.whenReady();
    await vi.waitFor(() => expect(last()?.printer).toBe('online'));
    expect(emulator.drawerKicks).toBe(0);
    expect(emulator.receipts).toHaveLength(0);
  });
});
