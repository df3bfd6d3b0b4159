#!/usr/bin/env node
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowserServer } from './browser-server.js';
import { CliUsageError, commandLineSecretWarnings, parseTerminalArgs } from './cli-options.js';
import { TerminalHost } from './terminal-host.js';

/** Browser mode: the terminal host as a plain Node process, serving the renderer to a local browser. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseTerminalArgs(argv, process.env);
  for (const warning of commandLineSecretWarnings(argv)) process.stderr.write(`${warning}\n`);
  mkdirSync(options.dataDir, { recursive: true });
  const host = new TerminalHost({
    dataDir: options.dataDir,
    serverUrl: options.server,
    enrolmentCode: options.enrolmentCode,
    terminalName: options.terminalName,
    printer: options.printer,
    simulators: options.simulators,
    currency: options.currency,
    storeName: options.storeName,
    taxJurisdiction: options.taxJurisdiction,
  });
  host.start();
  const rendererDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
  const browser = await startBrowserServer(host, { rendererDir, port: options.port });
  process.stdout.write(`terminal UI at ${browser.url}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`terminal stopping (${signal})\n`);
    await browser.close();
    await host.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof CliUsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`terminal failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
