import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrinterEmulator, startPrinterEmulator } from '@tillwright/devices/sim';
import type { JournalEvent } from '@tillwright/protocol';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { allServerEvents, hqSession } from './observe.js';
import type { RunningProcess } from './processes.js';
import { startSyncServer, startTerminalHost } from './system.js';

export interface TillSystem {
  dataDir: string;
  server: RunningProcess;
  serverUrl: string;
  /** The demo HQ admin's session. */
  hqToken: string;
  printer: PrinterEmulator;
  terminal: RunningProcess;
  terminalUrl: string;
  ledgerPath: string;
  browser: Browser;
  /** A Chromium page, not yet on the till: add init scripts first if the test needs them. */
  page: Page;
  /** Stops everything started, in reverse order, and removes the data. */
  stop(): Promise<void>;
}

/**
 * One store's system in real processes: the sync server (demo org) with a printer emulator and a terminal host in
 * browser mode, enrolled, and Chromium with a page for it. `beforeTill` runs once HQ is up and before the till first
 * pulls (HQ's configuration and employees, say).
 */
export async function startTillSystem(options: {
  name: string;
  enrolmentCode: string;
  adminPassword?: string;
  viewport?: { width: number; height: number };
  beforeTill?: (serverUrl: string, hqToken: string) => Promise<void>;
}): Promise<TillSystem> {
  const adminPassword = options.adminPassword ?? 'e2e-admin-password';
  const dataDir = mkdtempSync(join(tmpdir(), `tillwright-e2e-${options.name}-`));
  const started: Partial<TillSystem> = { dataDir };
  const stop = async () => {
    await started.browser?.close();
    await started.terminal?.stop();
    await started.server?.stop();
    await started.printer?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    started.printer = await startPrinterEmulator({ port: 0 });
    const server = await startSyncServer({ dataDir, adminPassword, enrolmentCode: options.enrolmentCode });
    started.server = server.process;
    const hqToken = await hqSession(server.url, adminPassword);
    await options.beforeTill?.(server.url, hqToken);
    const host = await startTerminalHost({
      dataDir,
      serverUrl: server.url,
      enrolmentCode: options.enrolmentCode,
      printerPort: started.printer.port,
    });
    started.terminal = host.process;
    started.browser = await launchChromium();
    const page = await started.browser.newPage(options.viewport ? { viewport: options.viewport } : {});
    return {
      ...(started as TillSystem),
      serverUrl: server.url,
      hqToken,
      terminalUrl: host.url,
      ledgerPath: host.ledgerPath,
      page,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The payloads of the events of `type` HQ holds from this system's till (its paged REST read of all it stored). */
export async function payloadsAtHq(till: TillSystem, type: string): Promise<Record<string, unknown>[]> {
  return (await allServerEvents(till.serverUrl, till.hqToken))
    .map((item) => item.event as JournalEvent)
    .filter((event) => event.type === type)
    .map((event) => event.payload as Record<string, unknown>);
}
