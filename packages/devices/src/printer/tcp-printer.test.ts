import { once } from 'node:events';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../errors.js';
import { emulatorFixture } from '../testing/emulator-fixture.js';
import { encodeReceipt } from './escpos-encoder.js';
import { PROFILE_80MM, type ReceiptDocument } from './receipt-document.js';
import { TcpPrinter, type TcpPrinterOptions } from './tcp-printer.js';

const { emulator } = emulatorFixture();

function printerFor(port: number, options: Partial<TcpPrinterOptions> = {}): TcpPrinter {
  return new TcpPrinter({ host: '127.0.0.1', port, statusTimeoutMs: 2000, ...options });
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

describe('TcpPrinter against the emulator', () => {
  it('prints a document: confirmed, and the emulator decodes the same text', async () => {
    const emu = await emulator();
    const result = await printerFor(emu.port).print('job-1', encodeReceipt(RECEIPT, PROFILE_80MM));

    expect(result).toEqual({
      jobId: 'job-1',
      outcome: 'confirmed',
      status: { online: true, drawerSensorHigh: false, bytes: [0x12] },
    });
    expect(emu.receipts).toEqual([
      expect.objectContaining({
        text: `${' '.repeat(19)}Tillwright\nFlat white${' '.repeat(32)}€ 4,20`, // centred with spaces
        qrCodes: ['R-0001'],
        cut: true,
      }),
    ]);
    expect(emu.decodeErrors).toEqual([]);
  });

  it('kickDrawer sends exactly one kick; the status shows the drawer sensor', async () => {
    const emu = await emulator();
    const kicks: unknown[] = [];
    emu.on('drawer-kick', (kick) => kicks.push(kick));

    const result = await printerFor(emu.port).kickDrawer('kick-1');

    expect(result).toEqual({
      jobId: 'kick-1',
      outcome: 'confirmed',
      status: { online: true, drawerSensorHigh: true, bytes: [0x16] },
    });
    expect(emu.drawerKicks).toBe(1);
    expect(kicks).toEqual([{ pin: 0, realtime: false }]);
    expect(emu.receipts).toEqual([]);
  });

  it('printing to a port with nothing listening is not-sent, offline and retryable', async () => {
    const port = await closedPort();
    const result = await printerFor(port).print('job-2', encodeReceipt(RECEIPT, PROFILE_80MM));
    expect(result.outcome).toBe('not-sent');
    expect(result.error).toBeInstanceOf(DeviceError);
    expect(result.error).toMatchObject({
      code: 'E_OFFLINE',
      retryable: true,
      details: { code: 'ECONNREFUSED' },
    });
  });

  it('a drawer kick that was not sent is still never retryable', async () => {
    const result = await printerFor(await closedPort()).kickDrawer('kick-2', 1);
    expect(result).toMatchObject({ outcome: 'not-sent', error: { code: 'E_OFFLINE', retryable: false } });
  });

  it('a connection reset mid-job is partial, never confirmed', async () => {
    const emu = await emulator({ resetAfterBytes: 20 });
    const result = await printerFor(emu.port).print('job-3', encodeReceipt(RECEIPT, PROFILE_80MM));
    expect(result.outcome).toBe('partial');
    expect(result.error).toMatchObject({ code: 'E_FAILURE', retryable: false });
    expect(emu.receipts.filter((r) => r.cut)).toEqual([]);
  });

  it('a reset while a large job is still being written is partial too', async () => {
    const emu = await emulator({ resetAfterBytes: 64 * 1024 });
    // 16 MiB: more than loopback socket buffers hold, so the write is still in progress at the reset.
    const bytes = new Uint8Array(16 * 1024 * 1024).fill(0x41);
    const result = await printerFor(emu.port).print('job-4', bytes);
    expect(result.outcome).toBe('partial');
    expect(result.error).toMatchObject({ code: 'E_FAILURE', retryable: false });
    expect(result.error?.message).toMatch(/while sending/);
  });

  it('paper out: the job is confirmed delivered but the result says the printer is offline', async () => {
    const emu = await emulator({ paperOut: true });
    const printer = printerFor(emu.port);

    const result = await printer.print('job-5', encodeReceipt(RECEIPT, PROFILE_80MM));
    expect(result).toMatchObject({
      outcome: 'confirmed',
      status: { online: false, bytes: [0x1a] },
      error: { code: 'E_OFFLINE', retryable: false },
    });
    expect(await printer.queryStatus()).toEqual({
      ok: true,
      status: {
        online: false,
        drawerSensorHigh: false,
        coverOpen: false,
        paper: 'empty',
        bytes: [0x1a, 0x32, 0x72],
      },
    });

    emu.setPaperOut(false);
    expect(await printer.queryStatus()).toEqual({
      ok: true,
      status: {
        online: true,
        drawerSensorHigh: false,
        coverOpen: false,
        paper: 'ok',
        bytes: [0x12, 0x12, 0x12],
      },
    });
  });

  it('a printer that never answers status gives sent-unconfirmed after statusTimeoutMs', async () => {
    const emu = await emulator({ answerStatus: false });
    const received = once(emu, 'receipt');
    const result = await printerFor(emu.port, { statusTimeoutMs: 50 }).print(
      'job-6',
      encodeReceipt(RECEIPT, PROFILE_80MM),
    );
    expect(result).toMatchObject({
      outcome: 'sent-unconfirmed',
      error: { code: 'E_TIMEOUT', retryable: false },
    });
    await received;
    expect(emu.receipts).toHaveLength(1);
  });

  it('runs jobs on one printer one at a time, in call order', async () => {
    const emu = await emulator();
    const printer = printerFor(emu.port);
    const doc = (text: string) => encodeReceipt({ blocks: [{ kind: 'text', text }] }, PROFILE_80MM);
    const results = await Promise.all([printer.print('a', doc('first')), printer.print('b', doc('second'))]);
    expect(results.map((r) => [r.jobId, r.outcome])).toEqual([
      ['a', 'confirmed'],
      ['b', 'confirmed'],
    ]);
    expect(emu.receipts.map((r) => r.text)).toEqual(['first', 'second']);
    expect(emu.connections).toBe(2);
  });

  it('refuses nonsense options with a typed error', () => {
    expect(() => new TcpPrinter({ host: '127.0.0.1', port: 0 })).toThrowError(
      expect.objectContaining({ code: 'E_ILLEGAL' }),
    );
    expect(() => new TcpPrinter({ host: '', port: 9100 })).toThrowError(DeviceError);
    expect(() => new TcpPrinter({ host: 'h', port: 9100, statusTimeoutMs: -1 })).toThrowError(DeviceError);
  });
});
