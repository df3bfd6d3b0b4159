import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { insecureServerProblem } from '../host/server-url.js';

/** The terminal's settings in Electron, read from config.json in the app's user-data folder. */
const ElectronTerminalConfig = z.strictObject({
  server: z.url({ protocol: /^https?$/ }),
  /** Plain http:// to a server that is not this machine, on a network the store trusts. */
  allowInsecureHttp: z.boolean().optional(),
  enrolmentCode: z.string().min(6).max(64).optional(),
  printer: z.string().optional(),
  terminalName: z.string().min(1).max(80).optional(),
  simulators: z.boolean().optional(),
  currency: z.string().optional(),
  storeName: z.string().optional(),
});

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** How main starts the host process: its command line, and the secrets that go in its environment instead. */
export interface HostLaunch {
  args: string[];
  env: Record<string, string>;
}

/**
 * Turns the config file into the host's command line, which the host validates once more, and its environment:
 * the enrolment code goes there, out of the process list that every user of the machine can read.
 */
export function readHostLaunch(userDataDir: string): HostLaunch {
  const path = join(userDataDir, 'config.json');
  if (!existsSync(path)) {
    throw new ConfigError(`no terminal configuration: create ${path} with at least {"server": "https://…"}`);
  }
  const parsed = ElectronTerminalConfig.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new ConfigError(
      `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const config = parsed.data;
  const insecure = insecureServerProblem(
    config.server,
    config.allowInsecureHttp ?? false,
    'set "allowInsecureHttp": true',
  );
  if (insecure) throw new ConfigError(`${path}: server: ${insecure}`);
  const args = ['--data-dir', join(userDataDir, 'terminal'), '--server', config.server];
  if (config.allowInsecureHttp) args.push('--allow-insecure-http');
  if (config.printer) args.push('--printer', config.printer);
  if (config.terminalName) args.push('--terminal-name', config.terminalName);
  if (config.currency) args.push('--currency', config.currency);
  if (config.storeName) args.push('--store-name', config.storeName);
  if (config.simulators) args.push('--simulators');
  return { args, env: config.enrolmentCode ? { TILLWRIGHT_ENROLMENT_CODE: config.enrolmentCode } : {} };
}
