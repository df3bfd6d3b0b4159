import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // expect.poll waits on what the page or a process shows; its 1 s default is a race on a loaded machine. A poll
    // returns as soon as its condition holds, so a long bound costs nothing when the test passes.
    expect: { poll: { timeout: 30_000 } },
  },
});
