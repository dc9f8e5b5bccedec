import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores, three forks: many files wait on child processes, servers and fixed-rate load, so a
    // third fork fills the idle time (CI must stay within 15 minutes); more thrashes PGlite start-up.
    pool: 'forks',
    maxWorkers: 3,
  },
});
