/**
 * PrinterDevice over a real loopback TCP connection to the printer emulator: jobs and their outcomes, the
 * bounded queue, COPY reprints, status events from ASB and DLE EOT, and the printer going away and coming back.
 */

import type { ReceiptDocument } from '@tillwright/receipts';
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../errors.js';
import { fullJitterBackoff } from '../model/backoff.js';
import type { DeviceErrorEvent, DeviceStatusEvent } from '../model/types.js';
import { seededRandom } from '../testing/bytes.js';
import { emulatorFixture } from '../testing/emulator-fixture.js';
import { encodeReceipt } from './escpos-encoder.js';
import { COPY_BANNER_TEXT } from './print-job.js';
import type { PrinterDevice, PrinterDeviceOptions } from './printer-device.js';
import type { PrinterStatusEvent } from './printer-status.js';
import { PROFILE_58MM, PROFILE_80MM } from './profiles.js';
import { createTcpPrinterDevice } from './serial-printer.js';

const { defer, emulator } = emulatorFixture();

type AnyStatus = PrinterStatusEvent | DeviceStatusEvent;

function printerFor(port: number, options: Partial<Omit<PrinterDeviceOptions, 'transport'>> = {}) {
  const device = createTcpPrinterDevice({
    host: '127.0.0.1',
    port,
    backoff: fullJitterBackoff({ baseMs: 20, capMs: 100, random: seededRandom(3) }),
    statusTimeoutMs: 2000,
    ...options,
  });
  const statuses: AnyStatus[] = [];
  const errors: DeviceErrorEvent[] = [];
  device.on('status', (status) => statuses.push(status));
  device.on('error', (event) => errors.push(event));
  defer(async () => {
    if (device.lifecycle !== 'closed') await device.close();
  });
  return { device, statuses, errors };
}

async function enabled(device: PrinterDevice): Promise<PrinterDevice> {
  await device.open();
  await device.claim();
  await device.enable();
  return device;
}

/** Resolve with the first status event (already seen or still to come) that matches. */
function statusWhere(
  device: PrinterDevice,
  seen: AnyStatus[],
  match: (status: AnyStatus) => boolean,
): Promise<AnyStatus> {
  const found = seen.find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    const listener = (status: AnyStatus) => {
      if (!match(status)) return;
      device.off('status', listener);
      resolve(status);
    };
    device.on('status', listener);
  });
}

const RECEIPT: ReceiptDocument = {
  blocks: [
    { kind: 'text', text: 'Tillwright', align: 'center', bold: true },
    { kind: 'columns', left: 'Flat white', right: '€ 4,20' },
    { kind: 'qr', data: 'R-0001' },
  ],
};

function bigReceipt(lines: number): ReceiptDocument {
  return {
    blocks: Array.from({ length: lines }, (_, i) => ({
      kind: 'columns' as const,
      left: `Item ${i}`,
      right: `${i},00`,
    })),
  };
}

describe('PrinterDevice over TCP with the emulator', () => {
  it('prints a document: confirmed by the DLE EOT 1 after it, output-complete, decoded by the emulator', async () => {
    const emu = await emulator();
    const { device } = printerFor(emu.port);
    await enabled(device);
    const completed: string[] = [];
    device.on('output-complete', (event) => completed.push(event.jobId));

    const result = await device.print({ id: 'sale-1', document: RECEIPT });

    expect(result).toEqual({
      jobId: 'sale-1',
      outcome: 'confirmed',
      copy: false,
      status: { online: true, drawerSensorHigh: false, bytes: [0x12] },
    });
    expect(completed).toEqual(['sale-1']);
    expect(emu.receipts).toEqual([
      expect.objectContaining({
        text: `${' '.repeat(19)}Tillwright\nFlat white${' '.repeat(32)}€ 4,20`, // centred with spaces
        qrCodes: ['R-0001'],
        cut: true,
      }),
    ]);
    expect(emu.decodeErrors).toEqual([]);
    expect(device.power).toBe('online');
  });

  it('a reprint carries the COPY banner, for documents and for raw bytes', async () => {
    const emu = await emulator();
    const { device } = printerFor(emu.port);
    await enabled(device);

    const copy = await device.reprint({ id: 'sale-1', document: RECEIPT });
    const rawCopy = await device.print({
      id: 'sale-2',
      bytes: encodeReceipt(RECEIPT, PROFILE_80MM),
      copy: true,
    });

    expect(copy).toMatchObject({ jobId: 'sale-1', outcome: 'confirmed', copy: true });
    expect(rawCopy).toMatchObject({ jobId: 'sale-2', outcome: 'confirmed', copy: true });
    const [first, second] = emu.receipts;
    expect(first?.text.trim().split('\n')[0]?.trim()).toBe(COPY_BANNER_TEXT);
    expect(second?.text.trim().split('\n')[0]?.trim()).toBe(COPY_BANNER_TEXT);
    expect(first?.text).toContain('Tillwright');
    expect(emu.decodeErrors).toEqual([]);
  });

  it('runs one job at a time in order, and refuses a job beyond the capacity with a typed error', async () => {
    const emu = await emulator();
    const { device } = printerFor(emu.port, { queueCapacity: 2 });
    await enabled(device);

    const a = device.submit({ document: { blocks: [{ kind: 'text', text: 'A' }] } });
    const b = device.submit({ document: { blocks: [{ kind: 'text', text: 'B' }] } });
    let refused: unknown;
    try {
      device.submit({ document: { blocks: [{ kind: 'text', text: 'C' }] } });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DeviceError);
    expect(refused).toMatchObject({
      code: 'E_EXTENDED',
      retryable: true,
      details: { extended: 'QUEUE_FULL' },
    });
    expect([a.jobId, b.jobId]).toEqual(['job-1', 'job-2']);
    expect(() => device.submit({ id: 'job-2', bytes: Uint8Array.of(0x41) })).toThrow(DeviceError);

    expect((await a.done).outcome).toBe('confirmed');
    expect((await b.done).outcome).toBe('confirmed');
    expect(emu.receipts.map((r) => r.text.trim())).toEqual(['A', 'B']);
    expect(emu.connections).toBe(1); // one persistent link, not a connection per job
  });

  it('withdraws a job still waiting: it ends not-sent and never prints; a job on the wire cannot be withdrawn', async () => {
    const emu = await emulator();
    const { device } = printerFor(emu.port);
    await enabled(device);
    const a = device.submit({ document: { blocks: [{ kind: 'text', text: 'A' }] } });
    const b = device.submit({ document: { blocks: [{ kind: 'text', text: 'B' }] } });
    expect(device.cancel(b.jobId)).toBe(true);
    expect(device.cancel(b.jobId)).toBe(false);
    expect(await b.done).toMatchObject({
      outcome: 'not-sent',
      error: { details: { extended: 'CANCELLED' } },
    });
    expect((await a.done).outcome).toBe('confirmed');
    expect(device.cancel(a.jobId)).toBe(false);
    expect(emu.receipts.map((r) => r.text.trim())).toEqual(['A']);
  });

  it('refuses jobs unless enabled', async () => {
    const emu = await emulator();
    const { device } = printerFor(emu.port);
    expect(() => device.submit({ bytes: Uint8Array.of(0x41) })).toThrow(
      expect.objectContaining({ code: 'E_CLOSED' }),
    );
    await device.open();
    await device.claim();
    await expect(device.print({ bytes: Uint8Array.of(0x41) })).rejects.toMatchObject({ code: 'E_DISABLED' });
  });

  it('ASB: paper near-end, paper out, cover open and the drawer sensor arrive as status events', async () => {
    const emu = await emulator();
    const { device, statuses } = printerFor(emu.port);
    await enabled(device);
    expect(device.status).toEqual({
      online: true,
      coverOpen: false,
      paper: 'ok',
      drawerSensorHigh: false,
      error: false,
    });

    emu.setPaperNearEnd(true);
    expect(
      await statusWhere(device, statuses, (s) => s.kind === 'paper' && s.paper === 'near-end'),
    ).toMatchObject({
      source: 'asb',
      previous: 'ok',
    });
    emu.setPaperOut(true);
    expect(
      await statusWhere(device, statuses, (s) => s.kind === 'paper' && s.paper === 'empty'),
    ).toMatchObject({
      source: 'asb',
    });
    await statusWhere(device, statuses, (s) => s.kind === 'online' && !s.online);
    emu.setCoverOpen(true);
    expect(await statusWhere(device, statuses, (s) => s.kind === 'cover' && s.open)).toMatchObject({
      source: 'asb',
    });
    emu.setDrawerOpen(true);
    expect(await statusWhere(device, statuses, (s) => s.kind === 'drawer' && s.open)).toMatchObject({
      sensorHigh: true,
      source: 'asb',
    });
    emu.setDrawerOpen(false);
    // Frames arrive in order on one socket: waiting for the last paper change covers the ones before it.
    emu.setCoverOpen(false);
    emu.setPaperOut(false);
    emu.setPaperNearEnd(false);
    await statusWhere(
      device,
      statuses,
      (s) => s.kind === 'paper' && s.paper === 'ok' && s.previous === 'near-end',
    );
    const seen = (kind: string) =>
      statuses.filter((s) => s.kind === kind).map((s) => JSON.stringify({ ...s, at: 0 }));
    expect(seen('paper').map((s) => JSON.parse(s).paper)).toEqual([
      'ok',
      'near-end',
      'empty',
      'near-end',
      'ok',
    ]);
    expect(seen('cover').map((s) => JSON.parse(s).open)).toEqual([false, true, false]);
    expect(seen('online').map((s) => JSON.parse(s).online)).toEqual([true, false, true]);
    expect(seen('drawer').map((s) => JSON.parse(s).open)).toEqual([false, true, false]);
  });

  it('DLE EOT (a profile without ASB): paper out and cover open surface as status events on refresh', async () => {
    const emu = await emulator();
    const asbRequests: number[] = [];
    emu.on('asb-frame', (frame) => asbRequests.push(frame.length));
    const { device, statuses } = printerFor(emu.port, { profile: PROFILE_58MM });
    await enabled(device);

    emu.setPaperOut(true);
    await device.refreshStatus();
    expect(statuses).toContainEqual(
      expect.objectContaining({ kind: 'paper', paper: 'empty', source: 'dle-eot' }),
    );
    expect(statuses).toContainEqual(
      expect.objectContaining({ kind: 'online', online: false, source: 'dle-eot' }),
    );

    emu.setCoverOpen(true);
    const snapshot = await device.refreshStatus();
    expect(snapshot).toMatchObject({ coverOpen: true, paper: 'empty', online: false });
    expect(statuses).toContainEqual(
      expect.objectContaining({ kind: 'cover', open: true, source: 'dle-eot' }),
    );
    expect(statuses.filter((s) => s.kind === 'drawer')).toEqual([]); // the 58 mm profile has no sensor
    expect(asbRequests).toEqual([]); // ASB never armed on a profile without it
  });

  it('polls DLE EOT when asked to: paper out surfaces without a call', async () => {
    const emu = await emulator();
    const { device, statuses } = printerFor(emu.port, { profile: PROFILE_58MM, statusPollMs: 10 });
    await enabled(device);
    emu.setPaperOut(true);
    await statusWhere(device, statuses, (s) => s.kind === 'paper' && s.paper === 'empty');
  });

  it('paper out: a job is still confirmed delivered, with an E_OFFLINE error', async () => {
    const emu = await emulator({ paperOut: true });
    const { device } = printerFor(emu.port);
    await enabled(device);
    const result = await device.print({ id: 'p', document: RECEIPT });
    expect(result).toMatchObject({
      outcome: 'confirmed',
      status: { online: false },
      error: { code: 'E_OFFLINE', retryable: false },
    });
  });

  it('the printer goes away mid-job and comes back on the same port: partial, reconnect, the queue resumes', async () => {
    const first = await emulator({ resetAfterBytes: 400 });
    const port = first.port;
    const { device, statuses, errors } = printerFor(port);
    await enabled(device);
    // When the link drops, the printer is gone for good: close its server at once (no reconnect can reach it).
    device.on('status', (status) => {
      if (status.kind === 'power' && status.power === 'offline') void first.close();
    });

    const inFlight = await device.print({ id: 'big', document: bigReceipt(60) });
    expect(['partial', 'not-sent']).toContain(inFlight.outcome);
    expect(inFlight.outcome).not.toBe('confirmed');
    expect(inFlight.error).toMatchObject({ retryable: false });
    expect(first.receipts.filter((r) => r.cut)).toEqual([]);
    expect(device.power).toBe('offline');
    expect(errors.map((e) => e.error.code)).toContain('E_OFFLINE');

    // Queued while offline: it waits.
    const waiting = device.submit({ id: 'after', document: RECEIPT });
    expect(device.queued).toBe(1);

    const failedOnce = new Promise<void>((resolve) => device.supervisor?.once('failed', () => resolve()));
    await failedOnce; // a reconnect attempt met the closed port
    const second = await emulator({ port });
    const order: string[] = [];
    second.on('status-request', (kind) => order.push(`status-${kind}`));
    second.on('receipt', () => order.push('receipt'));
    const reconnected = new Promise((resolve) => device.supervisor?.once('reconnected', resolve));

    await reconnected;
    const result = await waiting.done;
    expect(result).toMatchObject({ jobId: 'after', outcome: 'confirmed' });
    expect(device.power).toBe('online');
    // Fresh DLE EOT 1..4 before the queued job, then the job, then its confirming DLE EOT 1.
    expect(order).toEqual(['status-1', 'status-2', 'status-3', 'status-4', 'receipt', 'status-1']);
    expect(statuses).toContainEqual(
      expect.objectContaining({ kind: 'power', power: 'online', reason: 'reconnected' }),
    );
  });

  it('jobs still waiting when the printer is released are answered not-sent', async () => {
    const emu = await emulator();
    const { device, statuses } = printerFor(emu.port);
    await enabled(device);
    await emu.close();
    await statusWhere(device, statuses, (s) => s.kind === 'power' && s.power === 'offline');
    const waiting = device.submit({ id: 'w', bytes: Uint8Array.of(0x41, 0x0a) });
    await device.close();
    expect(await waiting.done).toMatchObject({
      jobId: 'w',
      outcome: 'not-sent',
      error: { code: 'E_CLOSED' },
    });
  });
});
