// Chain verification: journal.verify(epoch) over 50,000 and 100,000 sales, against only reading and parsing the
// same rows (the part of verify that is not hashing).
// Plain Node ESM against the built package: run `npx tsc -b && npm run bench` in packages/ledger.

import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { canonicalJson, createUuidV7Generator, SalePayloadV1 } from '@tillwright/protocol';
import { mulberry32 } from '@tillwright/testkit';
import Database from 'better-sqlite3';
import { Ledger } from '../dist/index.js';
import { benchDir, int, machine, ms, realisticSale, shelf, table } from './support.mjs';

const SEED = 20_251_127;
const SIZES = [50_000, 100_000];
const REPEATS = 3;
const CHUNK = 5_000;

const random = mulberry32(SEED);
const products = shelf(random);
const payloads = Array.from({ length: 500 }, () => SalePayloadV1.parse(realisticSale(random, products)));

const { dir, fs, cleanup } = benchDir('verify');
const path = join(dir, 'journal.sqlite');
const ledger = Ledger.open(path);
let reader;
try {
  ledger.journal.setIdentity({ orgId: 'O1', storeId: 'S1', terminalId: 'T1', epoch: 1 });
  const nextId = createUuidV7Generator();
  // Building the journal is not what is measured: the sales go through journal.record as usual, but 5,000 at a
  // time inside one outer transaction (each record is then a savepoint), so 100,000 take seconds, not minutes.
  const db = ledger.db;
  if (typeof db?.transaction !== 'function')
    throw new Error('cannot reach the ledger connection to build the journal');
  let recorded = 0;
  const fill = (target) => {
    const started = performance.now();
    while (recorded < target) {
      const n = Math.min(CHUNK, target - recorded);
      db.transaction(() => {
        for (let i = 0; i < n; i++) {
          ledger.journal.record({
            eventId: nextId(),
            type: 'sale',
            occurredAt: new Date().toISOString(),
            payload: payloads[recorded++ % payloads.length],
          });
        }
      })();
    }
    return performance.now() - started;
  };

  // Baseline: the same paged query verify runs, on a raw read-only handle, with JSON.parse and nothing else.
  const readOnly = () => {
    const page = reader.prepare(
      'SELECT body FROM journal WHERE epoch = ? AND seq > ? ORDER BY seq LIMIT 1000',
    );
    let seq = 0;
    let n = 0;
    for (;;) {
      const rows = page.all(1, seq);
      if (rows.length === 0) return n;
      for (const row of rows) seq = JSON.parse(row.body).seq;
      n += rows.length;
    }
  };

  const rows = [];
  const results = [];
  for (const size of SIZES) {
    const buildMs = fill(size);
    db.pragma('wal_checkpoint(TRUNCATE)');
    if (!reader) {
      reader = new Database(path, { readonly: true });
      // One untimed pass of each before the first size, so neither pays for the JIT warming up.
      if (ledger.journal.verify(1) !== null) throw new Error('the chain does not verify');
      readOnly();
    }
    const verifyTimes = [];
    const readTimes = [];
    for (let r = 0; r < REPEATS; r++) {
      let t0 = performance.now();
      const broken = ledger.journal.verify(1);
      verifyTimes.push(performance.now() - t0);
      if (broken !== null) throw new Error(`the chain broke at ${broken.seq}`);
      t0 = performance.now();
      const n = readOnly();
      readTimes.push(performance.now() - t0);
      if (n !== size) throw new Error(`read ${n} rows, expected ${size}`);
    }
    const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
    const verifyMs = median(verifyTimes);
    const readMs = median(readTimes);
    const mb = statSync(path).size / 1_048_576;
    results.push({ size, verifyMs, readMs });
    rows.push([
      `verify(epoch), ${int(size)} sales`,
      int(size),
      ms(verifyMs / 1000, 2),
      `${ms(Math.min(...verifyTimes) / 1000, 2)}–${ms(Math.max(...verifyTimes) / 1000, 2)}`,
      int((1000 * size) / verifyMs),
      ms(mb, 1),
      ms(buildMs / 1000, 1),
    ]);
    rows.push([
      `read + JSON.parse only (baseline), ${int(size)}`,
      int(size),
      ms(readMs / 1000, 2),
      `${ms(Math.min(...readTimes) / 1000, 2)}–${ms(Math.max(...readTimes) / 1000, 2)}`,
      int((1000 * size) / readMs),
      '',
      '',
    ]);
  }

  console.log('## Chain verification\n');
  console.log(`${machine()}; temp folder on ${fs.type} (${fs.device}), seed ${SEED}`);
  console.log(
    `sales of 3–5 lines recorded through journal.record; each figure is the median of ${REPEATS} full passes, ` +
      `alternating with the baseline, after one untimed pass of each (file in the page cache)\n`,
  );
  console.log(
    table(
      ['case', 'events', 'median s', 'range s', 'events/s', 'file MiB', 'build s'],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
      rows,
    ),
  );
  // Where a verified event's time goes: the same 10,000 stored events, each step alone, best of 3.
  const sample = reader
    .prepare('SELECT body FROM journal WHERE epoch = 1 ORDER BY seq LIMIT 10000')
    .all()
    .map((r) => r.body);
  const parsed = sample.map((b) => JSON.parse(b));
  const unsigned = parsed.map(({ hash, ...rest }) => rest);
  const canonical = unsigned.map((e) => canonicalJson(e));
  let sink = 0;
  const per = (step) => {
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      for (let i = 0; i < sample.length; i++) sink += step(i);
      best = Math.min(best, performance.now() - t0);
    }
    return (1000 * best) / sample.length;
  };
  const parseUs = per((i) => JSON.parse(sample[i]).seq);
  const canonicalUs = per((i) => canonicalJson(unsigned[i]).length);
  const shaUs = per(
    (i) => createHash('sha256').update(canonical[i]).update(unsigned[i].prevHash).digest('hex').length,
  );
  if (sink === 0) throw new Error('the breakdown measured nothing');
  const last = results.at(-1);
  const verifyUs = (1000 * last.verifyMs) / last.size;
  const readUs = (1000 * last.readMs) / last.size;
  console.log(
    `\nper event (µs): verify ${verifyUs.toFixed(1)}; of which read + JSON.parse ${readUs.toFixed(1)} ` +
      `(JSON.parse alone ${parseUs.toFixed(1)}), canonicalJson ${canonicalUs.toFixed(1)}, SHA-256 ${shaUs.toFixed(1)}`,
  );
  console.log(
    `\nverify / read-only at ${int(last.size)}: ${(last.verifyMs / last.readMs).toFixed(1)}×; ` +
      `${int(last.size)} vs ${int(results[0].size)} takes ${(last.verifyMs / results[0].verifyMs).toFixed(2)}× as long\n`,
  );
} finally {
  reader?.close();
  ledger.close();
  cleanup();
}
