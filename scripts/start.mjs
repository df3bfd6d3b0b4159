#!/usr/bin/env node
// `npm start`: the sync server on SQLite, a TCP 9100 printer emulator and a terminal host in browser mode with
// simulated devices. Ctrl-C stops every child. Ports can be moved with TILLWRIGHT_SERVER_PORT,
// TILLWRIGHT_PRINTER_PORT and TILLWRIGHT_TERMINAL_PORT. Secrets (the admin password, the enrolment code the server
// makes up on each start) reach the children in their environment, never on a command line every user can read.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.TILLWRIGHT_DATA_DIR ?? join(root, '.tillwright-data');
const ports = {
  server: Number(process.env.TILLWRIGHT_SERVER_PORT ?? 8787),
  printer: Number(process.env.TILLWRIGHT_PRINTER_PORT ?? 9100),
  terminal: Number(process.env.TILLWRIGHT_TERMINAL_PORT ?? 8788),
};
const adminPassword = process.env.TILLWRIGHT_ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
const metricsToken = process.env.TILLWRIGHT_METRICS_TOKEN ?? randomBytes(24).toString('base64url');
const children = [];
let stopping = false;

/** Starts a child and resolves, once a line matches `readyPattern`, with that match and every line so far. */
function start(name, script, args, readyPattern, env = {}) {
  const child = spawn(process.execPath, [join(root, script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  const prefix = (line) => `[${name}] ${line}\n`;
  const lines = [];
  return new Promise((resolve, reject) => {
    let ready = false;
    const onLine = (stream) => (chunk) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        stream.write(prefix(line));
        lines.push(line);
        const match = readyPattern.exec(line);
        if (!ready && match) {
          ready = true;
          resolve({ value: match[1], lines });
        }
      }
    };
    child.stdout.on('data', onLine(process.stdout));
    child.stderr.on('data', onLine(process.stderr));
    child.on('exit', (code, signal) => {
      if (!ready) reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`));
      else if (!stopping) {
        process.stderr.write(
          prefix(`exited unexpectedly (code ${code}, signal ${signal}); stopping everything`),
        );
        void stopAll(1);
      }
    });
  });
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  process.exit(code);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  mkdirSync(dataDir, { recursive: true });
  const server = await start(
    'server',
    'apps/sync-server/dist/cli.js',
    ['--demo', '--port', String(ports.server), '--data-dir', join(dataDir, 'server'), '--log-level', 'warn'],
    /sync server listening on (\S+)/,
    { TILLWRIGHT_ADMIN_PASSWORD: adminPassword, TILLWRIGHT_METRICS_TOKEN: metricsToken },
  );
  const serverUrl = server.value;
  // The server makes up a new single-use code on every start and says which.
  const enrolmentCode = server.lines
    .map((line) => /demo seeded: enrolment code (\S+)/.exec(line)?.[1])
    .find(Boolean);
  if (!enrolmentCode) throw new Error('the sync server did not say which enrolment code it seeded');
  await start(
    'printer',
    'packages/devices/dist/sim/printer-emulator-cli.js',
    ['--port', String(ports.printer), '--out', join(dataDir, 'receipts')],
    /printer emulator listening on (\S+)/,
  );
  const signIn = await fetch(`${serverUrl}/v1/hq/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: adminPassword }),
  });
  const { token: hqToken } = await signIn.json();
  const terminal = await start(
    'terminal',
    'apps/terminal/dist/host/cli.js',
    [
      '--server',
      serverUrl,
      '--printer',
      `tcp://127.0.0.1:${ports.printer}`,
      '--port',
      String(ports.terminal),
      '--simulators',
      '--data-dir',
      join(dataDir, 'terminal'),
    ],
    /terminal UI at (\S+)/,
    { TILLWRIGHT_ENROLMENT_CODE: enrolmentCode },
  );
  const terminalUrl = terminal.value;
  process.stdout.write(`
Tillwright is running.
  Terminal (open in a browser): ${terminalUrl}
  Sync server health:           ${serverUrl}/healthz
  HQ sign-in:                   user admin, password ${adminPassword}
  Enrolment code:               ${enrolmentCode} (new on every start; one till, once, within 24 h)
  HQ stream (12 h session):     curl -N -H 'Authorization: Bearer ${hqToken}' ${serverUrl}/v1/hq/stream
  Metrics:                      curl -H 'Authorization: Bearer ${metricsToken}' ${serverUrl}/metrics
  Receipts printed:             ${join(dataDir, 'receipts')}
Press Ctrl-C to stop.
`);
} catch (error) {
  process.stderr.write(`npm start failed: ${error.message}\n`);
  await stopAll(1);
}
