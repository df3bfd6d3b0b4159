// The terminal's catalog cache at 100,000 products: load through applyBatch, barcode lookup against an in-memory
// Map, and FTS5 name search against a plain scan of the names in memory.
// Plain Node ESM against the built package: run `npx tsc -b && npm run bench` in packages/ledger.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CatalogProduct } from '@tillwright/protocol';
import { integer, mulberry32, pick as pickFrom } from '@tillwright/testkit';
import { Ledger } from '../dist/index.js';
import { benchDir, concat, int, machine, ms, summarise, table } from './support.mjs';

const SEED = 20_251_126;
const PRODUCTS = 100_000;
const BATCH = 1_000;
const LOOKUPS = 100_000;
const MISS_RATE = 0.1;
const SEARCHES = 3_000;
const SCAN_EVERY = 3;
const ONE_LETTER = 200;
const SEARCH_LIMIT = 20;
const ROUNDS = 4;

const random = mulberry32(SEED);
const int0 = (max) => integer(random, 0, max - 1);
const pick = (list) => pickFrom(random, list);

const BRANDS = (
  'Acme Northwind Contoso Fabrikam Globex Initech Umbrella Hooli Vandelay Wonka Soylent Tyrell Cyberdyne Stark ' +
  'Wayne Oscorp Monarch Gringotts Duff Krusty Nakatomi Primatech Virtucon Zorg Bluth Dunder Sterling Pied Massive ' +
  'Aperture Black Mesa Weyland Yutani Ollivander Honeydukes Spacely Cogswell Gekko Prestige Worldwide'
).split(' ');
const QUALIFIERS = (
  'Organic Classic Original Light Extra Fresh Premium Smoked Roasted Salted Unsalted Sparkling Still Wholegrain ' +
  'Gluten-free Vegan Spicy Mild Sweet Sour Frozen Chilled Dried Instant Family Mini Maxi Eco Natural Lactose-free ' +
  'Barista Crunchy Creamy Soft Hard Dark White Golden Red Green Blue Large Small Double Triple Heritage Alpine'
).split(' ');
const NOUNS = (
  'milk yoghurt butter cheese cream bread rolls bagels croissant muffins cookies crackers crisps chocolate ' +
  'candy gum coffee tea cocoa juice water lemonade cola beer wine cider rice pasta noodles flour sugar salt ' +
  'pepper oil vinegar ketchup mustard mayonnaise soup beans lentils chickpeas tomatoes potatoes onions garlic ' +
  'apples bananas oranges grapes berries cherries peaches pears lemons limes carrots lettuce spinach broccoli ' +
  'cucumber peppers mushrooms sausages ham bacon salami chicken turkey beef pork salmon tuna shrimp eggs tofu ' +
  'granola muesli cereal oats honey jam peanut-butter hazelnut-spread shampoo conditioner soap toothpaste ' +
  'toothbrush deodorant razor tissues toilet-paper kitchen-roll detergent dishwasher-tabs sponges batteries ' +
  'light-bulb candles matches notebook pen pencil marker envelopes tape glue scissors stapler charger cable ' +
  'headphones socks gloves umbrella'
).split(' ');
const VARIANTS = (
  'vanilla strawberry raspberry blueberry lemon lime orange mango peach apple cherry banana coconut almond ' +
  'hazelnut caramel mint cinnamon ginger paprika garlic onion chive cheddar mozzarella parmesan sea-salt ' +
  'barbecue chili curry basil oregano rosemary thyme sesame poppy multigrain sourdough rye spelt'
).split(' ');
const SIZES =
  '100 g|125 g|150 g|200 g|250 g|400 g|500 g|750 g|1 kg|2 kg|250 ml|330 ml|500 ml|1 l|1.5 l|2 l|4 pack|6 pack|10 pack|12 pack'.split(
    '|',
  );
const DEPARTMENTS = [
  'grocery',
  'dairy',
  'bakery',
  'produce',
  'snacks',
  'drinks',
  'household',
  'personal-care',
];
const words = (w) => w.replaceAll('-', ' ');

/** An EAN-13 with a valid check digit, from a 12-digit body. */
function ean13(body) {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return body + String((10 - (sum % 10)) % 10);
}
const taken = new Set();
function freshBarcode() {
  for (;;) {
    const code = ean13(`4${int0(10)}${String(int0(10_000_000_000)).padStart(10, '0')}`);
    if (!taken.has(code)) {
      taken.add(code);
      return code;
    }
  }
}

const products = Array.from({ length: PRODUCTS }, (_, i) => {
  const parts = [pick(BRANDS)];
  if (random() < 0.6) parts.push(pick(QUALIFIERS));
  parts.push(words(pick(NOUNS)));
  if (random() < 0.5) parts.push(words(pick(VARIANTS)));
  parts.push(pick(SIZES));
  const r = random();
  const barcodeCount = r < 0.6 ? 1 : r < 0.9 ? 2 : 3;
  return {
    productId: `prod-${String(i + 1).padStart(6, '0')}`,
    sku: `SKU-${String(100_000 + i)}`,
    name: parts.join(' '),
    barcodes: Array.from({ length: barcodeCount }, freshBarcode),
    currency: 'EUR',
    price: 29 + int0(9_970),
    taxCategory: random() < 0.35 ? 'reduced' : 'standard',
    tags: [pick(DEPARTMENTS)],
    active: true,
    version: 1,
  };
});
CatalogProduct.parse(products[0]);
const barcodes = products.flatMap((p) => p.barcodes);

// Lookups: 90 % scans of a barcode in the catalog, 10 % of a valid EAN-13 that is not in it.
const lookups = Array.from({ length: LOOKUPS }, () =>
  random() < MISS_RATE ? freshBarcode() : pick(barcodes),
);

// Searches: what a cashier types, 1 word (60 %) or 2 words, each a prefix of at least 2 letters of a real word.
const vocabulary = [...BRANDS, ...QUALIFIERS, ...NOUNS.flatMap((n) => n.split('-')), ...VARIANTS];
const prefix = (word) => word.toLowerCase().slice(0, 2 + int0(Math.max(1, word.length - 1)));
const searches = Array.from({ length: SEARCHES }, () =>
  random() < 0.6 ? prefix(pick(vocabulary)) : `${prefix(pick(BRANDS))} ${prefix(pick(NOUNS).split('-')[0])}`,
);

// What a cashier's first key press sends in search-as-you-type; reported apart, not in the 2-letter-and-up figures.
const oneLetter = Array.from({ length: ONE_LETTER }, () => pick(vocabulary)[0].toLowerCase());

const { dir, fs, cleanup } = benchDir('catalog');
const path = join(dir, 'catalog.sqlite');
let ledger;
try {
  // Load: batches of 1,000 as a catalog pull delivers them, each one transaction with its cursor.
  ledger = Ledger.open(path);
  const batchTimes = [];
  const loadStart = performance.now();
  for (let b = 0; b < PRODUCTS / BATCH; b++) {
    const t0 = performance.now();
    ledger.catalog.applyBatch(products.slice(b * BATCH, (b + 1) * BATCH), b + 1);
    batchTimes.push(performance.now() - t0);
  }
  const loadMs = performance.now() - loadStart;
  if (ledger.catalog.cursor() !== PRODUCTS / BATCH) throw new Error('the catalog cursor did not move');
  ledger.close();
  const reopenStart = performance.now();
  ledger = Ledger.open(path);
  const reopenMs = performance.now() - reopenStart;
  const fileMb = statSync(path).size / 1_048_576;

  // The baseline: the same entries held in a Map, as a terminal that kept the whole catalog in memory would.
  const map = new Map();
  for (const p of products) {
    const entry = {
      productId: p.productId,
      sku: p.sku,
      name: p.name,
      currency: p.currency,
      price: p.price,
      taxCategory: p.taxCategory,
      tags: p.tags,
      version: p.version,
    };
    for (const code of p.barcodes) map.set(code, entry);
  }
  const hits = lookups.filter((code) => map.has(code)).length;

  const lookupRun = (find, from, to) => {
    const samples = new Float64Array(to - from);
    let found = 0;
    for (let i = from; i < to; i++) {
      const t0 = performance.now();
      const entry = find(lookups[i]);
      samples[i - from] = performance.now() - t0;
      if (entry) found++;
    }
    return { samples, found };
  };
  const sqliteFind = (code) => ledger.catalog.findByBarcode(code);
  const mapFind = (code) => map.get(code) ?? null;
  lookupRun(sqliteFind, 0, 10_000);
  lookupRun(mapFind, 0, 10_000);
  const sqliteRuns = [];
  const mapRuns = [];
  let sqliteFound = 0;
  let mapFound = 0;
  const size = LOOKUPS / ROUNDS;
  for (let round = 0; round < ROUNDS; round++) {
    const from = round * size;
    const s = lookupRun(sqliteFind, from, from + size);
    const m = lookupRun(mapFind, from, from + size);
    sqliteRuns.push(s.samples);
    mapRuns.push(m.samples);
    sqliteFound += s.found;
    mapFound += m.found;
  }
  if (sqliteFound !== hits || mapFound !== hits) {
    throw new Error(`lookups disagree: sqlite ${sqliteFound}, map ${mapFound}, expected ${hits}`);
  }
  const sqliteAll = concat(sqliteRuns);
  const isHit = lookups.map((code) => map.has(code));
  const split = (all, wantHit) => all.filter((_, i) => isHit[i] === wantHit);

  // Name search: FTS5 through catalog.search, against a scan of every name in memory (every query word must
  // start a word of the name; all matches collected, the first 20 kept, no ranking).
  const tokenised = products.map((p) => ({
    words: p.name.toLowerCase().split(/[^\p{L}\p{N}]+/u),
    sku: p.sku.toLowerCase(),
    product: p,
  }));
  const scan = (text) => {
    const terms = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    const matches = [];
    for (const t of tokenised) {
      if (terms.every((term) => t.words.some((w) => w.startsWith(term)) || t.sku.startsWith(term))) {
        matches.push(t.product);
      }
    }
    return matches.slice(0, SEARCH_LIMIT);
  };
  const searchRun = (search, queries) => {
    const samples = new Float64Array(queries.length);
    const counts = new Int32Array(queries.length);
    for (let i = 0; i < queries.length; i++) {
      const t0 = performance.now();
      const results = search(queries[i]);
      samples[i] = performance.now() - t0;
      counts[i] = results.length;
    }
    return { samples, counts };
  };
  const ftsSearch = (text) => ledger.catalog.search(text, SEARCH_LIMIT);
  for (let i = 0; i < 200; i++) {
    ftsSearch(searches[i]);
    scan(searches[i]);
  }
  const fts = searchRun(ftsSearch, searches);
  const letters = searchRun(ftsSearch, oneLetter);
  // The scan takes over 10 ms a query, so it runs on every third query only, to keep the whole bench short.
  const scanned = searches.filter((_, i) => i % SCAN_EVERY === 0);
  const naive = searchRun(scan, scanned);
  const mismatched = scanned.filter((_, i) => fts.counts[i * SCAN_EVERY] !== naive.counts[i]).length;
  const oneWord = searches.map((q) => !q.includes(' '));
  const shortPrefix = searches.map((q) => !q.includes(' ') && q.length === 2);
  const pickBy = (samples, flags, want = true) => samples.filter((_, i) => flags[i] === want);
  const withResults = fts.counts.filter((n) => n > 0).length;
  const full = fts.counts.filter((n) => n === SEARCH_LIMIT).length;

  const row = (name, samples) => {
    const s = summarise(samples);
    return [name, int(s.n), ms(s.p50, 4), ms(s.p99, 4), ms(s.max, 3), ms(s.mean, 4), int(1000 / s.mean)];
  };
  const header = ['case', 'queries', 'p50 ms', 'p99 ms', 'max ms', 'mean ms', 'queries/s'];
  const align = ['l', 'r', 'r', 'r', 'r', 'r', 'r'];
  const lookupSummary = summarise(sqliteAll);
  const mapSummary = summarise(concat(mapRuns));
  const searchSummary = summarise(fts.samples);
  const scanSummary = summarise(naive.samples);
  const ftsScanned = summarise(scanned.map((_, i) => fts.samples[i * SCAN_EVERY]));
  const batch = summarise(batchTimes);

  console.log('## Catalog cache, 100,000 products\n');
  console.log(`${machine()}; temp folder on ${fs.type} (${fs.device}), seed ${SEED}`);
  console.log(
    `${int(PRODUCTS)} products, ${int(barcodes.length)} barcodes (1–3 each, EAN-13), names of ` +
      `${(products.reduce((n, p) => n + p.name.split(' ').length, 0) / PRODUCTS).toFixed(1)} words on average ` +
      `(e.g. "${products[0].name}", "${products[1].name}")\n`,
  );
  console.log(
    table(
      [
        'load',
        'products',
        'batches',
        'total s',
        'products/s',
        'batch p50 ms',
        'batch max ms',
        'file MiB',
        'reopen ms',
      ],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      [
        [
          `applyBatch × ${PRODUCTS / BATCH}`,
          int(PRODUCTS),
          int(PRODUCTS / BATCH),
          ms(loadMs / 1000, 2),
          int((1000 * PRODUCTS) / loadMs),
          ms(batch.p50, 1),
          ms(batch.max, 1),
          ms(fileMb, 1),
          ms(reopenMs, 1),
        ],
      ],
    ),
  );
  console.log(
    `\nreopen = Ledger.open on the loaded file (quick_check over the whole file, migrations up to date)\n`,
  );
  console.log(
    `barcode lookup: ${int(LOOKUPS)} lookups, ${int(hits)} hits and ${int(LOOKUPS - hits)} misses, ` +
      `warm-up 10,000 per case, ${ROUNDS} alternating rounds\n`,
  );
  console.log(
    table(header, align, [
      row('findByBarcode, all', sqliteAll),
      row('findByBarcode, hits', split(sqliteAll, true)),
      row('findByBarcode, misses', split(sqliteAll, false)),
      row('Map.get (baseline)', concat(mapRuns)),
    ]),
  );
  console.log(
    `\nratio findByBarcode / Map: p50 ${(lookupSummary.p50 / mapSummary.p50).toFixed(0)}×, ` +
      `p99 ${(lookupSummary.p99 / mapSummary.p99).toFixed(0)}×`,
  );
  console.log(
    `\nname search: ${int(SEARCHES)} prefix queries (${oneWord.filter(Boolean).length} of 1 word, ` +
      `${oneWord.filter((b) => !b).length} of 2), limit ${SEARCH_LIMIT}; ${withResults} found something, ` +
      `${full} filled the limit; the scan ran on ${scanned.length} of them and returned as many results as FTS ` +
      `on all but ${mismatched}\n`,
  );
  console.log(
    table(header, align, [
      row('catalog.search (FTS5), all', fts.samples),
      row('… of them 1 word', pickBy(fts.samples, oneWord)),
      row('… of them 1 word of 2 letters', pickBy(fts.samples, shortPrefix)),
      row('… of them 2 words', pickBy(fts.samples, oneWord, false)),
      row('catalog.search, 1 letter (apart)', letters.samples),
      row('scan of names in memory (baseline)', naive.samples),
    ]),
  );
  console.log(
    `\nratio catalog.search / scan on the same ${scanned.length} queries: p50 ` +
      `${(ftsScanned.p50 / scanSummary.p50).toFixed(2)}×, p99 ${(ftsScanned.p99 / scanSummary.p99).toFixed(2)}×`,
  );
  console.log(
    `targets (design §7): lookup p99 < 1 ms — ${lookupSummary.p99 < 1 ? 'met' : 'NOT met'} (${ms(lookupSummary.p99, 4)} ms); ` +
      `name search < 10 ms (p99) — ${searchSummary.p99 < 10 ? 'met' : 'NOT met'} (${ms(searchSummary.p99)} ms, ` +
      `max ${ms(searchSummary.max)} ms)\n`,
  );
} finally {
  ledger?.close();
  cleanup();
}
