// Durable ingest through the real HTTP server: events/s for batch sizes 1, 10, 100 with 1, 10 and 100 concurrent
// terminals (one batch in flight each, as the sync client does), and HQ stream latency from commit to delivery.
// Usage: node bench/ingest.bench.mjs [sqlite|postgres]   (figures and method in BENCHMARKS.md)
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUuidV7Generator, GENESIS_HASH, SseParser } from '@tillwright/protocol';
import { sealEvent } from '@tillwright/protocol/chain';
import { generateTerminalKeyPair, signRequest } from '@tillwright/protocol/signing';
import { sampleSalePayload } from '@tillwright/protocol/testing';
import { buildApp, seedDemo } from '../dist/index.js';
import { createStore } from '../dist/store/create-store.js';

const backend = process.argv[2] ?? 'sqlite';
const SHAPES = [
  { terminals: 1, batch: 1, batches: 300 },
  { terminals: 1, batch: 10, batches: 100 },
  { terminals: 1, batch: 100, batches: 20 },
  { terminals: 10, batch: 1, batches: 60 },
  { terminals: 10, batch: 10, batches: 20 },
  { terminals: 10, batch: 100, batches: 4 },
  { terminals: 100, batch: 1, batches: 10 },
  { terminals: 100, batch: 10, batches: 4 },
  { terminals: 100, batch: 100, batches: 1 },
];

const dir = mkdtempSync(join(tmpdir(), 'tillwright-ingest-bench-'));
let pg = null;
let dbTarget = join(dir, 'server.sqlite');
if (backend === 'postgres') {
  const { startPostgres } = await import('../dist/testing/postgres-server.js');
  pg = await startPostgres();
  dbTarget = pg.url;
}
const store = await createStore(dbTarget, dir);
const terminalsNeeded = SHAPES.reduce((sum, shape) => sum + shape.terminals, 0) + 1;
const codes = Array.from({ length: terminalsNeeded }, (_, i) => `BENCH-CODE-${String(i).padStart(4, '0')}`);
await seedDemo(store, { enrolmentCode: codes[0], adminPassword: 'bench-admin-password' }, new Date());
const expires = new Date(Date.now() + 3600_000).toISOString();
for (const code of codes.slice(1)) {
  await store.issueEnrolmentCode(
    'demo-org',
    'store-001',
    createHash('sha256').update(code).digest('hex'),
    expires,
  );
}
// Limits off: this measures ingest, not the rate limiters or the ingest gate (e2e/bench/herd.bench.mjs measures those).
const unlimited = { perSecond: 1e6, burst: 1e6 };
const { app } = buildApp({
  store,
  terminalRate: unlimited,
  enrolRate: unlimited,
  addressRate: unlimited,
  ingest: { maxActive: 10_000, perAddress: 10_000 },
  connections: { perAddress: 0 },
});
const base = await app.listen({ port: 0, host: '127.0.0.1' });
let codeIndex = 0;

async function enrol() {
  const keys = generateTerminalKeyPair();
  const response = await fetch(`${base}/v1/enrol`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: codes[codeIndex++], terminalName: 'bench', publicKey: keys.publicKey }),
  });
  const identity = await response.json();
  if (response.status !== 200)
    throw new Error(`enrol ${codeIndex} of ${codes.length}: ${response.status}: ${JSON.stringify(identity)}`);
  let tick = Date.now();
  const nextId = createUuidV7Generator(() => tick++);
  return { ...identity, keys, nextId, previous: { seq: 0, hash: GENESIS_HASH } };
}

function nextBatch(terminal, size) {
  const events = [];
  for (let i = 0; i < size; i++) {
    const event = sealEvent({
      schema: 1,
      eventId: terminal.nextId(),
      type: 'sale',
      terminalId: terminal.terminalId,
      storeId: terminal.storeId,
      epoch: terminal.epoch,
      seq: terminal.previous.seq + 1,
      occurredAt: new Date().toISOString(),
      payload: sampleSalePayload(250 + (i % 7), 500),
      prevHash: terminal.previous.hash,
    });
    terminal.previous = { seq: event.seq, hash: event.hash };
    events.push(event);
  }
  return events;
}

async function push(terminal, events) {
  const body = JSON.stringify({ epoch: terminal.epoch, events });
  const path = '/v1/journal/batches';
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: signRequest(
        { method: 'POST', pathWithQuery: path, body },
        terminal.terminalId,
        terminal.keys.privateKeyPem,
      ),
    },
    body,
  });
  if (response.status !== 200) throw new Error(`push ${response.status}: ${await response.text()}`);
  await response.json();
}

const rows = [];
for (const shape of SHAPES) {
  const terminals = [];
  for (let i = 0; i < shape.terminals; i++) terminals.push(await enrol());
  const prepared = terminals.map((t) =>
    Array.from({ length: shape.batches }, () => nextBatch(t, shape.batch)),
  );
  const started = performance.now();
  await Promise.all(
    terminals.map(async (terminal, i) => {
      for (const batch of prepared[i]) await push(terminal, batch);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const events = shape.terminals * shape.batch * shape.batches;
  rows.push({ ...shape, events, seconds, perSecond: events / seconds });
  // Terminals are spent after one shape: each shape enrols fresh ones so chains start at seq 1.
}

// HQ stream latency: one consumer, one terminal pushing single-event batches; commit → delivery.
const session = await (
  await fetch(`${base}/v1/hq/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }),
  })
).json();
const controller = new AbortController();
// Start the stream after everything already ingested: offsets count the events stored so far.
const storedSoFar = rows.reduce((sum, row) => sum + row.events, 0);
const streamResponse = await fetch(`${base}/v1/hq/stream?after=${storedSoFar}`, {
  headers: { authorization: `Bearer ${session.token}` },
  signal: controller.signal,
});
const arrivals = new Map();
const reading = (async () => {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  try {
    for await (const chunk of streamResponse.body) {
      for (const frame of parser.push(decoder.decode(chunk, { stream: true }))) {
        arrivals.set(JSON.parse(frame.data).event.eventId, performance.now());
      }
    }
  } catch {
    // aborted at the end
  }
})();
const streamer = await enrol();
const latencies = [];
for (let i = 0; i < 300; i++) {
  const [event] = nextBatch(streamer, 1);
  // The commit happens inside the push, and the frame can arrive before the push's answer does, so time from
  // sending the push: an upper bound on commit → delivery that includes the request itself.
  const sent = performance.now();
  await push(streamer, [event]);
  while (!arrivals.has(event.eventId)) await new Promise((resolve) => setImmediate(resolve));
  latencies.push(arrivals.get(event.eventId) - sent);
}
controller.abort();
await reading;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];

console.log(`\n### Ingest, ${backend}\n`);
console.log('| terminals | batch size | batches each | events | seconds | events/s |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  console.log(
    `| ${row.terminals} | ${row.batch} | ${row.batches} | ${row.events} | ${row.seconds.toFixed(2)} | ${Math.round(row.perSecond)} |`,
  );
}
console.log(
  `\nHQ stream latency, push sent → SSE frame received (upper bound on commit → delivery), 300 sales: p50 ${pct(50).toFixed(2)} ms, p99 ${pct(99).toFixed(2)} ms, max ${latencies.at(-1).toFixed(2)} ms`,
);

await app.close();
await store.close();
if (pg) await pg.stop();
rmSync(dir, { recursive: true, force: true });
