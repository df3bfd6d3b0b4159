#!/usr/bin/env node
// `npm test`: makes sure the system programs the tests drive are present, runs every workspace's tests through
// turbo, and closes with one line that adds up vitest's counts ("N passed, N failed").
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

const run = (command, args) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });

const deps = await run(process.execPath, ['scripts/ensure-test-deps.mjs']);
if (deps.code !== 0) process.exit(deps.code);

const { code, output } = await run('npx', [
  'turbo',
  'run',
  'test',
  '--concurrency=1',
  ...process.argv.slice(2),
]);
const plain = stripVTControlCharacters(output);
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const line of plain.split('\n')) {
  const counts = /\bTests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (!counts) continue;
  for (const [, n, kind] of counts[1].matchAll(/(\d+) (passed|failed|skipped)/g)) totals[kind] += Number(n);
}
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${skipped}\n`);
process.exit(code !== 0 ? code : totals.failed > 0 || totals.passed === 0 ? 1 : 0);
