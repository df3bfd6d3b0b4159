#!/usr/bin/env node
/**
 * tillwright-printer-emulator: a TCP 9100 ESC/POS printer on this machine. Prints each receipt it receives in a
 * box (and to --out DIR/receipt-<n>.txt and .png), logs drawer kicks, and exits cleanly on SIGINT/SIGTERM.
 */
import { CliUsageError, parseEmulatorCliArgs, runEmulatorCli, USAGE } from './emulator-cli.js';

async function main(): Promise<number> {
  let args: ReturnType<typeof parseEmulatorCliArgs>;
  try {
    args = parseEmulatorCliArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    process.stderr.write(`tillwright-printer-emulator: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const running = await runEmulatorCli(args, {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
  process.stdout.write(`printer emulator stopped (${signal})\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // System errors (e.g. "listen EADDRINUSE: address already in use 127.0.0.1:9100") are clear on their own;
    // anything else is a bug, so show where it came from.
    const systemError = err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
    const text =
      err instanceof Error ? (systemError ? err.message : (err.stack ?? err.message)) : String(err);
    process.stderr.write(`tillwright-printer-emulator: ${text}\n`);
    process.exitCode = 1;
  },
);
