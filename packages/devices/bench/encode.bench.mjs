// Encode a 50-line receipt and a 5-line baseline in the same run; report p50/p99 per encode and the ratio.
// Usage: npm run bench (builds first). Uses the built package (dist), so it measures what ships.
import { performance } from 'node:perf_hooks';
import { encodeReceipt, PROFILE_80MM } from '../dist/index.js';

function receipt(lines) {
  const blocks = [
    { kind: 'text', text: 'TILLWRIGHT CAFÉ', align: 'center', bold: true, size: 'double' },
    { kind: 'text', text: 'Rue de la Paix 2, Zürich', align: 'center' },
    { kind: 'rule' },
  ];
  for (let i = 0; i < lines; i++) {
    blocks.push({
      kind: 'columns',
      left: `${i + 1} × Crème brûlée n°${i}`,
      right: `€ ${(i * 1.1).toFixed(2)}`,
    });
  }
  blocks.push(
    { kind: 'rule' },
    { kind: 'columns', left: 'TOTAL', right: '€ 123,45', bold: true },
    { kind: 'qr', data: 'tw:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' },
    { kind: 'cut' },
  );
  return { blocks };
}

function measure(doc, iterations) {
  for (let i = 0; i < 200; i++) encodeReceipt(doc, PROFILE_80MM); // warm-up
  const samples = new Float64Array(iterations);
  let bytes = 0;
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    bytes = encodeReceipt(doc, PROFILE_80MM).length;
    samples[i] = performance.now() - t0;
  }
  samples.sort();
  const at = (q) => samples[Math.min(iterations - 1, Math.floor(q * iterations))];
  return { p50: at(0.5), p99: at(0.99), bytes };
}

const iterations = Number(process.env.BENCH_ITERATIONS ?? 300);
const small = measure(receipt(5), iterations);
const large = measure(receipt(50), iterations);
const ms = (v) => `${v.toFixed(3)} ms`;
console.log(`encodeReceipt, 80 mm profile, ${iterations} iterations each, Node ${process.version}`);
console.log(`  5 lines:  p50 ${ms(small.p50)}  p99 ${ms(small.p99)}  (${small.bytes} bytes)`);
console.log(`  50 lines: p50 ${ms(large.p50)}  p99 ${ms(large.p99)}  (${large.bytes} bytes)`);
console.log(
  `  ratio 50/5: p50 ${(large.p50 / small.p50).toFixed(2)}×  p99 ${(large.p99 / small.p99).toFixed(2)}×`,
);
