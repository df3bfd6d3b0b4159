import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_BODY_PACE } from '../admission/body-pace.js';
import { DEFAULT_CONNECTION_LIMITS } from '../admission/connection-limits.js';
import { DEFAULT_INGEST_PER_ADDRESS, DEFAULT_INGEST_PER_TERMINAL } from '../admission/ingest-admission.js';
import {
  DEFAULT_MAX_INGEST_ACTIVE,
  DEFAULT_MAX_INGEST_QUEUED,
  DEFAULT_MAX_INGEST_WAIT_MS,
} from '../admission/ingest-gate.js';
import { isPostgresUrl } from '../store/db-url.js';

const Options = z.strictObject({
  port: z.coerce.number().int().min(0).max(65535).default(8787),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).default('.tillwright-data/server'),
  db: z.string().min(1).optional(),
  demo: z.boolean().default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
  demoEnrolmentCode: z.string().min(6).max(64).optional(),
  adminPassword: z.string().min(8).max(256).optional(),
  maxIngest: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_MAX_INGEST_ACTIVE),
  ingestQueue: z.coerce.number().int().min(0).max(100_000).default(DEFAULT_MAX_INGEST_QUEUED),
  ingestMaxWait: z.coerce
    .number()
    .positive()
    .max(600)
    .default(DEFAULT_MAX_INGEST_WAIT_MS / 1000),
  addressRate: z.coerce.number().positive().max(1_000_000).default(500),
  addressBurst: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  terminalRate: z.coerce.number().positive().max(1_000_000).default(100),
  terminalBurst: z.coerce.number().int().min(1).max(1_000_000).default(200),
  ingestPerAddress: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_INGEST_PER_ADDRESS),
  ingestPerTerminal: z.coerce.number().int().min(1).max(100).default(DEFAULT_INGEST_PER_TERMINAL),
  bodyFirstByte: z.coerce
    .number()
    .positive()
    .max(600)
    .default(DEFAULT_BODY_PACE.firstByteMs / 1000),
  bodyMinRate: z.coerce.number().int().min(1).max(1e9).default(DEFAULT_BODY_PACE.minBytesPerSecond),
  connectionsPerAddress: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(DEFAULT_CONNECTION_LIMITS.perAddress),
  requestTimeout: z.coerce
    .number()
    .positive()
    .max(3600)
    .default(DEFAULT_CONNECTION_LIMITS.requestMs / 1000),
  // 'true' would believe the client's own X-Forwarded-For whoever sent it: name the proxies instead.
  trustProxy: z
    .string()
    .min(1)
    .max(1000)
    .refine(
      (value) => value.trim() !== 'true',
      'name the proxies (addresses, CIDR ranges or loopback), not true',
    )
    .optional(),
  metricsToken: z.string().min(16).max(256).optional(),
  metricsHost: z.string().min(1).default('127.0.0.1'),
  metricsPort: z.coerce.number().int().min(0).max(65535).optional(),
});
export type ServerCliOptions = z.infer<typeof Options>;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export const USAGE = `usage: tillwright-sync-server [--port N] [--host H] [--data-dir DIR] [--db FILE|URL]
                             [--demo] [--admin-password PASSWORD]
                             [--log-level fatal|error|warn|info|debug|silent]
                             [--max-ingest N] [--ingest-queue N] [--ingest-max-wait SECONDS]
                             [--address-rate N] [--address-burst N]
                             [--terminal-rate N] [--terminal-burst N]
                             [--ingest-per-address N] [--ingest-per-terminal N]
                             [--body-first-byte SECONDS] [--body-min-rate BYTES]
                             [--connections-per-address N] [--request-timeout SECONDS] [--trust-proxy LIST]
                             [--metrics-token TOKEN] [--metrics-port N] [--metrics-host H]
  --db             a SQLite file (default DATA_DIR/server.sqlite) or a postgres:// (postgresql://) URL; also read
                   from TILLWRIGHT_DB, which keeps a password out of the process list
  --demo           seed a demo org, store, catalog, HQ admin (user name admin) and a random single-use enrolment
                   code valid 24 h, printed at start (TILLWRIGHT_DEMO_ENROLMENT_CODE names a known one, for tests)
  --admin-password the demo admin's password; better TILLWRIGHT_ADMIN_PASSWORD, which keeps it out of the process
                   list that every user of the machine can read (random and printed if neither is given)
  --log-level      structured JSON logs on stdout at this level (default info)
  --max-ingest     journal batches received and worked on at once, all terminals together (default ${DEFAULT_MAX_INGEST_ACTIVE})
  --ingest-queue   more batches that may wait their turn, bodies not yet read (default ${DEFAULT_MAX_INGEST_QUEUED}); a push beyond
                   it, or one that would wait longer than --ingest-max-wait seconds (default ${DEFAULT_MAX_INGEST_WAIT_MS / 1000}), is answered 429
                   with a jittered Retry-After before any other work
  --address-rate   requests per second allowed from one client address, on every route (default 500)
  --address-burst  requests one client address may send in a burst above that rate (default 1000); raise both
                   only for a load test from one address, or behind a proxy that hides client addresses
  --terminal-rate  requests per second allowed per enrolled terminal (default 100: a terminal catching up with
                   one batch in flight stays under it)
  --terminal-burst requests one terminal may send in a burst above that rate (default 200)
  --ingest-per-address  journal batches one client address may have working or waiting (default ${DEFAULT_INGEST_PER_ADDRESS});
                   a store's tills usually share one address: raise it for more tills catching up at once
  --ingest-per-terminal journal batches one terminal may have in the server at once (default ${DEFAULT_INGEST_PER_TERMINAL})
  --body-first-byte     seconds an admitted push may wait before its first body byte (default ${DEFAULT_BODY_PACE.firstByteMs / 1000})
  --body-min-rate       bytes a second an admitted push's body must keep after that (default ${DEFAULT_BODY_PACE.minBytesPerSecond})
  --connections-per-address  open connections one client address may hold (default ${DEFAULT_CONNECTION_LIMITS.perAddress}; 0: no cap,
                   for a server behind a proxy, where every connection comes from the proxy)
  --request-timeout     seconds a whole request may take to arrive (default ${DEFAULT_CONNECTION_LIMITS.requestMs / 1000})
  --trust-proxy    behind a reverse proxy: the proxies (comma-separated addresses or CIDR ranges, or 'loopback') whose
                   X-Forwarded-For gives the client address that limits count on; off by default
  --metrics-token  /metrics on the API port answers only 'Authorization: Bearer TOKEN' (16+ characters; also read from
                   TILLWRIGHT_METRICS_TOKEN, which keeps it out of the process list); without it, not served there
  --metrics-port   serve /metrics on its own listener at --metrics-host (default 127.0.0.1), for a monitoring network`;

/** Secrets given on the command line, which every user of the machine can read in the process list. */
export function commandLineSecretWarnings(argv: string[]): string[] {
  const valuesOf = (flag: string) =>
    argv.flatMap((arg, i) =>
      arg === flag ? [argv[i + 1] ?? ''] : arg.startsWith(`${flag}=`) ? [arg.slice(flag.length + 1)] : [],
    );
  const warnings: string[] = [];
  if (valuesOf('--admin-password').length > 0)
    warnings.push(visibleWarning('--admin-password', 'TILLWRIGHT_ADMIN_PASSWORD'));
  if (valuesOf('--db').some(hasPassword))
    warnings.push(visibleWarning('--db with a password', 'TILLWRIGHT_DB'));
  return warnings;
}

const visibleWarning = (what: string, variable: string) =>
  `warning: ${what} is visible to every user of this machine in the process list; set ${variable} instead`;

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

export function parseServerArgs(argv: string[], env: NodeJS.ProcessEnv): ServerCliOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        db: { type: 'string' },
        demo: { type: 'boolean' },
        'log-level': { type: 'string' },
        'admin-password': { type: 'string' },
        'max-ingest': { type: 'string' },
        'ingest-queue': { type: 'string' },
        'ingest-max-wait': { type: 'string' },
        'address-rate': { type: 'string' },
        'address-burst': { type: 'string' },
        'terminal-rate': { type: 'string' },
        'terminal-burst': { type: 'string' },
        'ingest-per-address': { type: 'string' },
        'ingest-per-terminal': { type: 'string' },
        'body-first-byte': { type: 'string' },
        'body-min-rate': { type: 'string' },
        'connections-per-address': { type: 'string' },
        'request-timeout': { type: 'string' },
        'trust-proxy': { type: 'string' },
        'metrics-token': { type: 'string' },
        'metrics-port': { type: 'string' },
        'metrics-host': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new CliUsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const result = Options.safeParse({
    port: values.port,
    host: values.host,
    dataDir: values['data-dir'],
    db: values.db ?? env.TILLWRIGHT_DB,
    demo: values.demo,
    logLevel: values['log-level'],
    demoEnrolmentCode: env.TILLWRIGHT_DEMO_ENROLMENT_CODE || undefined,
    adminPassword: values['admin-password'] ?? env.TILLWRIGHT_ADMIN_PASSWORD,
    maxIngest: values['max-ingest'],
    ingestQueue: values['ingest-queue'],
    ingestMaxWait: values['ingest-max-wait'],
    addressRate: values['address-rate'],
    addressBurst: values['address-burst'],
    terminalRate: values['terminal-rate'],
    terminalBurst: values['terminal-burst'],
    ingestPerAddress: values['ingest-per-address'],
    ingestPerTerminal: values['ingest-per-terminal'],
    bodyFirstByte: values['body-first-byte'],
    bodyMinRate: values['body-min-rate'],
    connectionsPerAddress: values['connections-per-address'],
    requestTimeout: values['request-timeout'],
    trustProxy: values['trust-proxy'],
    metricsToken: values['metrics-token'] ?? env.TILLWRIGHT_METRICS_TOKEN,
    metricsPort: values['metrics-port'],
    metricsHost: values['metrics-host'],
  });
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  --${issue.path.join('.')}: ${issue.message}`)
      .join('\n');
    throw new CliUsageError(`invalid options:\n${problems}\n${USAGE}`);
  }
  const db = result.data.db;
  if (db !== undefined && isPostgresUrl(db)) {
    let url: URL | undefined;
    try {
      url = new URL(db);
    } catch {}
    if (!url?.hostname && !url?.searchParams.has('host')) {
      throw new CliUsageError(
        `invalid options:\n  --db: not a usable PostgreSQL URL (postgres://user@host:5432/db)\n${USAGE}`,
      );
    }
  } else if (db !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(db)) {
    throw new CliUsageError(
      `invalid options:\n  --db: only SQLite file paths and postgres:// URLs are supported\n${USAGE}`,
    );
  }
  return result.data;
}
