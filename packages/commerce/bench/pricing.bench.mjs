// Prices a 200-line basket against 50 active promotions, and the same basket with none as a baseline.
// Plain Node ESM against the built package: run `npx tsc -b && npm run bench` in packages/commerce.
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { integer, mulberry32, pick as pickFrom } from '@tillwright/testkit';
import { BRITISH_COLUMBIA, priceSale } from '../dist/index.js';

const SEED = 20_251_125;
const LINES = 200;
const PROMOTIONS = 50;
const WARMUP = 300;
const ITERATIONS = 3000;
const ROUNDS = 3;

const random = mulberry32(SEED);
const int = (min, max) => integer(random, min, max);
const pick = (list) => pickFrom(random, list);

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
const BRANDS = ['acme', 'northwind', 'contoso', 'fabrikam', 'globex', 'initech'];
const CATEGORIES = ['standard', 'standard', 'standard', 'basic_groceries', 'childrens_clothing'];

// A big grocery basket: 200 distinct products, mostly one of each, a few multiples (about 280 units in all).
const lines = Array.from({ length: LINES }, (_, i) => {
  const department = pick(DEPARTMENTS);
  const quantity = random() < 0.75 ? 1 : int(2, 4);
  return {
    lineId: `l${i + 1}`,
    productId: `prod-${String(i).padStart(4, '0')}`,
    sku: `SKU${100_000 + i}`,
    barcode: String(4_000_000_000_000 + i * 7),
    name: `${department} item ${i}`,
    quantity,
    unitPrice: int(49, 4999),
    taxCategory: pick(CATEGORIES),
    tags: [department, pick(BRANDS), ...(random() < 0.2 ? ['clearance'] : [])],
  };
});

const productIds = () => Array.from({ length: int(3, 12) }, () => lines[int(0, LINES - 1)].productId);
const target = () =>
  random() < 0.5 ? { tags: [pick([...DEPARTMENTS, ...BRANDS])] } : { productIds: productIds() };
// Conditions that all hold at the sale's time and place, so all 50 promotions are active and checked.
const conditions = () =>
  pick([
    undefined,
    { from: '2025-11-01T00:00:00Z', until: '2025-12-01T00:00:00Z' },
    { stores: ['store-1', 'store-2'], channels: ['pos'] },
    { daysOfWeek: [1, 2, 3, 4, 5], minutesOfDay: { from: 8 * 60, to: 20 * 60 } },
  ]);

// A realistic mix: 18 percent-off, 10 amount-off, 8 buy X get Y, 6 mix and match, 6 basket thresholds, 2 exclusive.
const KINDS = [
  ...Array(18).fill('item-percent'),
  ...Array(10).fill('item-amount'),
  ...Array(8).fill('buy-x-get-y'),
  ...Array(6).fill('mix-and-match'),
  ...Array(6).fill('basket-threshold'),
  ...Array(2).fill('exclusive'),
];
const promotions = KINDS.map((kind, i) => {
  const base = {
    id: `promo-${String(i).padStart(2, '0')}`,
    name: `Promotion ${i}`,
    priority: int(0, 9),
    stackable: random() < 0.3,
    conditions: conditions(),
  };
  switch (kind) {
    case 'item-percent':
      return {
        ...base,
        kind,
        target: target(),
        rate: pick([50_000, 100_000, 150_000, 200_000, 250_000, 500_000]),
      };
    case 'item-amount':
      return { ...base, kind, target: target(), amount: pick([10, 25, 50, 100, 200]) };
    case 'buy-x-get-y': {
      const t = target();
      return {
        ...base,
        kind,
        buy: { target: t, quantity: int(1, 3) },
        get: { target: t, quantity: 1, rate: pick([500_000, 1_000_000]) },
      };
    }
    case 'mix-and-match':
      return { ...base, kind, target: target(), quantity: int(2, 4), bundlePrice: int(300, 1500) };
    case 'basket-threshold':
      return {
        ...base,
        kind,
        minimum: pick([2000, 5000, 10_000, 25_000]),
        discount:
          random() < 0.5
            ? { kind: 'percent', rate: pick([50_000, 100_000]) }
            : { kind: 'amount', amount: pick([500, 1000, 2500]) },
      };
    default:
      return {
        ...base,
        exclusive: true,
        kind: 'basket-threshold',
        minimum: 0,
        discount: { kind: 'percent', rate: pick([100_000, 200_000]) },
      };
  }
});

const input = (withPromotions) => ({
  currency: 'CAD',
  lines,
  promotions: withPromotions,
  context: { at: '2025-11-25T18:30:00Z', utcOffsetMinutes: -480, storeId: 'store-1', channel: 'pos' },
  jurisdiction: BRITISH_COLUMBIA,
  limits: { maxLineDiscountRate: 100_000, maxBasketDiscountRate: 50_000, maxPriceDecreaseRate: 200_000 },
  versions: { catalog: 1, priceList: 1, promotions: 1, taxRules: 1 },
});
const withPromotions = input(promotions);
const baseline = input([]);

function measure(sale, iterations) {
  const samples = new Float64Array(iterations);
  let sink = 0;
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    sink += priceSale(sale).total;
    samples[i] = performance.now() - start;
  }
  if (sink <= 0) throw new Error('pricing produced nothing');
  return samples;
}

function summarise(samples) {
  const sorted = Float64Array.from(samples).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), mean, perSecond: 1000 / mean };
}

const concat = (parts) => {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
};

// Sanity: the promotions really apply, and pricing is deterministic.
const sample = priceSale(withPromotions);
if (JSON.stringify(sample) !== JSON.stringify(priceSale(withPromotions)))
  throw new Error('pricing is not deterministic');
const units = lines.reduce((n, line) => n + line.quantity, 0);

measure(withPromotions, WARMUP);
measure(baseline, WARMUP);
// Alternate the two cases in rounds so drift (thermal, GC, neighbours) hits both alike.
const promoRuns = [];
const baseRuns = [];
for (let round = 0; round < ROUNDS; round++) {
  baseRuns.push(measure(baseline, ITERATIONS / ROUNDS));
  promoRuns.push(measure(withPromotions, ITERATIONS / ROUNDS));
}
const promo = summarise(concat(promoRuns));
const base = summarise(concat(baseRuns));

const ms = (value) => value.toFixed(3);
const row = (name, s) =>
  `| ${name} | ${s.n} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.mean)} | ${Math.round(s.perSecond)} |`;
console.log(
  `Commerce pricing: ${LINES} lines (${units} units), ${PROMOTIONS} active promotions, seed ${SEED}`,
);
console.log(
  `${sample.promotions.length} promotions applied, discount ${sample.discountTotal}, total ${sample.total} ${sample.currency} (${BRITISH_COLUMBIA.id})`,
);
console.log(`node ${process.version}, ${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}`);
console.log(`warm-up ${WARMUP} per case, then ${ROUNDS} alternating rounds of ${ITERATIONS / ROUNDS}\n`);
console.log('| case | iterations | p50 ms | p99 ms | mean ms | prices/s |');
console.log('|---|---:|---:|---:|---:|---:|');
console.log(row(`${LINES} lines, ${PROMOTIONS} promotions`, promo));
console.log(row(`${LINES} lines, 0 promotions (baseline)`, base));
console.log(
  `\nratio (50 promotions / baseline): p50 ${(promo.p50 / base.p50).toFixed(1)}×, mean ${(promo.mean / base.mean).toFixed(1)}×`,
);
