import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script of the repository, without types
import { summarise } from '../../scripts/test-summary.mjs';

const run = (lines: string[]) => lines.join('\n');
const green = run([
  '@tillwright/ledger:test:  ✓ src/journal.test.ts (12 tests) 210ms',
  '@tillwright/ledger:test:       Tests  12 passed (12)',
  '@tillwright/e2e:test:       Tests  \u001b[1m\u001b[32m3 passed\u001b[39m\u001b[22m (3)',
]);
const withSkip = run([
  '@tillwright/ledger:test:  ✓ src/journal.test.ts (12 tests) 210ms',
  '@tillwright/ledger:test:      ↓ fails the same way when the disk itself is full',
  '@tillwright/ledger:test:       Tests  11 passed | 1 skipped (12)',
]);

describe('what npm test concludes', () => {
  it('adds up every workspace’s counts, colours stripped, and passes a green run', () => {
    expect(summarise(green, { ci: true, runCode: 0 })).toMatchObject({
      totals: { passed: 15, failed: 0, skipped: 0 },
      exitCode: 0,
      verdict: '15 passed, 0 failed',
    });
  });

  it('fails a run with a skipped test in CI, naming it, and lets it pass outside CI', () => {
    const ci = summarise(withSkip, { ci: true, runCode: 0 });
    expect(ci.exitCode).toBe(1);
    expect(ci.skippedTests).toEqual(['fails the same way when the disk itself is full']);
    expect(ci.verdict).toContain('CI: a skipped test is a failure');
    expect(summarise(withSkip, { ci: false, runCode: 0 }).exitCode).toBe(0);
  });

  it('fails on a failed test, on a failed run and on a run that ran nothing', () => {
    expect(
      summarise(run(['x:test:  Tests  1 failed | 2 passed (3)']), { ci: false, runCode: 0 }).exitCode,
    ).toBe(1);
    expect(summarise(green, { ci: false, runCode: 2 }).exitCode).toBe(2);
    expect(summarise('', { ci: false, runCode: 0 }).exitCode).toBe(1);
  });
});
