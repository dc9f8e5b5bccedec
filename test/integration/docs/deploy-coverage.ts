import type { CoverageEntry } from './coverage-types.ts';

/**
 * docs/deploy.md: the compiled start and `rekindle migrate` from dist/ are run by the deploy tests
 * (the Dockerfile's runtime file set, `npm run build` shared by test/helpers/compiled-build.ts);
 * the systemd unit is verified by dockerfile-compose.test.ts.
 */
export const deployCoverage: readonly CoverageEntry[] = [
  {
    doc: 'docs/deploy.md',
    command: 'npm ci && npm run build && npm run start:prod',
    how: [
      { kind: 'ci', contains: 'npm ci' },
      { kind: 'test', file: 'test/helpers/compiled-build.ts', contains: ["'run', 'build'"] },
      {
        kind: 'test',
        file: 'test/integration/deploy/compiled-start.test.ts',
        contains: ["spawn('npm', ['run', 'start:prod']", '/healthz'],
      },
    ],
  },
  {
    doc: 'docs/deploy.md',
    command: 'npx rekindle migrate',
    how: [
      { kind: 'same-as', doc: 'docs/operations.md' },
      {
        kind: 'test',
        file: 'test/integration/deploy/compiled-start.test.ts',
        contains: ["'bin/rekindle.mjs', 'migrate'"],
      },
    ],
  },
  {
    doc: 'docs/deploy.md',
    command: 'systemd-analyze verify deploy/systemd/rekindle-gateway.service',
    how: {
      kind: 'test',
      file: 'test/integration/deploy/dockerfile-compose.test.ts',
      contains: ["'systemd-analyze', ['verify', unit]", 'systemd/rekindle-gateway.service'],
    },
  },
];
