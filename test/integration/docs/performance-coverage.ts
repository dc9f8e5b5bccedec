import type { CoverageEntry } from './coverage-types.ts';

/**
 * README.md and docs/performance.md: `.ci/run` runs the whole benchmark (compiled gateway, Portkey from npm, the
 * cluster variant) with shorter phases; the smoke test runs `--quick`. `bench:console` and
 * `bench:stages` are manual benchmarks, not run in CI (its 15 minutes).
 */
export const performanceCoverage: readonly CoverageEntry[] = [
  {
    doc: 'README.md',
    command: 'npm run bench',
    how: { kind: 'ci', contains: 'npm run bench -- --rounds 1' },
  },
  {
    doc: 'README.md',
    command: 'npm run bench -- --cluster 2',
    how: { kind: 'ci', contains: '--cluster 2' },
  },
  {
    doc: 'docs/performance.md',
    command: 'npm run bench',
    how: { kind: 'ci', contains: 'npm run bench -- --rounds 1' },
  },
  {
    doc: 'docs/performance.md',
    command: 'npm run bench -- --cluster 2',
    how: { kind: 'ci', contains: '--cluster 2' },
  },
  {
    doc: 'docs/console.md',
    command: 'npm run bench:console',
    how: {
      kind: 'not-runnable',
      reason:
        'a manual benchmark (100,000 outcomes loaded into PGlite and PostgreSQL, then timed), kept out of .ci/run for its 15 minutes',
    },
  },
  {
    doc: 'docs/performance.md',
    command: 'npm run bench:console',
    how: {
      kind: 'not-runnable',
      reason:
        'a manual benchmark (100,000 outcomes loaded into PGlite and PostgreSQL, then timed), kept out of .ci/run for its 15 minutes',
    },
  },
  {
    doc: 'docs/performance.md',
    command: 'npm run bench:stages',
    how: {
      kind: 'not-runnable',
      reason:
        'a manual benchmark (the gateway under load and --cpu-prof), kept out of .ci/run for its 15 minutes',
      equivalent: { file: 'test/unit/bench/stage-cpu.test.ts', contains: ['stageTimes'] },
    },
  },
  {
    doc: 'docs/performance.md',
    command: 'npm run bench -- --quick',
    how: {
      kind: 'test',
      file: 'test/integration/bench/run-bench-smoke.test.ts',
      contains: ["'--quick'"],
    },
  },
];
