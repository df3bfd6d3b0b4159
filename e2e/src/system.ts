import { join } from 'node:path';
import { eventually, type RunningProcess, startProcess } from './processes.js';

/**
 * The real sync server process on SQLite in `dataDir/server`, seeded with the demo org and the given secrets, which
 * it gets in its environment as `npm start` gives them.
 */
export async function startSyncServer(options: {
  dataDir: string;
  adminPassword: string;
  enrolmentCode: string;
  port?: number;
  /** Another entry point with the same arguments (the harness's deliberately broken server). */
  script?: string;
}): Promise<{ process: RunningProcess; url: string }> {
  const { process, match } = await startProcess(
    options.script ?? 'apps/sync-server/dist/cli.js',
    ['--demo', '--port', String(options.port ?? 0), '--data-dir', join(options.dataDir, 'server')],
    /sync server listening on (\S+)/,
    {
      env: {
        TILLWRIGHT_ADMIN_PASSWORD: options.adminPassword,
        TILLWRIGHT_DEMO_ENROLMENT_CODE: options.enrolmentCode,
      },
    },
  );
  return { process, url: match[1]! };
}

/**
 * The real terminal host in browser mode with simulators, in `dataDir/terminal`, enrolled before it returns (unless
 * it is a restart of an enrolled terminal, which may well be offline).
 */
export async function startTerminalHost(options: {
  dataDir: string;
  serverUrl: string;
  enrolmentCode: string;
  printerPort?: number;
  terminalName?: string;
  waitForEnrolment?: boolean;
  /** The browser-mode UI port (default: any free one). */
  port?: number;
  /** More environment for the host process (e.g. a shifted clock: see fake-clock.ts). */
  env?: Record<string, string>;
}): Promise<{ process: RunningProcess; url: string; ledgerPath: string }> {
  const printer = options.printerPort ? ['--printer', `tcp://127.0.0.1:${options.printerPort}`] : [];
  const { process, match } = await startProcess(
    'apps/terminal/dist/host/cli.js',
    [
      '--server',
      options.serverUrl,
      ...printer,
      '--port',
      String(options.port ?? 0),
      '--simulators',
      '--data-dir',
      join(options.dataDir, 'terminal'),
      ...(options.terminalName ? ['--terminal-name', options.terminalName] : []),
    ],
    /terminal UI at (\S+)/,
    { env: { TILLWRIGHT_ENROLMENT_CODE: options.enrolmentCode, ...options.env } },
  );
  if (options.waitForEnrolment === false) {
    return { process, url: match[1]!, ledgerPath: join(options.dataDir, 'terminal', 'ledger.sqlite') };
  }
  await eventually(() => (/enrolled as/.test(process.output()) ? true : undefined), 'terminal enrolment');
  return { process, url: match[1]!, ledgerPath: join(options.dataDir, 'terminal', 'ledger.sqlite') };
}
