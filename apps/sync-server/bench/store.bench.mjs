// The store alone, in process: one terminal pushes `batches` batches of `batch` sale events, each as the push route
// does it (`terminal`, `useNonce`, `ingest`), after 20 untimed warm-up batches. No HTTP, no signing, no load
// generator: what the query layer costs shows here undiluted.
// Usage: node bench/store.bench.mjs [sqlite|postgres] [batch=1] [batches=300] [dist=../dist]
//   `dist` may be another build's dist folder (a before/after comparison runs both alternately; BENCHMARKS.md).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const backend = process.argv[2] ?? 'sqlite';
const batch = Number(process.argv[3] ?? 1);
const batches = Number(process.argv[4] ?? 300);
const dist = resolve(process.argv[5] ?? new URL('../dist', import.meta.url).pathname);
const load = (file) => import(pathToFileURL(join(dist, file)).href);
const WARM_UP = 20;

const { seedDemo } = await load('index.js');
const { saleChain } = await load('test-support.js');
const dir = mkdtempSync(join(tmpdir(), 'tillwright-store-bench-'));
let pg = null;
let store;
if (backend === 'postgres') {
  const { startPostgres } = await load('testing/postgres-server.js');
  const { PostgresStore } = await load('store/postgres-store.js');
  pg = await startPostgres();
  store = await PostgresStore.open(pg.url);
} else {
  const { SqliteStore } = await load('store/sqlite-store.js');
  store = new SqliteStore(join(dir, 'server.sqlite'));
}
await seedDemo(store, { enrolmentCode: 'BENCH', adminPassword: 'bench-admin-password' }, new Date());
const terminal = await store.enrolTerminal({
  codeHash: createHash('sha256').update('BENCH').digest('hex'),
  terminalName: 'bench',
  publicKey: 'not-used',
  now: new Date().toISOString(),
});
const events = saleChain(terminal, batch * (WARM_UP + batches));
let nonce = 0;
async function push(i) {
  const now = new Date().toISOString();
  await store.terminal(terminal.terminalId);
  await store.useNonce(terminal.terminalId, `n${nonce++}`, new Date(Date.now() + 60_000).toISOString(), now);
  await store.ingest(terminal, { epoch: 1, events: events.slice(i * batch, (i + 1) * batch) }, now);
}
for (let i = 0; i < WARM_UP; i++) await push(i);
const cpu = process.cpuUsage();
const started = performance.now();
for (let i = WARM_UP; i < WARM_UP + batches; i++) await push(i);
const seconds = (performance.now() - started) / 1000;
// CPU time of this process per batch (user + system, µs): unlike the rate, barely moved by fsync latency or by
// other processes on the machine, so it shows the query layer's own cost when the disk is what a run waits on.
const used = process.cpuUsage(cpu);
const cpuPerBatch = Math.round((used.user + used.system) / batches);
console.log(
  JSON.stringify({
    backend,
    batch,
    batches,
    dist,
    perSecond: Math.round((batch * batches) / seconds),
    cpuPerBatch,
  }),
);
await store.close();
if (pg) await pg.stop();
rmSync(dir, { recursive: true, force: true });
