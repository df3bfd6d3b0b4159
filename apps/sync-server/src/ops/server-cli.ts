import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp, DEFAULT_HQ_RATE } from '../app.js';
import { newEnrolmentCode, newSecret } from '../auth/auth.js';
import { startMetricsListener } from '../routes/metrics-route.js';
import { createStore, describeDb } from '../store/create-store.js';
import type { ServerStore } from '../store/store.js';
import {
  CliUsageError,
  commandLineSecretWarnings,
  parseServerArgs,
  type ServerCliOptions,
} from './cli-options.js';
import { describeDemoEmployees, seedDemo } from './demo-seed.js';

/** Opens the store the options name; the harness's negative control passes one of its own. */
export type StoreOpener = (options: ServerCliOptions) => Promise<ServerStore>;

const openConfiguredStore: StoreOpener = (options) =>
  createStore(options.db, options.dataDir, {
    onIdleError: (error) => process.stderr.write(`database connection lost while idle: ${error.message}\n`),
  });

/** The sync server process: parse the command line, open the store, seed the demo, listen, stop on a signal. */
export function runServerCli(openStore: StoreOpener = openConfiguredStore): void {
  main(openStore).catch((error: unknown) => {
    if (error instanceof CliUsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `sync server failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });
}

async function main(openStore: StoreOpener): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseServerArgs(argv, process.env);
  for (const warning of commandLineSecretWarnings(argv)) process.stderr.write(`${warning}\n`);
  mkdirSync(options.dataDir, { recursive: true });
  const store = await openStore(options);
  process.stdout.write(`storage: ${describeDb(options.db ?? join(options.dataDir, 'server.sqlite'))}\n`);
  if (options.demo) {
    // A fresh code on every start: a fixed one would let anyone who read it enrol a till of their own.
    const enrolmentCode = options.demoEnrolmentCode ?? newEnrolmentCode();
    const adminPassword = options.adminPassword ?? newSecret().slice(0, 16);
    await seedDemo(store, { enrolmentCode, adminPassword }, new Date());
    const shown = options.adminPassword ? '(as given)' : adminPassword;
    process.stdout.write(
      `demo seeded: enrolment code ${enrolmentCode} (single use, valid 24 h), HQ user admin, password ${shown}\n` +
        `demo employees: ${describeDemoEmployees()}\n`,
    );
  }
  const { app, context } = buildApp({
    store,
    logLevel: options.logLevel,
    ingest: {
      maxActive: options.maxIngest,
      maxQueued: options.ingestQueue,
      maxWaitMs: options.ingestMaxWait * 1000,
      perAddress: options.ingestPerAddress,
      perTerminal: options.ingestPerTerminal,
      pace: { firstByteMs: options.bodyFirstByte * 1000, minBytesPerSecond: options.bodyMinRate },
    },
    connections: {
      perAddress: options.connectionsPerAddress,
      requestMs: options.requestTimeout * 1000,
    },
    ...(options.trustProxy === undefined ? {} : { trustProxy: trustedProxies(options.trustProxy) }),
    ...(options.metricsToken === undefined ? {} : { metricsToken: options.metricsToken }),
    addressRate: { perSecond: options.addressRate, burst: options.addressBurst },
    terminalRate: { perSecond: options.terminalRate, burst: options.terminalBurst },
    hqRate: DEFAULT_HQ_RATE,
  });
  const address = await app.listen({ port: options.port, host: options.host });
  process.stdout.write(`sync server listening on ${address}\n`);
  const metricsListener =
    options.metricsPort === undefined
      ? null
      : await startMetricsListener(context, {
          host: options.metricsHost,
          port: options.metricsPort,
          ...(options.metricsToken === undefined ? {} : { token: options.metricsToken }),
        });
  if (metricsListener) process.stdout.write(`metrics at ${metricsListener.url}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`sync server stopping (${signal})\n`);
    await metricsListener?.close();
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** `--trust-proxy`: a comma-separated list of the proxies' addresses, CIDR ranges or names ('loopback'). */
function trustedProxies(value: string): string[] {
  return value.split(',').map((part) => part.trim());
}
