/**
 * The TCP printer path's faults, over real loopback sockets and the printer emulator: TcpPrinterTransport and
 * PrinterDevice (createTcpPrinterDevice) when nothing listens, when the printer resets the connection mid-job or
 * while a large job is still being written, when it stops answering DLE EOT, and what DLE EOT reports over TCP.
 * (These were TcpPrinter's cases before the one-connection-per-job stack was removed; issue 14.)
 */
import { once } from 'node:events';
import net from 'node:net';
import type { ReceiptDocument } from '@tillwright/receipts';
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../errors.js';
import { fullJitterBackoff } from '../model/backoff.js';
import { seededRandom } from '../testing/bytes.js';
import { emulatorFixture } from '../testing/emulator-fixture.js';
import { drawerKickBytes } from './escpos-commands.js';
import type { PrinterDevice, PrinterDeviceOptions } from './printer-device.js';
import { TcpPrinterTransport } from './printer-transport.js';
import { createTcpPrinterDevice } from './serial-printer.js';

const { defer, emulator } = emulatorFixture();

function printerFor(port: number, options: Partial<Omit<PrinterDeviceOptions, 'transport'>> = {}) {
  const device = createTcpPrinterDevice({
    host: '127.0.0.1',
    port,
    backoff: fullJitterBackoff({ baseMs: 20, capMs: 100, random: seededRandom(3) }),
    statusTimeoutMs: 2000,
    ...options,
  });
  defer(async () => {
    if (device.lifecycle !== 'closed') await device.close();
  });
  return device;
}

async function enabled(device: PrinterDevice): Promise<PrinterDevice> {
  await device.open();
  await device.claim();
  await device.enable();
  return device;
}

/** A loopback port with nothing listening: bind one, then release it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const RECEIPT: ReceiptDocument = {
  blocks: [
    { kind: 'text', text: 'Tillwright', align: 'center', bold: true },
    { kind: 'columns', left: 'Flat white', right: '€ 4,20' },
    { kind: 'qr', data: 'R-0001' },
  ],
};

describe('the TCP printer path (TcpPrinterTransport, PrinterDevice) against real sockets', () => {
  it('a port with nothing listening: the link and the claim are refused offline and retryable', async () => {
    const port = await closedPort();
    const refused = { code: 'E_OFFLINE', retryable: true, details: { code: 'ECONNREFUSED' } };

    const transport = new TcpPrinterTransport({ host: '127.0.0.1', port });
    const opening = transport.open();
    await expect(opening).rejects.toBeInstanceOf(DeviceError);
    await expect(opening).rejects.toMatchObject(refused);

    const device = printerFor(port);
    await device.open();
    await expect(device.claim()).rejects.toMatchObject(refused);
    expect(device.lifecycle).toBe('opened');
    expect(() => device.submit({ bytes: Uint8Array.of(0x41) })).toThrow(
      expect.objectContaining({ code: 'E_NOTCLAIMED' }),
    );
  });

  it('refuses nonsense options with a typed error', () => {
    expect(() => createTcpPrinterDevice({ host: '127.0.0.1', port: 0 })).toThrowError(
      expect.objectContaining({ code: 'E_ILLEGAL' }),
    );
    expect(() => createTcpPrinterDevice({ host: '', port: 9100 })).toThrowError(DeviceError);
    expect(() => createTcpPrinterDevice({ host: 'h', port: 9100, statusTimeoutMs: -1 })).toThrowError(
      DeviceError,
    );
    expect(() => new TcpPrinterTransport({ host: 'h', port: 70000 })).toThrowError(
      expect.objectContaining({ code: 'E_ILLEGAL' }),
    );
    expect(() => new TcpPrinterTransport({ host: 'h', port: 9100, connectTimeoutMs: 0 })).toThrowError(
      expect.objectContaining({ code: 'E_ILLEGAL' }),
    );
  });

  it('a connection reset mid-job is partial, never confirmed', async () => {
    // ASB enable (3 bytes) and DLE EOT 1..4 (12 bytes) come first: the reset falls inside the job.
    const emu = await emulator({ resetAfterBytes: 20 });
    const device = await enabled(printerFor(emu.port));
    const result = await device.print({ id: 'job-3', document: RECEIPT });
    expect(result.outcome).toBe('partial');
    expect(result.error).toMatchObject({ code: 'E_FAILURE', retryable: false });
    expect(emu.receipts.filter((r) => r.cut)).toEqual([]);
  });

  it('a reset while a large job is still being written is partial too', async () => {
    const emu = await emulator({ resetAfterBytes: 64 * 1024 });
    const device = await enabled(printerFor(emu.port));
    // 16 MiB: more than loopback socket buffers hold, so the write is still in progress at the reset.
    const bytes = new Uint8Array(16 * 1024 * 1024).fill(0x41);
    const result = await device.print({ id: 'job-4', bytes });
    expect(result.outcome).toBe('partial');
    expect(result.error).toMatchObject({ code: 'E_FAILURE', retryable: false });
    expect(result.error?.message).toMatch(/partly printed|while sending/);
  });

  it('a printer that stops answering status gives sent-unconfirmed after statusTimeoutMs', async () => {
    const emu = await emulator();
    const device = await enabled(printerFor(emu.port, { statusTimeoutMs: 50 }));
    emu.setAnswerStatus(false);
    const received = once(emu, 'receipt');
    const result = await device.print({ id: 'job-6', document: RECEIPT });
    expect(result).toMatchObject({
      outcome: 'sent-unconfirmed',
      error: { code: 'E_TIMEOUT', retryable: false },
    });
    await received;
    expect(emu.receipts).toHaveLength(1);
  });

  it('a status query the printer does not answer rejects with E_TIMEOUT after statusTimeoutMs', async () => {
    const emu = await emulator();
    const device = await enabled(printerFor(emu.port, { statusTimeoutMs: 50 }));
    emu.setAnswerStatus(false);
    await expect(device.refreshStatus()).rejects.toMatchObject({ code: 'E_TIMEOUT', retryable: false });
  });

  it('paper out over DLE EOT: the job is confirmed with the offline status byte; a refresh sees the recovery', async () => {
    const emu = await emulator({ paperOut: true });
    const device = await enabled(printerFor(emu.port));

    const result = await device.print({ id: 'job-5', document: RECEIPT });
    expect(result).toMatchObject({
      outcome: 'confirmed',
      status: { online: false, bytes: [0x1a] },
      error: { code: 'E_OFFLINE', retryable: false },
    });
    expect(await device.refreshStatus()).toEqual({
      online: false,
      drawerSensorHigh: false,
      coverOpen: false,
      paper: 'empty',
      error: false,
    });

    emu.setPaperOut(false);
    expect(await device.refreshStatus()).toEqual({
      online: true,
      drawerSensorHigh: false,
      coverOpen: false,
      paper: 'ok',
      error: false,
    });
  });

  it('a drawer kick as a raw job: exactly one kick, confirmed with the drawer sensor in the status', async () => {
    const emu = await emulator();
    const kicks: unknown[] = [];
    emu.on('drawer-kick', (kick) => kicks.push(kick));
    const device = await enabled(printerFor(emu.port));

    const result = await device.print({ id: 'kick-1', bytes: drawerKickBytes(0) });

    expect(result).toEqual({
      jobId: 'kick-1',
      outcome: 'confirmed',
      copy: false,
      status: { online: true, drawerSensorHigh: true, bytes: [0x16] },
    });
    expect(emu.drawerKicks).toBe(1);
    expect(kicks).toEqual([{ pin: 0, realtime: false }]);
    expect(emu.receipts).toEqual([]);
  });
});
