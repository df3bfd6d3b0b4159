// Thundering herd after an outage (research fault #22): 200 terminals, each with a backlog in its real ledger,
// reconnect within the same second and drain through their real SyncClient (one batch in flight, full-jitter
// backoff, Retry-After honoured) to the real sync server process. Measures the total drain time, the 429s, push
// latency, and the server's memory (VmRSS sampled from /proc, VmHWM at the end) and health throughout; then checks
// through HQ that the server holds exactly the events sent, per terminal.
// Usage: node bench/herd.bench.mjs [sqlite|postgres] [terminals] [events each]   (method and figures in BENCHMARKS.md)
// HERD_MAX_INGEST=N runs the server with --max-ingest N instead of its default.
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Ledger } from '@tillwright/ledger';
import { generateTerminalKeyPair } from '@tillwright/protocol/signing';
import { CredentialFile } from '@tillwright/terminal/dist/host/credentials.js';
import { ServerClient } from '@tillwright/terminal/dist/host/server-client.js';
import { SyncClient } from '@tillwright/terminal/dist/host/sync-client.js';
import {
  compareHoldings,
  DEMO_STORE_ID,
  deadline,
  fetchMetrics,
  filesystemOf,
  fixed,
  hqRequest,
  hqSignIn,
  int,
  machine,
  metric,
  openDatabase,
  percentiles,
  procCpuSeconds,
  procMemoryMiB,
  recordOffline,
  serverHoldings,
  startServer,
  tempDir,
  watchServer,
} from './support.mjs';

const positional = process.argv.slice(2);
const backend = positional[0] ?? 'sqlite';
const TERMINALS = Number(positional[1] ?? 200);
const EVENTS_EACH = Number(positional[2] ?? 300);
const HERD_LIMIT_SECONDS = Number(process.env.HERD_LIMIT_SECONDS ?? 240);
/** The server's --max-ingest for this run; unset keeps the server's default (16). */
const MAX_INGEST = process.env.HERD_MAX_INGEST;
deadline(HERD_LIMIT_SECONDS + 240, `herd on ${backend}`);

const dir = tempDir(`herd-${backend}`);
console.log(
  `\n### Herd, ${backend}: ${TERMINALS} terminals × ${EVENTS_EACH} events reconnect within one second`,
);
console.log(`machine: ${machine()}; temp folder on ${filesystemOf(dir)}`);

const database = await openDatabase(backend);
// Every simulated terminal pushes from 127.0.0.1, so the per-address limits (requests, ingest places, connections)
// are raised for the load test; the ingest bound (--max-ingest), the per-terminal limit and the enrolment limit keep
// their defaults.
const server = await startServer({
  dataDir: dir,
  enrolmentCode: 'BENCH-HERD-0000',
  extraArgs: [
    ...database.args,
    '--address-rate',
    '100000',
    '--address-burst',
    '100000',
    '--ingest-per-address',
    '100000',
    '--connections-per-address',
    '0',
    ...(MAX_INGEST ? ['--max-ingest', MAX_INGEST] : []),
  ],
});
try {
  // Enrolment as in a real roll-out: HQ issues one code per terminal, each terminal enrols with its own key. Each
  // terminal enrols from its own loopback address (127.0.x.y), as terminals of different stores would, so the
  // enrolment limit per address (1 a second, bursts of 10) stays at its default.
  const token = await hqSignIn(server.url);
  const setupStarted = performance.now();
  const terminals = [];
  for (let i = 0; i < TERMINALS; i++) {
    const { code } = await hqRequest(server.url, token, 'POST', '/v1/hq/enrolment-codes', {
      storeId: DEMO_STORE_ID,
      validForMinutes: 60,
    });
    const terminalDir = join(dir, `terminal-${i}`);
    const keys = generateTerminalKeyPair();
    const identity = await enrolFrom(server.url, `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`, {
      code,
      terminalName: `herd till ${i}`,
      publicKey: keys.publicKey,
    });
    const credentials = new CredentialFile(terminalDir);
    const ledger = openLedger(terminalDir);
    credentials.write({ ...identity, privateKeyPem: keys.privateKeyPem });
    ledger.journal.setIdentity(identity);
    const recorded = recordOffline(ledger, EVENTS_EACH);
    terminals.push({
      index: i,
      identity,
      credentials,
      ledger,
      recorded,
      drainedAt: null,
      sync: null,
      refused: 0,
    });
  }
  const total = TERMINALS * EVENTS_EACH;
  console.log(
    `set-up: ${TERMINALS} codes issued by HQ, ${TERMINALS} terminals enrolled, ${int(total)} sales recorded offline, in ${fixed((performance.now() - setupStarted) / 1000)} s`,
  );

  const pushes = [];
  const outcomes = new Map();
  class TimedServerClient extends ServerClient {
    constructor(url, terminal) {
      super(url);
      this.terminal = terminal;
    }
    async pushBatch(...args) {
      const started = performance.now();
      let outcome = 'accepted';
      try {
        return await super.pushBatch(...args);
      } catch (error) {
        outcome = error.code ?? 'error';
        this.terminal.refused += 1;
        throw error;
      } finally {
        pushes.push({ ms: performance.now() - started, outcome });
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    }
  }
  const logs = [];
  for (const terminal of terminals) {
    terminal.sync = new SyncClient({
      ledger: terminal.ledger,
      server: new TimedServerClient(server.url, terminal),
      credentials: terminal.credentials,
      enrolment: { code: null, terminalName: `herd till ${terminal.index}` },
      now: () => new Date(),
      random: Math.random,
      idleIntervalMs: 600_000,
      onStatus: (status) => {
        if (terminal.drainedAt === null && status.pending === 0) terminal.drainedAt = performance.now();
      },
      log: (line) => {
        if (logs.length < 10_000) logs.push(line);
      },
    });
  }

  const rssIdleMiB = procMemoryMiB(server.pid, 'VmRSS');
  const watch = watchServer(server);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const serverCpuBefore = procCpuSeconds(server.pid);
  const fleetCpuBefore = process.cpuUsage();
  const started = performance.now();
  // The outage ends: every terminal reconnects at a random moment of the same second.
  for (const terminal of terminals) setTimeout(() => terminal.sync.start(), Math.random() * 1000);
  let nextReport = started + 10_000;
  let timedOut = false;
  while (terminals.some((terminal) => terminal.drainedAt === null)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = performance.now();
    if (now >= nextReport) {
      nextReport += 10_000;
      const left = terminals.filter((terminal) => terminal.drainedAt === null).length;
      console.log(
        `  ${fixed((now - started) / 1000, 0)} s: ${left} terminals still draining; pushes ${int(pushes.length)}; ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`,
      );
    }
    if (now - started > HERD_LIMIT_SECONDS * 1000) {
      timedOut = true;
      break;
    }
  }
  const drainedAll = performance.now();
  loopDelay.disable();
  const serverCpu = procCpuSeconds(server.pid) - serverCpuBefore;
  const fleetCpuUsage = process.cpuUsage(fleetCpuBefore);
  const fleetCpu = (fleetCpuUsage.user + fleetCpuUsage.system) / 1e6;
  const seen = watch.stop();
  await Promise.all(terminals.map((terminal) => terminal.sync.stop()));
  for (const terminal of terminals) terminal.ledger.close();

  const holdings = await serverHoldings(server.url, token);
  const problems = compareHoldings(
    holdings,
    new Map(terminals.map((t) => [t.identity.terminalId, t.recorded])),
  );
  const metricsText = await fetchMetrics(server.url);

  const seconds = (drainedAll - started) / 1000;
  const all = percentiles(pushes.map((push) => push.ms));
  const accepted = percentiles(pushes.filter((push) => push.outcome === 'accepted').map((push) => push.ms));
  const refused = percentiles(
    pushes.filter((push) => push.outcome === 'rate_limited').map((push) => push.ms),
  );
  const perTerminal = percentiles(
    terminals.filter((t) => t.drainedAt !== null).map((t) => (t.drainedAt - started) / 1000),
  );
  const refusedPerTerminal = percentiles(terminals.map((t) => t.refused));
  const shed = metric(metricsText, 'tillwright_ingest_shed_total');
  const rateLimited = outcomes.get('rate_limited') ?? 0;
  console.log(
    `database: ${database.describe}; server: --max-ingest ${MAX_INGEST ?? 'default (16)'}, --ingest-queue and --ingest-max-wait default (64, 5 s), per-terminal and enrolment limits default, per-address limit raised (one source address)`,
  );
  console.log('');
  const otherFailures = pushes.length - (outcomes.get('accepted') ?? 0) - rateLimited;
  console.log(
    '| backend | terminals | events | drain s | events/s | terminal drained p50 / p99 s | pushes | accepted | 429 (at the ingest bound) | other failures |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(
    `| ${backend} | ${TERMINALS} | ${int(total)} | ${fixed(seconds, 1)} | ${int(total / seconds)} | ${fixed(perTerminal.p50)} / ${fixed(perTerminal.p99)} | ${int(pushes.length)} | ${int(outcomes.get('accepted') ?? 0)} | ${int(rateLimited)} (${int(shed)}) | ${otherFailures} |`,
  );
  console.log('');
  console.log(
    '| backend | push p50 / p99 ms, all | accepted p50 / p99 ms | 429 p50 / p99 ms | server RSS idle → peak MiB (VmHWM) | /healthz kept alive: ok / failed, p99 / max ms | /healthz, new connection: p50 / p99 / max ms |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(
    `| ${backend} | ${fixed(all.p50)} / ${fixed(all.p99)} | ${fixed(accepted.p50)} / ${fixed(accepted.p99)} | ${fixed(refused.p50)} / ${fixed(refused.p99)} | ${fixed(rssIdleMiB, 0)} → ${fixed(seen.rssPeakMiB, 0)} (${fixed(seen.hwmMiB, 0)}) | ${seen.health.ok} / ${seen.health.failed}, ${fixed(seen.health.p99, 0)} / ${fixed(seen.health.max, 0)} | ${fixed(seen.fresh.p50, 0)} / ${fixed(seen.fresh.p99, 0)} / ${fixed(seen.fresh.max, 0)}${seen.fresh.failed > 0 ? ` (${seen.fresh.failed} over 5 s)` : ''} |`,
  );
  console.log(
    `terminal fleet's event loop delay (it must not be the bottleneck): p50 ${fixed(loopDelay.percentile(50) / 1e6)} ms, p99 ${fixed(loopDelay.percentile(99) / 1e6)} ms, max ${fixed(loopDelay.max / 1e6)} ms`,
  );
  console.log(
    `CPU over the drain: server ${fixed(serverCpu)} s (${fixed((100 * serverCpu) / seconds, 0)} % of one core), terminal fleet ${fixed(fleetCpu)} s (${fixed((100 * fleetCpu) / seconds, 0)} %)`,
  );
  console.log(
    `failed pushes per terminal: p50 ${refusedPerTerminal.p50}, p99 ${refusedPerTerminal.p99}, max ${refusedPerTerminal.max} (after a 429 the client waits the Retry-After, jittered, without growing its backoff)`,
  );
  const retryAfters = logs
    .map((line) => /retry in (\d+) s/.exec(line)?.[1])
    .filter(Boolean)
    .map(Number);
  if (retryAfters.length > 0) {
    const spread = percentiles(retryAfters);
    console.log(
      `Retry-After told to refused pushes: p50 ${spread.p50} s, p99 ${spread.p99} s, max ${spread.max} s`,
    );
  }
  if (seen.health.failed > 0) console.log(`health failures: ${seen.health.failures.slice(0, 5).join(', ')}`);
  if (timedOut || problems.length > 0 || holdings.total !== total || !seen.alive || seen.health.failed > 0) {
    throw new Error(
      `herd failed: ${timedOut ? `not drained in ${HERD_LIMIT_SECONDS} s; ` : ''}${seen.alive ? '' : 'the server died; '}${seen.health.failed > 0 ? 'health checks failed; ' : ''}stored ${holdings.total} of ${total}; ${problems.slice(0, 10).join('; ')}`,
    );
  }
  console.log(
    `check: the server was up throughout and holds exactly the ${int(total)} events sent, ${EVENTS_EACH} per terminal, seq 1..${EVENTS_EACH}, once each`,
  );
} finally {
  await server.stop();
  await database.stop();
}

function openLedger(terminalDir) {
  mkdirSync(terminalDir, { recursive: true });
  return Ledger.open(join(terminalDir, 'ledger.sqlite'));
}

/** POST /v1/enrol from a given loopback source address (node:http can bind one; fetch cannot). */
function enrolFrom(serverUrl, localAddress, body) {
  const url = new URL('/v1/enrol', serverUrl);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        let answer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          answer += chunk;
        });
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(answer))
            : reject(new Error(`enrol from ${localAddress}: ${res.statusCode} ${answer}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}
