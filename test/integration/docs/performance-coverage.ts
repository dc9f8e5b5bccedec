import type { CoverageEntry } from './coverage-types.ts';

/** docs/performance.md: `.ci/run` runs the benchmark in its short mode, cluster variant included. */
export const performanceCoverage: readonly CoverageEntry[] = [
  {
    doc: 'docs/performance.md',
    command: 'npm run bench',
    how: { kind: 'ci', contains: 'npm run bench -- --quick --cluster 2' },
  },
  {
    doc: 'docs/performance.md',
    command: 'npm run bench -- --cluster 2',
    how: { kind: 'ci', contains: 'npm run bench -- --quick --cluster 2' },
  },
  {
    doc: 'docs/performance.md',
    command: 'npm run bench -- --quick',
    how: [
      { kind: 'ci', contains: 'npm run bench -- --quick' },
      {
        kind: 'test',
        file: 'test/integration/bench/run-bench-smoke.test.ts',
        contains: ["'--quick'"],
      },
    ],
  },
];
