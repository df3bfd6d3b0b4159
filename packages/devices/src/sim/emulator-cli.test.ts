import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { drawerKickBytes } from '../printer/escpos-commands.js';
import { PROFILE_58MM } from '../printer/profiles.js';
import type { DecodedReceipt } from '../printer/receipt-assembler.js';
import { createTcpPrinterDevice } from '../printer/serial-printer.js';
import {
  CliUsageError,
  parseEmulatorCliArgs,
  renderReceiptBox,
  renderReceiptLines,
  runEmulatorCli,
} from './emulator-cli.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('parseEmulatorCliArgs', () => {
  it('defaults to 127.0.0.1:9100, 48 columns, no output directory', () => {
    expect(parseEmulatorCliArgs([])).toEqual({ port: 9100, host: '127.0.0.1', columns: 48, help: false });
  });

  it('accepts --port, --host, --out, --columns (also as --name=value)', () => {
    expect(
      parseEmulatorCliArgs(['--port', '0', '--host', '::1', '--out=receipts', '--columns', '32']),
    ).toEqual({
      port: 0,
      host: '::1',
      out: 'receipts',
      columns: 32,
      help: false,
    });
  });

  it.each([
    [['--port', 'abc'], /--port must be a whole number, got 'abc'/],
    [['--port', '70000'], /--port must be between 0 and 65535, got 70000/],
    [['--port', '-1'], /--port/],
    [['--columns', '4'], /--columns must be between 8 and 255/],
    [['--host', ''], /--host must not be empty/],
    [['--out', ' '], /--out must not be empty/],
    [['--bogus'], /bogus/],
    [['extra'], /extra/],
    [['--port'], /--port/],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parseEmulatorCliArgs(argv)).toThrowError(CliUsageError);
    expect(() => parseEmulatorCliArgs(argv)).toThrowError(message);
  });
});

const RECEIPT: DecodedReceipt = {
  text: 'SHOP\nTea       2.00',
  lines: [
    { text: 'SHOP', align: 'center', bold: true, widthScale: 2, heightScale: 2 },
    { text: 'Tea       2.00', align: 'left', bold: false, widthScale: 1, heightScale: 1 },
    { text: 'bye', align: 'right', bold: false, widthScale: 1, heightScale: 1 },
  ],
  qrCodes: ['R-9'],
  images: [],
  items: [],
  cut: true,
};

describe('receipt rendering', () => {
  it('applies alignment and letter-spaces double-width text', () => {
    expect(renderReceiptLines(RECEIPT, 14)).toEqual([
      '   S H O P',
      'Tea       2.00',
      '           bye',
      '[QR] R-9',
    ]);
  });

  it('draws a box with the title and whether the paper was cut', () => {
    expect(renderReceiptBox(RECEIPT, 14, 'receipt 1')).toBe(
      [
        '┌─ receipt 1 ──┐',
        '│   S H O P    │',
        '│Tea       2.00│',
        '│           bye│',
        '│[QR] R-9      │',
        '└──── cut ─────┘',
      ].join('\n'),
    );
    expect(renderReceiptBox({ ...RECEIPT, lines: [], qrCodes: [], cut: false }, 14, 'r')).toContain('no cut');
  });
});

describe('runEmulatorCli', () => {
  it('announces itself, prints each receipt in a box, writes it to --out, and logs drawer kicks', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'tillwright-emulator-'));
    cleanups.push(() => rm(out, { recursive: true, force: true }));
    const stdout: string[] = [];
    const stderr: string[] = [];
    const running = await runEmulatorCli(
      { port: 0, host: '127.0.0.1', out: path.join(out, 'nested'), columns: 32, help: false },
      { stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line) },
    );
    cleanups.push(() => running.stop());

    expect(stdout).toEqual([`printer emulator listening on 127.0.0.1:${running.emulator.port}`]);
    const printer = createTcpPrinterDevice({
      host: '127.0.0.1',
      port: running.emulator.port,
      profile: PROFILE_58MM,
    });
    cleanups.push(async () => {
      if (printer.lifecycle !== 'closed') await printer.close();
    });
    await printer.open();
    await printer.claim();
    await printer.enable();
    const doc = {
      blocks: [
        { kind: 'text' as const, text: 'Thank you', align: 'center' as const },
        { kind: 'columns' as const, left: 'Tea', right: '2.00' },
      ],
    };
    expect((await printer.print({ id: 'p1', document: doc })).outcome).toBe('confirmed');
    expect((await printer.print({ id: 'k1', bytes: drawerKickBytes(0) })).outcome).toBe('confirmed');
    await printer.close();
    await running.stop();

    expect(stdout[1]).toContain('│           Thank you            │');
    expect(stdout[2]).toBe('drawer kick: pin 2 (ESC p)');
    expect(await readFile(path.join(out, 'nested', 'receipt-1.txt'), 'utf8')).toBe(
      `           Thank you\nTea${' '.repeat(25)}2.00\n`,
    );
    const png = await readFile(path.join(out, 'nested', 'receipt-1.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBe(384); // IHDR width: 32 columns of 12 dots, 58 mm paper
    expect(stderr).toEqual([]);
  });
});
