// Name search as the cashier types (issue #17, point 11): `catalog.search` at one and two characters over 100,000
// products in a real ledger file, against a barcode lookup (`findByBarcode`) in the same run as the baseline.
// Target: p99 < 10 ms. Method and figures in BENCHMARKS.md ("Till: name search as you type").
// Usage: node bench/search.bench.mjs [products]
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Ledger } from '@tillwright/ledger';
import { mulberry32, pick as pickFrom } from '@tillwright/testkit';
import { BRANDS, catalogProducts, NOUNS, QUALIFIERS, VARIANTS } from './catalog-products.mjs';
import { deadline, filesystemOf, fixed, int, machine, percentiles, tempDir } from './support.mjs';

const PRODUCTS = Number(process.argv[2] ?? 100_000);
const SEED = 20_261_206;
const ROUNDS = 4;
const PER_ROUND = 500;
const WARM_UP = 200;
const LIMIT = 12; // what the till's search list asks for
const TARGET_P99_MS = 10;
deadline(Number(process.env.BENCH_DEADLINE_SECONDS ?? 300), 'name search');

// The queries' own stream: the catalog comes from the generator the till benches share (catalog-products.mjs).
const random = mulberry32(SEED + 1);
const pick = (list) => pickFrom(random, list);
const products = catalogProducts(PRODUCTS, SEED).map((product) => ({ ...product, version: 1 }));

// What a cashier's first and second key presses send: the start of a real word of the catalog (or of a SKU).
const words = [...BRANDS, ...QUALIFIERS, ...NOUNS, ...VARIANTS, 'SKU', '1'];
const total = ROUNDS * PER_ROUND + WARM_UP;
const oneChar = Array.from({ length: total }, () => pick(words).slice(0, 1).toLowerCase());
const twoChars = Array.from({ length: total }, () => {
  const word = pick(words);
  return word.length >= 2 ? word.slice(0, 2).toLowerCase() : `${word} ${pick(words)[0]}`.toLowerCase();
});
const barcodes = Array.from({ length: total }, () => pick(products).barcodes[0]);

const dir = tempDir('search');
const path = join(dir, 'ledger.sqlite');
console.log(`\n### Name search as you type: ${int(PRODUCTS)} products in the till's ledger`);
console.log(`${machine()}; temp folder on ${filesystemOf(dir)}; seed ${SEED}`);

const ledger = Ledger.open(path);
try {
  const loadStart = performance.now();
  for (let i = 0; i < PRODUCTS; i += 1_000)
    ledger.catalog.applyBatch(products.slice(i, i + 1_000), i / 1_000 + 1);
  const loadSeconds = (performance.now() - loadStart) / 1000;
  console.log(`loaded with applyBatch in batches of 1,000: ${fixed(loadSeconds, 2)} s`);

  const cases = {
    'catalog.search, 1 character': {
      queries: oneChar,
      run: (q) => ledger.catalog.search(q, LIMIT),
      samples: [],
      empty: 0,
    },
    'catalog.search, 2 characters': {
      queries: twoChars,
      run: (q) => ledger.catalog.search(q, LIMIT),
      samples: [],
      empty: 0,
    },
    'findByBarcode (baseline)': {
      queries: barcodes,
      run: (q) => ledger.catalog.findByBarcode(q),
      samples: [],
      empty: 0,
    },
  };
  const time = (c, from, to, keep) => {
    for (let i = from; i < to; i++) {
      const t0 = performance.now();
      const answer = c.run(c.queries[i]);
      const ms = performance.now() - t0;
      if (!keep) continue;
      c.samples.push(ms);
      if (answer === null || (Array.isArray(answer) && answer.length === 0)) c.empty++;
    }
  };
  for (const c of Object.values(cases)) time(c, 0, WARM_UP, false);
  // Rounds alternate the cases, so a slow spell of the machine falls on all of them alike.
  for (let round = 0; round < ROUNDS; round++) {
    const from = WARM_UP + round * PER_ROUND;
    for (const c of Object.values(cases)) time(c, from, from + PER_ROUND, true);
  }

  const rows = Object.entries(cases).map(([name, c]) => ({
    name,
    ...percentiles(c.samples),
    empty: c.empty,
  }));
  const base = rows.at(-1);
  console.log(
    `\n${ROUNDS} alternating rounds of ${PER_ROUND} per case after ${WARM_UP} warm-up; limit ${LIMIT}\n`,
  );
  console.log(
    '| case | queries | answered empty | p50 ms | p99 ms | max ms | p50 ÷ baseline | p99 ÷ baseline |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${int(r.n)} | ${int(r.empty)} | ${fixed(r.p50, 4)} | ${fixed(r.p99, 4)} | ${fixed(r.max, 3)} | ` +
        `${fixed(r.p50 / base.p50, 1)}× | ${fixed(r.p99 / base.p99, 1)}× |`,
    );
  }
  const worst = Math.max(rows[0].p99, rows[1].p99);
  console.log(
    `\ntarget p99 < ${TARGET_P99_MS} ms at 1 and 2 characters: ${worst < TARGET_P99_MS ? 'met' : 'NOT met'} (worst p99 ${fixed(worst, 3)} ms)`,
  );
  if (rows[0].empty + rows[1].empty > 0)
    throw new Error('a search for the start of a real word found nothing');
} finally {
  ledger.close();
}
