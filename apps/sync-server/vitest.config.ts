import { defineConfig } from 'vitest/config';

// Each file starts its own PostgreSQL server; two files at a time keeps both cores busy without overloading them.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], maxWorkers: 2, testTimeout: 30_000, hookTimeout: 120_000 },
});
