import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runChaos } from './runner.js';
import { BOUNDED_RUN, NEGATIVE_CONTROL } from './scenarios.js';

let workDir: string;

afterEach(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('the chaos run (bounded)', () => {
  it('delivers every sale of three tills exactly once through network faults, kills mid-batch and a partition', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'tillwright-chaos-'));
    const report = await runChaos({ ...BOUNDED_RUN, workDir, log: () => undefined });
    process.stdout.write(`${report.text}\n`);

    // Every fault really happened, or the verdict would mean nothing.
    for (const fault of ['drop', 'reset', 'truncate', 'duplicate', 'lose-response', 'delay', 'partitioned']) {
      expect(report.faults.proxy[fault], fault).toBeGreaterThan(0);
    }
    expect(report.faults.serverKills).toBe(BOUNDED_RUN.serverKills);
    expect(report.faults.terminalKills).toBe(BOUNDED_RUN.terminalKills);
    expect(report.faults.partitionMs).toBeGreaterThan(0);
    expect(report.sales.refused).toBe(0);

    expect(report.drained).toBe(true);
    expect(report.verdict.ok).toBe(true);
  }, 240_000);

  it('fails, naming the duplicates, when the server runs without its duplicate check (negative control)', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'tillwright-chaos-control-'));
    const report = await runChaos({ ...NEGATIVE_CONTROL, workDir, log: () => undefined });
    process.stdout.write(`negative control:\n${report.text}\n`);
    expect(report.faults.proxy['lose-response']).toBeGreaterThan(0);
    expect(report.verdict.ok).toBe(false);
    const duplicated = report.verdict.terminals.flatMap((t) => [
      ...t.duplicatedAtServer,
      ...t.duplicatedOnStream,
    ]);
    expect(duplicated.length).toBeGreaterThan(0);
  }, 240_000);
});
