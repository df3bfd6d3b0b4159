/**
 * USB printer at the byte level only (no USB hardware here): PrinterDevice over UsbPrinterTransport over the
 * in-memory UsbPrinterIo. Checks the exact bytes sent as bulk OUT transfers and the status bytes read back
 * through bulk IN, including ASB frames and an unplug mid-job.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fullJitterBackoff } from '../model/backoff.js';
import { seededRandom } from '../testing/bytes.js';
import { EscPosDecoder } from './escpos-decoder.js';
import { encodeReceipt } from './escpos-encoder.js';
import { asbFrameBytes, type SimulatedPrinterState, statusReplyByte } from './escpos-status.js';
import type { PrinterStatusEvent } from './printer-status.js';
import { PROFILE_80MM } from './profiles.js';
import { createUsbPrinter } from './serial-printer.js';
import { MemoryUsbPrinterIo, UsbPrinterTransport, webUsbPrinterIo } from './usb-printer.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fake USB printer: answers DLE EOT from `state` unless `answer` is false. */
function fakePrinter(io: MemoryUsbPrinterIo) {
  const state: SimulatedPrinterState = {
    paperOut: false,
    paperNearEnd: false,
    coverOpen: false,
    drawerSensorHigh: false,
  };
  const control = { state, answer: true };
  const decoder = new EscPosDecoder();
  io.onTransferOut = (bytes) => {
    for (const event of decoder.push(bytes)) {
      if (event.type === 'status-request' && control.answer) {
        io.deviceSends(Uint8Array.of(statusReplyByte(event.kind, state)));
      }
      if (event.type === 'asb-enable' && event.mask !== 0) io.deviceSends(asbFrameBytes(state));
    }
  };
  return control;
}

function usbPrinter(io: MemoryUsbPrinterIo, statusTimeoutMs = 2000) {
  const device = createUsbPrinter({
    io: () => io,
    profile: PROFILE_80MM,
    backoff: fullJitterBackoff({ baseMs: 20, capMs: 100, random: seededRandom(9) }),
    statusTimeoutMs,
  });
  const statuses: PrinterStatusEvent[] = [];
  device.on('status', (status) => {
    if (status.kind !== 'power' && status.kind !== 'lifecycle') statuses.push(status);
  });
  device.on('error', () => undefined);
  cleanups.push(async () => {
    if (device.lifecycle !== 'closed') await device.close();
  });
  return { device, statuses };
}

const DOC = { blocks: [{ kind: 'text' as const, text: 'USB receipt' }] };

describe('USB printer (byte level, in-memory UsbPrinterIo)', () => {
  it('writes GS a, DLE EOT 1..4, the job in bulk OUT transfers and DLE EOT 1; reads status via bulk IN', async () => {
    const io = new MemoryUsbPrinterIo();
    io.maxPacket = 64; // short writes: the transport loops until every byte is taken
    const printer = fakePrinter(io);
    const { device, statuses } = usbPrinter(io);
    await device.open();
    await device.claim();
    await device.enable();
    expect(io.claimed).toBe(true);

    const result = await device.print({ id: 'u-1', document: DOC });
    expect(result).toMatchObject({ jobId: 'u-1', outcome: 'confirmed', status: { bytes: [0x12] } });
    const job = encodeReceipt(DOC, PROFILE_80MM);
    expect([...io.written()]).toEqual([
      ...[0x1d, 0x61, 0x0f],
      ...[0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4],
      ...job,
      ...[0x10, 0x04, 1],
    ]);
    expect(io.transfers.every((transfer) => transfer.length <= 64)).toBe(true);

    printer.state.paperNearEnd = true;
    io.deviceSends(asbFrameBytes(printer.state)); // the printer reports the change on its own
    await new Promise<void>((resolve) => device.once('status', () => resolve()));
    expect(statuses.at(-1)).toMatchObject({ kind: 'paper', paper: 'near-end', source: 'asb' });

    await device.close();
    expect(io.claimed).toBe(false);
  });

  it('no answer to the DLE EOT after the job: sent-unconfirmed', async () => {
    const io = new MemoryUsbPrinterIo();
    const printer = fakePrinter(io);
    const { device } = usbPrinter(io, 50);
    await device.open();
    await device.claim();
    await device.enable();
    printer.answer = false;
    const result = await device.print({ id: 'u-2', document: DOC });
    expect(result).toMatchObject({
      outcome: 'sent-unconfirmed',
      error: { code: 'E_TIMEOUT', retryable: false },
    });
  });

  it('unplugged while the job waits for confirmation: partial, never confirmed', async () => {
    const io = new MemoryUsbPrinterIo();
    const printer = fakePrinter(io);
    const { device } = usbPrinter(io);
    await device.open();
    await device.claim();
    await device.enable();
    printer.answer = false;
    const pending = device.print({ id: 'u-3', document: DOC });
    io.onTransferOut = (bytes) => {
      if (bytes.at(-3) === 0x10 && bytes.at(-2) === 0x04) setImmediate(() => io.unplug());
    };
    const result = await pending;
    expect(result.outcome).toBe('partial');
    expect(device.power).toBe('offline');
  });

  it('the WebUSB adapter claims the printer-class interface and uses its bulk endpoints', async () => {
    const calls: string[] = [];
    const device = {
      vendorId: 0x04b8,
      productId: 0x0202,
      opened: false,
      configuration: {
        configurationValue: 1,
        interfaces: [
          {
            interfaceNumber: 0,
            alternates: [
              {
                interfaceClass: 7,
                endpoints: [
                  { endpointNumber: 1, direction: 'out', type: 'bulk' },
                  { endpointNumber: 2, direction: 'in', type: 'bulk' },
                ],
              },
            ],
          },
        ],
      },
      async open() {
        calls.push('open');
      },
      async close() {
        calls.push('close');
      },
      async selectConfiguration() {},
      async claimInterface(n: number) {
        calls.push(`claim ${n}`);
      },
      async releaseInterface(n: number) {
        calls.push(`release ${n}`);
      },
      async transferOut(endpoint: number, data: Uint8Array) {
        calls.push(`out ${endpoint} ${Buffer.from(data).toString('hex')}`);
        return { bytesWritten: data.length, status: 'ok' };
      },
      async transferIn(endpoint: number, length: number) {
        calls.push(`in ${endpoint} ${length}`);
        return { data: new DataView(Uint8Array.of(0x12).buffer), status: 'ok' };
      },
    };
    const io = webUsbPrinterIo(device);
    await io.claim();
    expect(await io.bulkOut(Uint8Array.of(0x10, 0x04, 0x01))).toBe(3);
    expect([...(await io.bulkIn(64))]).toEqual([0x12]);
    await io.release();
    expect(calls).toEqual(['open', 'claim 0', 'out 1 100401', 'in 2 64', 'release 0', 'close']);
    expect(UsbPrinterTransport).toBeTypeOf('function');
  });
});
