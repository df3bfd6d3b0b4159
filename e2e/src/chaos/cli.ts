#!/usr/bin/env node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { runChaos } from './runner.js';
import { BOUNDED_RUN, FULL_RUN, NEGATIVE_CONTROL } from './scenarios.js';

const USAGE = `usage: npm run chaos -- [--bounded] [--terminals N] [--rounds N] [--seed N] [--server-kills N]
                        [--terminal-kills N] [--partition-seconds N] [--without-duplicate-check] [--keep]
  Runs real sync server and terminal host processes behind fault proxies, kills them mid-batch, partitions a till,
  heals, and checks per terminal that journal = server = HQ stream, each event exactly once. Exit code 1 if not.
  --bounded  the small run that npm test includes (default: the full run)
  --keep     keep the work folder (databases and ledgers) for inspection
  --without-duplicate-check  the negative control: a server that stores resent events again; the run must FAIL`;

const Count = z.coerce.number().int().min(0).max(100_000);
const Options = z.strictObject({
  terminals: z.coerce.number().int().min(1).max(50).optional(),
  rounds: z.coerce.number().int().min(1).max(100_000).optional(),
  seed: z.coerce.number().int().optional(),
  serverKills: Count.optional(),
  terminalKills: Count.optional(),
  partitionSeconds: Count.optional(),
  bounded: z.boolean().optional(),
  keep: z.boolean().optional(),
  withoutDuplicateCheck: z.boolean().optional(),
});

async function main(): Promise<number> {
  let parsed: z.infer<typeof Options>;
  try {
    const { values } = parseArgs({
      options: {
        terminals: { type: 'string' },
        rounds: { type: 'string' },
        seed: { type: 'string' },
        'server-kills': { type: 'string' },
        'terminal-kills': { type: 'string' },
        'partition-seconds': { type: 'string' },
        bounded: { type: 'boolean' },
        keep: { type: 'boolean' },
        'without-duplicate-check': { type: 'boolean' },
      },
      strict: true,
    });
    parsed = Options.parse({
      terminals: values.terminals,
      rounds: values.rounds,
      seed: values.seed,
      serverKills: values['server-kills'],
      terminalKills: values['terminal-kills'],
      partitionSeconds: values['partition-seconds'],
      bounded: values.bounded,
      keep: values.keep,
      withoutDuplicateCheck: values['without-duplicate-check'],
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const base = parsed.bounded ? BOUNDED_RUN : FULL_RUN;
  const workDir = mkdtempSync(join(tmpdir(), 'tillwright-chaos-'));
  const started = Date.now();
  try {
    const report = await runChaos({
      ...base,
      terminals: parsed.terminals ?? base.terminals,
      rounds: parsed.rounds ?? base.rounds,
      seed: parsed.seed ?? base.seed,
      serverKills: parsed.serverKills ?? base.serverKills,
      terminalKills: parsed.terminalKills ?? base.terminalKills,
      partitionMs: parsed.partitionSeconds === undefined ? base.partitionMs : parsed.partitionSeconds * 1000,
      ...(parsed.withoutDuplicateCheck ? { serverScript: NEGATIVE_CONTROL.serverScript } : {}),
      workDir,
      log: (line) => process.stdout.write(`  ${line}\n`),
    });
    process.stdout.write(`${report.text}\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return report.verdict.ok && report.drained ? 0 : 1;
  } finally {
    if (parsed.keep) process.stdout.write(`work folder kept: ${workDir}\n`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `chaos run failed to run: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(2);
  },
);
