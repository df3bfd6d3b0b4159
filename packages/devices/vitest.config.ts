import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Real ptys, socat and serial ports: a test waits on events, each wait with its own bound (the suites' `until`
    // gives up after 15 s), so the runner's limit must not be shorter than those waits, as vitest's 5 s default is.
    testTimeout: 30_000,
  },
});
