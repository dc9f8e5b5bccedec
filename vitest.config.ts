import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: files run in parallel forks, but not so many that PGlite's WASM start-up thrashes.
    pool: 'forks',
    maxWorkers: 2,
  },
});
