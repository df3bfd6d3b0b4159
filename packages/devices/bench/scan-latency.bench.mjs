// Scan-to-event latency through a real serial pty (socat), against a loopback baseline on the same pty pair.
// Baseline: write a 14-byte scan (EAN-13 + CR) to one end and read all 14 bytes on the other with a bare
// SerialTransport. Measured: the same bytes through the serial scanner (framing, AIM split, symbology, 'data'
// event). Same pair, same process, same run, alternating in rounds; the ratio is scanner p50 / baseline p50.
// Plain Node ESM against the built package: run `npx tsc -b && node bench/scan-latency.bench.mjs` here.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSerialScanner, PtyPair, SerialTransport, socatAvailable } from '../dist/index.js';

const WARMUP = 50;
const SCANS = 1000;
/** Baseline and scanner alternate in rounds so drift (CPU frequency, socat scheduling) hits both alike. */
const ROUNDS = 4;
const PER_ROUND = SCANS / ROUNDS;
const SCAN = ']E04006381333931\r';
const SCAN_BYTES = Uint8Array.from(Buffer.from(SCAN, 'latin1'));

function percentile(sorted, p) {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50Us: Math.round(percentile(sorted, 50) * 1000),
    p99Us: Math.round(percentile(sorted, 99) * 1000),
    maxUs: Math.round(sorted.at(-1) * 1000),
  };
}

async function baseline(pair, far) {
  const near = new SerialTransport({ path: pair.a, baudRate: 115200 });
  await near.open();
  let received = 0;
  let wake = () => {};
  near.onData((chunk) => {
    received += chunk.length;
    if (received >= SCAN_BYTES.length) wake();
  });
  const samples = [];
  for (let i = 0; i < WARMUP + PER_ROUND; i++) {
    received = 0;
    const done = new Promise((resolve) => {
      wake = resolve;
    });
    const start = performance.now();
    await far.write(SCAN_BYTES);
    await done;
    if (i >= WARMUP) samples.push(performance.now() - start);
  }
  await near.close();
  return samples;
}

async function scanner(pair, far) {
  const device = createSerialScanner({
    path: pair.a,
    serial: { baudRate: 115200 },
    framing: { suffix: 'CR' },
  });
  await device.open();
  await device.claim();
  await device.enable();
  let wake = () => {};
  let last;
  device.on('data', (scan) => {
    last = scan;
    wake();
  });
  const samples = [];
  for (let i = 0; i < WARMUP + PER_ROUND; i++) {
    const done = new Promise((resolve) => {
      wake = resolve;
    });
    const start = performance.now();
    await far.write(SCAN_BYTES);
    await done;
    if (i >= WARMUP) samples.push(performance.now() - start);
  }
  if (last?.data !== '4006381333931' || last?.symbology !== 'EAN-13')
    throw new Error('scanner decoded wrongly');
  await device.close();
  return samples;
}

async function main() {
  if (!socatAvailable()) {
    console.log('scan-latency: skipped (socat is not installed)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tillwright-scan-bench-'));
  const pair = new PtyPair(join(dir, 'scanner'), join(dir, 'hardware'));
  await pair.start();
  const far = new SerialTransport({ path: pair.b, baudRate: 115200 });
  try {
    await far.open();
    const baseSamples = [];
    const scanSamples = [];
    for (let round = 0; round < ROUNDS; round++) {
      baseSamples.push(...(await baseline(pair, far)));
      scanSamples.push(...(await scanner(pair, far)));
    }
    const base = summarize(baseSamples);
    const scan = summarize(scanSamples);
    const ratio = Math.round((scan.p50Us / base.p50Us) * 100) / 100;
    console.log(
      `scan-latency (${SCANS} scans, socat pty, node ${process.version}, ${availableParallelism()}× ${cpus()[0]?.model ?? 'cpu'})`,
    );
    console.log(
      `  baseline pty write→read   p50 ${base.p50Us} µs   p99 ${base.p99Us} µs   max ${base.maxUs} µs`,
    );
    console.log(
      `  scanner  write→'data'     p50 ${scan.p50Us} µs   p99 ${scan.p99Us} µs   max ${scan.maxUs} µs`,
    );
    console.log(
      `  ratio scanner/baseline p50 ${ratio}×, p99 ${Math.round((scan.p99Us / base.p99Us) * 100) / 100}×`,
    );
    console.log(
      JSON.stringify({ bench: 'scan-latency', scans: SCANS, baseline: base, scanner: scan, ratioP50: ratio }),
    );
  } finally {
    await far.close();
    await pair.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
