// Runs every ledger benchmark, one after another, each in its own Node process (fresh heap, fresh temp folder).
// Build first: `npx tsc -b && npm run bench` in packages/ledger.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
if (!existsSync(join(here, '..', 'dist', 'index.js'))) {
  console.error('packages/ledger/dist is missing: run `npx tsc -b` in packages/ledger first');
  process.exit(1);
}
const started = Date.now();
for (const file of ['commit.bench.mjs', 'catalog.bench.mjs', 'verify.bench.mjs']) {
  const result = spawnSync(process.execPath, [join(here, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${file} failed (${result.signal ?? `exit ${result.status}`})`);
    process.exit(1);
  }
}
console.log(`ledger benchmarks done in ${Math.round((Date.now() - started) / 1000)} s`);
