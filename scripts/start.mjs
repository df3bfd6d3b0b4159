#!/usr/bin/env node
// `npm start`: the sync server on SQLite, a TCP 9100 printer emulator and a terminal host in browser mode with
// simulated devices. Ctrl-C stops every child. The server may stop on its own (kill its pid to see the till sell
// offline): the till and the printer keep running, and `r` + Enter starts the server again. Ports can be moved with TILLWRIGHT_SERVER_PORT,
// TILLWRIGHT_PRINTER_PORT and TILLWRIGHT_TERMINAL_PORT. Secrets (the admin password, the enrolment code the server
// makes up on each start) reach the children in their environment, never on a command line every user can read.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
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

/**
 * Starts a child and resolves, once a line matches `readyPattern`, with that match, every line so far and the child.
 * After it was ready, an exit nobody asked for calls `onExit`, or stops everything when there is none.
 */
function start(name, script, args, readyPattern, env = {}, onExit = null) {
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
          resolve({ value: match[1], lines, child });
        }
      }
    };
    child.stdout.on('data', onLine(process.stdout));
    child.stderr.on('data', onLine(process.stderr));
    child.on('exit', (code, signal) => {
      children.splice(children.indexOf(child), 1);
      if (!ready) reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`));
      else if (stopping) return;
      else if (onExit) onExit(code, signal);
      else {
        process.stderr.write(
          prefix(`exited unexpectedly (code ${code}, signal ${signal}); stopping everything`),
        );
        void stopAll(1);
      }
    });
  });
}

let serverRunning = false;

/** The sync server; the enrolment code it seeded is read from its output. Its exit stops nothing else. */
async function startServer() {
  const server = await start(
    'server',
    'apps/sync-server/dist/cli.js',
    ['--demo', '--port', String(ports.server), '--data-dir', join(dataDir, 'server'), '--log-level', 'warn'],
    /sync server listening on (\S+)/,
    { TILLWRIGHT_ADMIN_PASSWORD: adminPassword, TILLWRIGHT_METRICS_TOKEN: metricsToken },
    (code, signal) => {
      serverRunning = false;
      process.stderr.write(
        `[server] stopped (code ${code}, signal ${signal}). The till and the printer keep running and the till keeps selling offline; its sales reach HQ once the server is back.\n` +
          '[server] Type r and Enter to start the server again; Ctrl-C stops everything.\n',
      );
    },
  );
  serverRunning = true;
  // The server makes up a new single-use code on every start and says which.
  const enrolmentCode = server.lines
    .map((line) => /demo seeded: enrolment code (\S+)/.exec(line)?.[1])
    .find(Boolean);
  if (!enrolmentCode) throw new Error('the sync server did not say which enrolment code it seeded');
  // "1001 Alex Cashier (cashier) PIN 1357; …": who can sign in at the demo till.
  const employees = [
    ...(server.lines.map((line) => /demo employees: (.*)/.exec(line)?.[1]).find(Boolean) ?? '').matchAll(
      /(\d+) (.+?) \((\S+)\) PIN (\d+)/g,
    ),
  ];
  // The till sells only in an open shift, and a manager opens it: the banner says who.
  const manager = employees.find(([, , , role]) => role === 'manager');
  return {
    url: server.value,
    pid: server.child.pid,
    enrolmentCode,
    employees: employees.map(([, number, name, role, pin]) => `${number} / ${pin}  ${name} (${role})`),
    manager: manager ? `${manager[1]} / ${manager[4]}` : null,
  };
}

/** `r` + Enter restarts a stopped server; anything else is ignored. */
function listenForRestart() {
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim().toLowerCase() !== 'r' || stopping) return;
    if (serverRunning) {
      process.stdout.write(
        '[server] is running; stop it first (kill its pid) to see the till sell offline\n',
      );
      return;
    }
    startServer().then(
      ({ pid }) =>
        process.stdout.write(`[server] started again (pid ${pid}); the till sends what it sold meanwhile\n`),
      (error) => process.stderr.write(`[server] did not start again: ${error.message}\n`),
    );
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
  const server = await startServer();
  const serverUrl = server.url;
  const { enrolmentCode, employees, manager } = server;
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
  Sync server:                  pid ${server.pid}; stop only the server (kill ${server.pid}) to see the till sell
                                offline, then type r and Enter here to start it again
  HQ sign-in:                   user admin, password ${adminPassword}
  Till sign-in (number / PIN):  ${employees.join('\n                                ') || 'no demo employees seeded'}
  Before the first sale:        the till sells only in an open shift: sign in as the manager${manager ? ` (${manager})` : ''},
                                press F12 → Open shift and count the float; then sign in as the cashier
  Enrolment code:               ${enrolmentCode} (new on every start; one till, once, within 24 h)
  HQ stream (12 h session):     curl -N -H 'Authorization: Bearer ${hqToken}' ${serverUrl}/v1/hq/stream
  Metrics:                      curl -H 'Authorization: Bearer ${metricsToken}' ${serverUrl}/metrics
  Receipts printed:             ${join(dataDir, 'receipts')}
Press Ctrl-C to stop.
`);
  listenForRestart();
} catch (error) {
  process.stderr.write(`npm start failed: ${error.message}\n`);
  await stopAll(1);
}
