#!/usr/bin/env node
// Makes sure the system programs the tests drive are present: Chromium (end-to-end tests) and socat (serial
// pty pairs). Installs them with apt-get when missing and running as root; otherwise says what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const needed = [
  { program: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', pkg: 'chromium' },
  { program: '/usr/bin/socat', pkg: 'socat' },
];
const missing = needed.filter(({ program }) => !existsSync(program));
if (missing.length === 0) process.exit(0);

const packages = missing.map(({ pkg }) => pkg);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt) {
  process.stderr.write(
    `tests need: ${packages.join(', ')} (install them, e.g. sudo apt-get install ${packages.join(' ')})\n`,
  );
  process.exit(1);
}
process.stdout.write(`installing test dependencies: ${packages.join(', ')}\n`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
  stdio: 'inherit',
  env,
});
