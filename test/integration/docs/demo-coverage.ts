import type { CoverageEntry } from './coverage-types.ts';

/** docs/demo.md and the README's demo line: the demo test runs both forms of the command. */
const demoTest = 'test/integration/demo/demo.test.ts';

export const demoCoverage: readonly CoverageEntry[] = [
  {
    doc: 'README.md',
    command: 'npm run demo',
    how: { kind: 'test', file: demoTest, contains: ["['npm', 'run', '--silent', 'demo'"] },
  },
  {
    doc: 'README.md',
    command: 'npm run demo -- --serve',
    how: {
      kind: 'test',
      file: 'test/integration/demo/demo-serve.test.ts',
      contains: ["'demo'", "'--serve'"],
    },
  },
  {
    doc: 'docs/demo.md',
    command: 'npm ci',
    how: { kind: 'ci', contains: 'npm ci' },
  },
  {
    doc: 'docs/demo.md',
    command: 'npm run demo',
    how: { kind: 'test', file: demoTest, contains: ["['npm', 'run', '--silent', 'demo'"] },
  },
  {
    doc: 'docs/demo.md',
    command: 'npx rekindle demo --fast --variant-lift none',
    how: {
      kind: 'test',
      file: demoTest,
      contains: ["'bin/rekindle.mjs', 'demo', '--fast', '--variant-lift', 'none'"],
    },
  },
  {
    doc: 'docs/demo.md',
    command: 'npx vitest run test/integration/demo',
    how: { kind: 'ci', contains: 'npm test' },
  },
];
