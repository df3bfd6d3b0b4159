import { parseArgs } from 'node:util';
import { z } from 'zod';
import { insecureServerProblem } from './server-url.js';

const PrinterAddress = z
  .string()
  .regex(/^tcp:\/\/[A-Za-z0-9.-]+:\d{1,5}$/, 'tcp://HOST:PORT')
  .transform((value) => {
    const url = new URL(value);
    return { host: url.hostname, port: Number(url.port) };
  });

const Options = z
  .strictObject({
    dataDir: z.string().min(1),
    server: z.url({ protocol: /^https?$/ }),
    allowInsecureHttp: z.boolean(),
    enrolmentCode: z.string().min(6).max(64).nullable(),
    terminalName: z.string().min(1).max(80),
    printer: PrinterAddress.nullable(),
    port: z.coerce.number().int().min(0).max(65535),
    simulators: z.boolean(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    storeName: z.string().min(1).max(48),
    taxJurisdiction: z.string().min(1).max(20),
  })
  .superRefine((options, context) => {
    const problem = insecureServerProblem(
      options.server,
      options.allowInsecureHttp,
      'pass --allow-insecure-http',
    );
    if (problem) context.addIssue({ code: 'custom', path: ['server'], message: problem });
  });
export type TerminalCliOptions = z.infer<typeof Options>;

export const USAGE = `usage: tillwright-terminal --server URL [--data-dir DIR] [--printer tcp://HOST:PORT]
                          [--port N] [--simulators] [--terminal-name NAME] [--currency EUR] [--store-name NAME]
                          [--tax-jurisdiction DE|CH|US-NY-NYC|CA-BC] [--allow-insecure-http]
  --server               the sync server; https://, or plain http:// only on this machine (127.0.0.0/8, ::1,
                         localhost) unless --allow-insecure-http is given for a network you trust
  TILLWRIGHT_ENROLMENT_CODE  the one-time code for the first start, from the environment, which keeps it out of
                         the process list every user of the machine can read (--enrolment-code CODE works too,
                         with a warning)`;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** Secrets given on the command line, which every user of the machine can read in the process list. */
export function commandLineSecretWarnings(argv: string[]): string[] {
  return argv.some((arg) => arg === '--enrolment-code' || arg.startsWith('--enrolment-code='))
    ? [
        'warning: --enrolment-code is visible to every user of this machine in the process list; set TILLWRIGHT_ENROLMENT_CODE instead',
      ]
    : [];
}

export function parseTerminalArgs(argv: string[], env: NodeJS.ProcessEnv): TerminalCliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        server: { type: 'string' },
        'enrolment-code': { type: 'string' },
        'terminal-name': { type: 'string' },
        printer: { type: 'string' },
        port: { type: 'string' },
        simulators: { type: 'boolean' },
        currency: { type: 'string' },
        'store-name': { type: 'string' },
        'tax-jurisdiction': { type: 'string' },
        'allow-insecure-http': { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new CliUsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const result = Options.safeParse({
    dataDir: values['data-dir'] ?? '.tillwright-data/terminal',
    server: values.server,
    allowInsecureHttp: values['allow-insecure-http'] ?? false,
    enrolmentCode: values['enrolment-code'] ?? (env.TILLWRIGHT_ENROLMENT_CODE || null),
    terminalName: values['terminal-name'] ?? 'Till 1',
    printer: values.printer ?? null,
    port: values.port ?? '0',
    simulators: values.simulators ?? false,
    currency: values.currency ?? 'EUR',
    storeName: values['store-name'] ?? 'Tillwright Demo Store',
    taxJurisdiction: values['tax-jurisdiction'] ?? 'DE',
  });
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
      .join('\n');
    throw new CliUsageError(`invalid options:\n${problems}\n${USAGE}`);
  }
  return result.data;
}
