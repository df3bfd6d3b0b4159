// What `npm test` concludes from the test runs' output: vitest's counts added up over every workspace, the tests that
// were skipped, and the exit code. In CI (CI set) a skipped test fails the run: CI runs as root with every system
// program installed, so nothing there has a reason to skip, and a skip hides a test that no longer runs.
import { stripVTControlCharacters } from 'node:util';

/**
 * @param {string} output everything turbo printed
 * @param {{ ci: boolean, runCode: number }} context whether this is CI, and turbo's own exit code
 * @returns {{ totals: { passed: number, failed: number, skipped: number }, skippedTests: string[], exitCode: number, verdict: string }}
 */
export function summarise(output, { ci, runCode }) {
  const plain = stripVTControlCharacters(output);
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const skippedTests = [];
  for (const line of plain.split('\n')) {
    const counts = /\bTests\s+(.*)\(\d+\)\s*$/.exec(line);
    if (counts) {
      for (const [, n, kind] of counts[1].matchAll(/(\d+) (passed|failed|skipped)/g))
        totals[kind] += Number(n);
      continue;
    }
    // vitest marks a skipped test (or file) with ↓.
    const skipped = /↓\s+(.*?)\s*$/.exec(line);
    if (skipped) skippedTests.push(skipped[1].replace(/^[^:]+:test:\s*/, ''));
  }
  const skippedNote = totals.skipped ? `, ${totals.skipped} skipped` : '';
  let verdict = `${totals.passed} passed, ${totals.failed} failed${skippedNote}`;
  let exitCode = runCode !== 0 ? runCode : totals.failed > 0 || totals.passed === 0 ? 1 : 0;
  if (ci && totals.skipped > 0) {
    verdict += `\nCI: a skipped test is a failure. Skipped:\n${skippedTests.map((name) => `  - ${name}`).join('\n')}`;
    exitCode = exitCode || 1;
  }
  return { totals, skippedTests, exitCode, verdict };
}
