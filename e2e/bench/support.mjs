// Shared by the catch-up and herd benchmarks: the real sync server as a child process (SQLite or a throwaway
// PostgreSQL), its memory read from /proc, HQ reads with 429 handling, terminals with real ledgers, percentiles, and
// a hard deadline so a run can never hang. Every process started here is killed on every way out.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ledger } from '@tillwright/ledger';
import { createUuidV7Generator } from '@tillwright/protocol';
import { generateTerminalKeyPair } from '@tillwright/protocol/signing';
import { sampleSalePayload } from '@tillwright/protocol/testing';
import { CredentialFile } from '@tillwright/terminal/dist/host/credentials.js';
import { ServerClient } from '@tillwright/terminal/dist/host/server-client.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ADMIN_PASSWORD = 'bench-admin-password';
/** The benches' servers serve /metrics only with this token. */
export const METRICS_TOKEN = 'bench-metrics-token-0000';

/** The server's Prometheus metrics, as text. */
export async function fetchMetrics(serverUrl) {
  const response = await fetch(`${serverUrl}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  if (!response.ok) throw new Error(`metrics: ${response.status} ${await response.text()}`);
  return response.text();
}
export const DEMO_STORE_ID = 'store-001';

const children = new Set();
const cleanups = [];

/** Runs on every exit: kills the children still alive (SIGKILL: there is no later), then removes temp folders. */
function cleanUpNow() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  while (cleanups.length > 0) {
    try {
      cleanups.pop()();
    } catch {}
  }
}
process.on('exit', cleanUpNow);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping every process this bench started`);
    process.exit(130);
  });
}

/** Ends the process with a failure if the bench has not finished by then; the exit handler kills the children. */
export function deadline(seconds, what) {
  const timer = setTimeout(() => {
    console.error(`${what}: not finished after ${seconds} s; giving up`);
    process.exit(1);
  }, seconds * 1000);
  timer.unref();
}

/** A fresh temp folder on the real disk (not tmpfs), removed at exit. */
export function tempDir(name) {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), `tillwright-${name}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function filesystemOf(dir) {
  try {
    const out = execFileSync('df', ['-T', dir], { encoding: 'utf8' }).trim().split('\n').at(-1).split(/\s+/);
    return `${out[1]} (${out[0]})`;
  } catch {
    return 'unknown';
  }
}

export function machine() {
  return `node ${process.version}, nproc ${availableParallelism()}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM`;
}

/**
 * The database for a run: `sqlite` (the server's own file in its data folder) or `postgres` (a throwaway server from
 * the sync server's test fixture, fsync on, stopped at the end).
 */
export async function openDatabase(backend) {
  if (backend === 'sqlite')
    return { args: [], describe: 'SQLite (WAL, synchronous=FULL)', stop: async () => {} };
  if (backend !== 'postgres') throw new Error(`unknown backend ${backend}: sqlite or postgres`);
  const { startPostgres } = await import(join(repoRoot, 'apps/sync-server/dist/testing/postgres-server.js'));
  const pg = await startPostgres();
  cleanups.push(() => {
    // The fixture's own exit hook stops it too; this covers a bench that dies first.
    void pg.stop();
  });
  return {
    args: ['--db', pg.url],
    describe: 'PostgreSQL 15 (fsync on, default settings)',
    stop: () => pg.stop(),
  };
}

/**
 * The real sync server (`apps/sync-server/dist/cli.js --demo`) on a free port, in its own process. Resolves when
 * it listens. `stop()` sends SIGTERM and waits (SIGKILL after 10 s).
 */
export async function startServer({ dataDir, enrolmentCode, extraArgs = [] }) {
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'apps/sync-server/dist/cli.js'),
      '--demo',
      '--port',
      '0',
      '--data-dir',
      join(dataDir, 'server'),
      '--log-level',
      'error',
      ...extraArgs,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Secrets in the environment, where other users of the machine cannot read them.
      env: {
        ...process.env,
        TILLWRIGHT_ADMIN_PASSWORD: ADMIN_PASSWORD,
        TILLWRIGHT_DEMO_ENROLMENT_CODE: enrolmentCode,
        TILLWRIGHT_METRICS_TOKEN: METRICS_TOKEN,
      },
    },
  );
  children.add(child);
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sync server did not start:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk.toString();
      const match = /sync server listening on (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the sync server exited (${code ?? signal}) before it listened:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid,
    child,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          children.delete(child);
          resolve(child.exitCode);
          return;
        }
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          children.delete(child);
          resolve(code);
        });
        child.kill('SIGTERM');
      }),
  };
}

/** A field of /proc/<pid>/status in MiB (VmRSS: resident now; VmHWM: the kernel's record of the peak). */
export function procMemoryMiB(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function procCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * GET /healthz over node:http, timed to the end of the answer (5 s limit). With a keep-alive agent of one socket the
 * probe measures whether the server answers at all; with no agent every probe opens a new connection, as a load
 * balancer's health check does, and then also measures how long the server takes to accept a connection.
 */
function probe(url, agent) {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = httpRequest(new URL('/healthz', url), { agent, timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          ok: res.statusCode === 200,
          ms: performance.now() - started,
          failure: `HTTP ${res.statusCode}`,
        }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 5 s')));
    req.on('error', (error) =>
      resolve({ ok: false, ms: performance.now() - started, failure: error.message }),
    );
    req.end();
  });
}

/**
 * Samples the server's resident memory every `everyMs`, and probes /healthz every 250 ms over a kept-alive connection
 * (is it up and answering?) and over a new connection each time (how long does a new client wait?). `stop()` returns
 * what it saw.
 */
export function watchServer(server, everyMs = 100) {
  const rss = [];
  const probes = {
    kept: {
      agent: new HttpAgent({ keepAlive: true, maxSockets: 1 }),
      ok: 0,
      failed: 0,
      ms: [],
      failures: [],
    },
    fresh: { agent: false, ok: 0, failed: 0, ms: [], failures: [] },
  };
  const inFlight = new Set();
  const memory = setInterval(() => {
    const value = procMemoryMiB(server.pid, 'VmRSS');
    if (value !== null) rss.push(value);
  }, everyMs);
  const health = setInterval(() => {
    for (const [name, state] of Object.entries(probes)) {
      if (inFlight.has(name)) continue;
      inFlight.add(name);
      void probe(server.url, state.agent).then((result) => {
        inFlight.delete(name);
        state.ms.push(result.ms);
        if (result.ok) state.ok += 1;
        else {
          state.failed += 1;
          state.failures.push(result.failure);
        }
      });
    }
  }, 250);
  const summary = (state) => ({
    ok: state.ok,
    failed: state.failed,
    failures: state.failures,
    ...percentiles(state.ms),
  });
  return {
    stop() {
      clearInterval(memory);
      clearInterval(health);
      probes.kept.agent.destroy();
      return {
        rssPeakMiB: Math.max(...rss),
        hwmMiB: procMemoryMiB(server.pid, 'VmHWM'),
        health: summary(probes.kept),
        fresh: summary(probes.fresh),
        alive: server.alive(),
      };
    },
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An HQ request that waits out 429s as a polite client does (Retry-After), so reads never hit the HQ limit. */
export async function hqRequest(base, token, method, path, body) {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 429 && attempt < 50) {
      await sleep(1000 * Number(response.headers.get('retry-after') ?? 1));
      continue;
    }
    if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text);
  }
}

export async function hqSignIn(base) {
  return (
    await hqRequest(base, null, 'POST', '/v1/hq/sessions', { username: 'admin', password: ADMIN_PASSWORD })
  ).token;
}

/** Every event the server holds, through HQ's paged read: per terminal, the event ids and seqs, and the total. */
export async function serverHoldings(base, token) {
  const byTerminal = new Map();
  let after = 0;
  let total = 0;
  for (;;) {
    const page = await hqRequest(base, token, 'GET', `/v1/hq/events?after=${after}&limit=1000`);
    for (const item of page.items) {
      const entry = byTerminal.get(item.terminalId) ?? { ids: new Set(), seqs: [] };
      byTerminal.set(item.terminalId, entry);
      entry.ids.add(item.event.eventId);
      entry.seqs.push(item.event.seq);
      total += 1;
    }
    if (page.items.length === 0) break;
    after = page.nextOffset;
  }
  return { byTerminal, total };
}

/** Checks the server holds exactly `expected` (terminalId → Set of event ids): no event lost, none twice, none extra. */
export function compareHoldings(holdings, expected) {
  const problems = [];
  for (const [terminalId, ids] of expected) {
    const held = holdings.byTerminal.get(terminalId);
    if (!held) {
      problems.push(`${terminalId}: nothing stored, ${ids.size} expected`);
      continue;
    }
    if (held.seqs.length !== ids.size)
      problems.push(`${terminalId}: ${held.seqs.length} stored, ${ids.size} sent`);
    if (held.ids.size !== held.seqs.length) problems.push(`${terminalId}: duplicate event ids stored`);
    for (const id of ids) {
      if (!held.ids.has(id)) {
        problems.push(`${terminalId}: event ${id} missing`);
        break;
      }
    }
    const seqs = [...held.seqs].sort((a, b) => a - b);
    if (seqs.some((seq, i) => seq !== i + 1)) problems.push(`${terminalId}: seqs not 1..${seqs.length}`);
  }
  for (const terminalId of holdings.byTerminal.keys()) {
    if (!expected.has(terminalId)) problems.push(`${terminalId}: stored but never sent`);
  }
  return problems;
}

/**
 * A terminal as the real host has it: a ledger file and a credential file in its own folder, enrolled with a
 * one-time code through the terminal's own ServerClient.
 */
export async function enrolTerminal({ serverUrl, dir, code, name }) {
  mkdirSync(dir, { recursive: true });
  const keys = generateTerminalKeyPair();
  const identity = await new ServerClient(serverUrl).enrol(code, name, keys.publicKey);
  const credentials = new CredentialFile(dir);
  credentials.write({ ...identity, privateKeyPem: keys.privateKeyPem });
  const ledger = Ledger.open(join(dir, 'ledger.sqlite'));
  ledger.journal.setIdentity(identity);
  return { identity, ledger, credentials };
}

/**
 * Records `count` sales through `journal.record` while the terminal is offline, as the till would, with sale times
 * spread over the day before `endAt`. Setting up is not what the benchmarks measure, so the records are grouped in
 * outer transactions of 5,000 (each record then a savepoint, as in the ledger's own verify benchmark): the journal
 * rows, chain and outbox are exactly those of sales recorded one by one, only the fsyncs per sale are skipped.
 */
export function recordOffline(ledger, count, endAt = Date.now()) {
  const db = ledger.db;
  if (typeof db?.transaction !== 'function') throw new Error('cannot reach the ledger connection');
  const spacing = Math.max(1, Math.floor(86_400_000 / count));
  let tick = endAt - 86_400_000;
  const nextId = createUuidV7Generator(() => tick);
  const payload = sampleSalePayload(250, 500);
  const ids = new Set();
  for (let done = 0; done < count; ) {
    const n = Math.min(5_000, count - done);
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        tick += spacing;
        const eventId = nextId();
        ledger.journal.record({
          eventId,
          type: 'sale',
          occurredAt: new Date(tick).toISOString(),
          payload,
        });
        ids.add(eventId);
      }
    })();
    done += n;
  }
  return ids;
}

/** Nearest-rank percentiles of a list of numbers. */
export function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

/** Reads one sample of a Prometheus text exposition (no labels), or 0. */
export function metric(text, name) {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

export const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const int = (value) => Math.round(value).toLocaleString('en-US');
