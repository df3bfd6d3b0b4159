// Catch-up after a day offline (design §7: 100,000 queued events drained in < 30 s): a terminal records 100,000
// sales in its real ledger while it cannot reach the server, then its real SyncClient drains them to the real sync
// server process, over HTTP on 127.0.0.1, with the server's default limits. Timed from the sync client's start to
// the last acknowledgement; then HQ's paged read must hold exactly the journal's events, in order, once each.
// Usage: node bench/catch-up.bench.mjs [sqlite|postgres] [events]   (method and figures in BENCHMARKS.md)
import { join } from 'node:path';
import { ServerClient } from '@tillwright/terminal/dist/host/server-client.js';
import { SyncClient } from '@tillwright/terminal/dist/host/sync-client.js';
import {
  compareHoldings,
  deadline,
  enrolTerminal,
  fetchMetrics,
  filesystemOf,
  fixed,
  hqSignIn,
  int,
  machine,
  metric,
  openDatabase,
  percentiles,
  procCpuSeconds,
  recordOffline,
  serverHoldings,
  startServer,
  tempDir,
  watchServer,
} from './support.mjs';

const backend = process.argv[2] ?? 'sqlite';
const EVENTS = Number(process.argv[3] ?? 100_000);
const TARGET_SECONDS = 30;
const ENROLMENT_CODE = 'BENCH-CATCHUP-0001';
deadline(Number(process.env.BENCH_DEADLINE_SECONDS ?? 420), `catch-up on ${backend}`);

const dir = tempDir(`catch-up-${backend}`);
console.log(`\n### Catch-up, ${backend}: ${int(EVENTS)} events recorded offline, then drained`);
console.log(`machine: ${machine()}; temp folder on ${filesystemOf(dir)}`);

const database = await openDatabase(backend);
const server = await startServer({ dataDir: dir, enrolmentCode: ENROLMENT_CODE, extraArgs: database.args });
try {
  const terminalDir = join(dir, 'terminal');
  const { identity, ledger, credentials } = await enrolTerminal({
    serverUrl: server.url,
    dir: terminalDir,
    code: ENROLMENT_CODE,
    name: 'catch-up till',
  });

  // Offline: the sync client is not running, the sales go to the journal only.
  const built = performance.now();
  const recorded = recordOffline(ledger, EVENTS);
  const pendingBefore = ledger.outbox.state().pending;
  console.log(
    `recorded ${int(recorded.size)} sales offline in ${fixed((performance.now() - built) / 1000)} s; outbox pending ${int(pendingBefore)}`,
  );
  if (pendingBefore !== EVENTS) throw new Error(`expected ${EVENTS} pending, found ${pendingBefore}`);

  // Back online: the real SyncClient with the real ServerClient, its pushes timed by a subclass.
  const pushes = [];
  const refusals = new Map();
  class TimedServerClient extends ServerClient {
    async pushBatch(...args) {
      const started = performance.now();
      try {
        return await super.pushBatch(...args);
      } catch (error) {
        refusals.set(error.code, (refusals.get(error.code) ?? 0) + 1);
        throw error;
      } finally {
        pushes.push(performance.now() - started);
      }
    }
  }
  let drainedAt = null;
  let started = 0;
  const logs = [];
  const sync = new SyncClient({
    ledger,
    server: new TimedServerClient(server.url),
    credentials,
    enrolment: { code: null, terminalName: 'catch-up till' },
    now: () => new Date(),
    random: Math.random,
    idleIntervalMs: 60_000,
    catalogIntervalMs: 3_600_000,
    onStatus: (status) => {
      if (drainedAt === null && status.pending === 0) drainedAt = performance.now();
    },
    log: (line) => logs.push(line),
  });
  const watch = watchServer(server);
  const serverCpuBefore = procCpuSeconds(server.pid);
  const terminalCpuBefore = process.cpuUsage();
  started = performance.now();
  sync.start();
  let nextReport = started + 10_000;
  while (drainedAt === null) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (performance.now() >= nextReport) {
      nextReport += 10_000;
      const refusedSoFar = [...refusals].map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
      console.log(
        `  ${fixed((performance.now() - started) / 1000, 0)} s: pending ${int(ledger.outbox.state().pending)}, pushes ${pushes.length}, refused ${refusedSoFar}; ${logs.slice(-2).join(' | ')}`,
      );
    }
  }
  const serverCpu = procCpuSeconds(server.pid) - serverCpuBefore;
  const terminalCpuUsage = process.cpuUsage(terminalCpuBefore);
  const terminalCpu = (terminalCpuUsage.user + terminalCpuUsage.system) / 1e6;
  await sync.stop();
  const seen = watch.stop();
  const seconds = (drainedAt - started) / 1000;

  // The server holds exactly the journal's events: per terminal, count, ids, seq 1..N.
  const token = await hqSignIn(server.url);
  const holdings = await serverHoldings(server.url, token);
  const problems = compareHoldings(holdings, new Map([[identity.terminalId, recorded]]));
  const metricsText = await fetchMetrics(server.url);
  const quarantined = metric(metricsText, 'tillwright_quarantine_size');
  const exceptions = metric(metricsText, 'tillwright_exceptions');
  ledger.close();

  const latency = percentiles(pushes);
  const refused = [...refusals].map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
  console.log(`database: ${database.describe}; server defaults (limits, --max-ingest) unchanged`);
  console.log('');
  console.log(
    '| backend | events | drain s | events/s | batches | push p50 ms | push p99 ms | push max ms | refused pushes | server RSS peak MiB | target < 30 s |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |');
  console.log(
    `| ${backend} | ${int(EVENTS)} | ${fixed(seconds, 2)} | ${int(EVENTS / seconds)} | ${int(pushes.length)} | ${fixed(latency.p50)} | ${fixed(latency.p99)} | ${fixed(latency.max)} | ${refused} | ${fixed(seen.hwmMiB)} | ${seconds < TARGET_SECONDS ? 'met' : 'not met'} |`,
  );
  console.log(
    `\nserver /healthz probes (kept-alive connection): ${seen.health.ok} ok / ${seen.health.failed} failed, p99 ${fixed(seen.health.p99)} ms; stored ${int(holdings.total)}, quarantined ${quarantined}, exceptions ${exceptions}`,
  );
  console.log(
    `CPU over the drain: server ${fixed(serverCpu)} s (${fixed((100 * serverCpu) / seconds, 0)} % of one core), terminal ${fixed(terminalCpu)} s (${fixed((100 * terminalCpu) / seconds, 0)} %)`,
  );
  if (logs.length > 0)
    console.log(`sync client log (first 5 of ${logs.length}): ${logs.slice(0, 5).join(' | ')}`);
  if (problems.length > 0 || holdings.total !== EVENTS || !seen.alive) {
    throw new Error(
      `the server does not hold exactly the journal's events: ${problems.slice(0, 10).join('; ')}`,
    );
  }
  console.log(
    `check: the server holds exactly the ${int(EVENTS)} journal events, seq 1..${EVENTS}, once each`,
  );
} finally {
  await server.stop();
  await database.stop();
}
