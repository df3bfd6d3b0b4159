/**
 * The printer emulator as a command: argument parsing, receipt rendering and the run loop, kept apart from the
 * executable (printer-emulator-cli.ts) so that tests can drive it in-process.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DecodedLine, DecodedReceipt } from '../printer/receipt-assembler.js';
import { type PrinterEmulator, startPrinterEmulator } from './printer-emulator.js';
import { renderReceiptPng } from './receipt-png.js';

/** Font A is 12 dots wide: 48 columns on 80 mm paper (576 dots), 32 on 58 mm (384 dots). */
const DOTS_PER_COLUMN = 12;

export const USAGE = `usage: tillwright-printer-emulator [--port N] [--host H] [--out DIR] [--columns N]
  --port N      TCP port to listen on, 0–65535 (default 9100; 0 picks a free port)
  --host H      address to bind (default 127.0.0.1)
  --out DIR     also write each receipt to DIR/receipt-<n>.txt and a picture of it to receipt-<n>.png
  --columns N   paper width in characters for rendering, 8–255 (default 48)`;

export interface EmulatorCliArgs {
  port: number;
  host: string;
  out?: string;
  columns: number;
  help: boolean;
}

/** Bad command-line arguments; the message is meant for the person who typed them. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  readonly code = 'usage';
  readonly retryable = false;
}

export function parseEmulatorCliArgs(argv: readonly string[]): EmulatorCliArgs {
  let values: { port?: string; host?: string; out?: string; columns?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        out: { type: 'string' },
        columns: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new CliUsageError(err instanceof Error ? err.message : String(err), { cause: err });
  }
  const port = integerArg('--port', values.port ?? '9100', 0, 65535);
  const columns = integerArg('--columns', values.columns ?? '48', 8, 255);
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new CliUsageError('--host must not be empty');
  if (values.out !== undefined && values.out.trim() === '')
    throw new CliUsageError('--out must not be empty');
  return {
    port,
    host,
    columns,
    help: values.help ?? false,
    ...(values.out === undefined ? {} : { out: values.out }),
  };
}

function integerArg(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new CliUsageError(`${name} must be a whole number, got '${raw}'`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new CliUsageError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** The receipt as it would look on paper: alignment applied, double-width text letter-spaced. */
export function renderReceiptLines(receipt: DecodedReceipt, columns: number): string[] {
  const lines = receipt.lines.map((line) => renderLine(line, columns));
  for (const qr of receipt.qrCodes) lines.push(`[QR] ${qr}`);
  return lines;
}

function renderLine(line: DecodedLine, columns: number): string {
  const text = line.widthScale > 1 ? Array.from(line.text).join(' '.repeat(line.widthScale - 1)) : line.text;
  const width = Array.from(line.text).length * line.widthScale;
  const free = Math.max(0, columns - width);
  const indent = line.align === 'center' ? Math.floor(free / 2) : line.align === 'right' ? free : 0;
  return ' '.repeat(indent) + text;
}

/** The receipt in a box, for a terminal. */
export function renderReceiptBox(receipt: DecodedReceipt, columns: number, title: string): string {
  const body = renderReceiptLines(receipt, columns).map((line) => {
    const chars = Array.from(line);
    return `│${line}${' '.repeat(Math.max(0, columns - chars.length))}│`;
  });
  const footer = receipt.cut ? ' cut ' : ' no cut ';
  return [`┌${frame(` ${title} `, columns)}┐`, ...body, `└${frame(footer, columns)}┘`].join('\n');
}

function frame(label: string, columns: number): string {
  const left = Math.max(0, Math.floor((columns - label.length) / 2));
  return `${'─'.repeat(left)}${label}${'─'.repeat(Math.max(0, columns - left - label.length))}`;
}

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

export interface RunningEmulatorCli {
  emulator: PrinterEmulator;
  /** Close the emulator and wait for receipt files still being written. */
  stop(): Promise<void>;
}

/** Start the emulator and wire its events to `io` and to receipt files. */
export async function runEmulatorCli(args: EmulatorCliArgs, io: CliIo): Promise<RunningEmulatorCli> {
  if (args.out !== undefined) await mkdir(args.out, { recursive: true });
  const emulator = await startPrinterEmulator({ host: args.host, port: args.port });
  const writes = new Set<Promise<void>>();
  let count = 0;
  emulator.on('receipt', (receipt) => {
    count += 1;
    io.stdout(renderReceiptBox(receipt, args.columns, `receipt ${count}`));
    if (args.out === undefined) return;
    const file = path.join(args.out, `receipt-${count}.txt`);
    const picture = path.join(args.out, `receipt-${count}.png`);
    const png = renderReceiptPng(receipt, {
      dotsPerLine: args.columns * DOTS_PER_COLUMN,
      columns: args.columns,
    });
    const write = Promise.all([
      writeFile(file, `${renderReceiptLines(receipt, args.columns).join('\n')}\n`),
      writeFile(picture, png),
    ]).then(
      () => undefined,
      (err: unknown) =>
        io.stderr(`could not write ${file}: ${err instanceof Error ? err.message : String(err)}`),
    );
    writes.add(write);
    void write.finally(() => writes.delete(write));
  });
  emulator.on('drawer-kick', (kick) => {
    io.stdout(
      `drawer kick: pin ${kick.pin === 0 ? 2 : 5} (${kick.realtime ? 'DLE DC4, real-time' : 'ESC p'})`,
    );
  });
  emulator.on('decode-error', (error) => io.stderr(`decode error (${error.code}): ${error.message}`));
  emulator.on('connection-error', (error) => io.stderr(`connection error: ${error.message}`));
  io.stdout(`printer emulator listening on ${args.host}:${emulator.port}`);
  return {
    emulator,
    stop: async () => {
      await emulator.close();
      await Promise.all(writes);
    },
  };
}
