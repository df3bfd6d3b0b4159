#!/usr/bin/env node
// Makes sure the system programs the tests drive are present: Chromium (end-to-end tests), socat (serial
// pty pairs), the PostgreSQL server (the sync server's tests start a real one), libusb and udev (which
// node-hid and serialport need at runtime), and libfaketime (a till with a wrong clock). Installs them with apt-get
// when missing and running as root; otherwise says what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** PG_BIN's initdb, else Debian's /usr/lib/postgresql/<version>/bin/initdb (what startPostgres looks for). */
function postgresServerInstalled() {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'initdb'))) return true;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return false;
  return readdirSync(root).some((version) => existsSync(join(root, version, 'bin', 'initdb')));
}

function libusbInstalled() {
  const ldconfig = spawnSync('sh', ['-c', 'ldconfig -p 2>/dev/null'], { encoding: 'utf8' });
  return /libusb-1\.0\.so\.0/.test(ldconfig.stdout ?? '');
}

const needed = [
  { present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'), pkg: 'chromium' },
  { present: () => existsSync('/usr/bin/socat'), pkg: 'socat' },
  { present: postgresServerInstalled, pkg: 'postgresql' },
  // node-hid's Linux binary links libusb; serialport lists ports through udev.
  { present: libusbInstalled, pkg: 'libusb-1.0-0' },
  { present: () => existsSync('/usr/bin/udevadm') || existsSync('/bin/udevadm'), pkg: 'udev' },
  // The clock-skew test runs a terminal host under a shifted wall clock (LD_PRELOAD=libfaketime).
  { present: () => existsSync('/usr/bin/faketime'), pkg: 'faketime' },
];
const missing = needed.filter(({ present }) => !present());
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
