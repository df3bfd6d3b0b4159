#!/usr/bin/env node
// `npm test`: makes sure the system programs the tests drive are present, runs every workspace's tests through
// turbo, and closes with one line that adds up vitest's counts ("N passed, N failed"). In CI a skipped test fails
// the run (test-summary.mjs).
import { spawn } from 'node:child_process';
import { summarise } from './test-summary.mjs';

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
const summary = summarise(output, { ci: Boolean(process.env.CI), runCode: code });
process.stdout.write(`\n${summary.verdict}\n`);
process.exit(summary.exitCode);
