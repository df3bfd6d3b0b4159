// Shared helpers for the ledger benchmarks: percentiles, temp folders on the real disk, the machine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleSalePayload } from '@tillwright/protocol/testing';

/** Nearest-rank percentiles of a run of timings in ms, with the mean and the rate it implies. */
export function summarise(samples) {
  const sorted = Float64Array.from(samples).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1], mean };
}

export function concat(parts) {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

/**
 * A fresh folder for one benchmark. Defaults to the OS temp folder; set LEDGER_BENCH_DIR to put it elsewhere.
 * The filesystem type is reported, because tmpfs would make every fsync free and the figures meaningless.
 */
export function benchDir(name) {
  const root = process.env.LEDGER_BENCH_DIR ?? tmpdir();
  const dir = mkdtempSync(join(root, `tillwright-bench-${name}-`));
  const fs = filesystemOf(dir);
  if (fs.type === 'tmpfs' || fs.type === 'ramfs') {
    console.warn(
      `warning: ${dir} is on ${fs.type}; fsync costs nothing there, so durable figures are not real`,
    );
  }
  return { dir, fs, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function filesystemOf(dir) {
  try {
    const out = execFileSync('df', ['-T', dir], { encoding: 'utf8' }).trim().split('\n').at(-1).split(/\s+/);
    return { device: out[0], type: out[1] };
  } catch {
    return { device: 'unknown', type: 'unknown' };
  }
}

export function machine() {
  return `node ${process.version}, nproc ${availableParallelism()}, ${cpus()[0]?.model ?? 'unknown CPU'}`;
}

export const ms = (value, digits = 3) => value.toFixed(digits);
export const int = (value) => Math.round(value).toLocaleString('en-US');

/** A markdown table from a header row, an alignment row ('l' or 'r' per column) and rows. */
export function table(header, align, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(align.map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

const TAX = { standard: { code: 'VAT19', rate: 19 }, reduced: { code: 'VAT7', rate: 7 } };
const TAX_NAMES = { VAT19: 'MwSt 19 %', VAT7: 'MwSt 7 %' };

/**
 * A realistic priced sale of 3 to 5 lines (German VAT, prices tax-inclusive), paid by cash (rounded up to the next
 * 5 euros, with change) or by card token. Built from `sampleSalePayload` so it keeps the shape the tests use.
 */
export function realisticSale(random, products) {
  const base = sampleSalePayload(100, 100);
  const count = 3 + Math.floor(random() * 3);
  const lines = [];
  const byCode = new Map();
  for (let i = 0; i < count; i++) {
    const product = products[Math.floor(random() * products.length)];
    const quantity = random() < 0.7 ? 1 : 2 + Math.floor(random() * 3);
    const tax = TAX[product.taxCategory];
    const amount = product.price * quantity;
    const taxAmount = Math.round((amount * tax.rate) / (100 + tax.rate));
    lines.push({
      ...base.lines[0],
      lineId: `l${i + 1}`,
      productId: product.productId,
      sku: product.sku,
      barcode: product.barcode,
      name: product.name,
      quantity,
      taxCategory: product.taxCategory,
      catalogUnitPrice: product.price,
      unitPrice: product.price,
      extended: amount,
      adjustments: [],
      amount,
      net: amount - taxAmount,
      taxes: [{ code: tax.code, amount: taxAmount }],
      total: amount,
    });
    const group = byCode.get(tax.code) ?? { code: tax.code, rate: tax.rate, taxable: 0, tax: 0 };
    group.taxable += amount - taxAmount;
    group.tax += taxAmount;
    byCode.set(tax.code, group);
  }
  const total = lines.reduce((sum, line) => sum + line.total, 0);
  const taxTotal = lines.reduce((sum, line) => sum + line.taxes[0].amount, 0);
  const cash = random() < 0.6;
  const tendered = cash ? Math.ceil(total / 500) * 500 : total;
  return {
    ...base,
    lines,
    taxes: [...byCode.values()].map((g) => ({
      code: g.code,
      name: TAX_NAMES[g.code],
      rate: g.rate * 10_000,
      taxable: g.taxable,
      tax: g.tax,
    })),
    subtotal: total,
    discountTotal: 0,
    taxTotal,
    total,
    tenders: [
      {
        kind: cash ? 'cash' : 'card',
        ref: cash ? null : `tok_${Math.floor(random() * 1e12).toString(36)}`,
        amount: total,
        tendered,
        change: tendered - total,
      },
    ],
    paid: total,
    change: tendered - total,
  };
}

/** A small shelf of products for the sale generator (the catalog benchmark builds its own 100,000). */
export function shelf(random, size = 200) {
  const names = [
    'Oat milk 1 l',
    'Rye bread 500 g',
    'Espresso beans 1 kg',
    'Blue ballpoint pen',
    'AA batteries 4x',
  ];
  return Array.from({ length: size }, (_, i) => ({
    productId: `p-${i}`,
    sku: `SKU-${10_000 + i}`,
    barcode: String(4_006_381_000_000 + i),
    name: `${names[i % names.length]} #${i}`,
    price: 49 + Math.floor(random() * 2950),
    taxCategory: random() < 0.35 ? 'reduced' : 'standard',
  }));
}
