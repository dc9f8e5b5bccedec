import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CoverageEntry } from './coverage-types.ts';
import { parseJson, succeeded } from './readme-and-supabase-coverage.ts';

/** operations.md's and integrations.md's commands, and the ones of other docs they share a sandbox with. */

const operationsDatabase = 'postgresql://rekindle:YOUR-PASSWORD@db.internal:5432/rekindle';
const cronLine =
  'cd /srv/rekindle && REKINDLE_GATEWAY_URL=http://127.0.0.1:8787 REKINDLE_ADMIN_TOKEN=change-me npx rekindle train --provider openai --json >> /var/log/rekindle-train.log 2>&1';

export const operationsCoverage: readonly CoverageEntry[] = [
  ...['REKINDLE_GATEWAY_URL=http://127.0.0.1:8787', 'REKINDLE_ADMIN_TOKEN=change-me'].map(
    (assignment): CoverageEntry => ({
      doc: 'docs/operations.md',
      command: `export ${assignment}`,
      how: { kind: 'sandbox-env', group: 'operations', variable: assignment.split('=')[0] ?? '' },
    }),
  ),
  {
    doc: 'docs/operations.md',
    command: `export DATABASE_URL='${operationsDatabase}'`,
    how: { kind: 'setup' },
  },
  {
    doc: 'docs/operations.md',
    command: 'export REDIS_URL=redis://redis.internal:6379',
    how: { kind: 'setup' },
  },
  {
    doc: 'docs/operations.md',
    command: 'npx rekindle migrate',
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        expect(result.stdout).toMatch(/^Applied \d+ migration\(s\) on postgres:/);
      },
    },
  },
  {
    doc: 'docs/operations.md',
    command: 'npx rekindle keys create --org acme --json',
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        expect(parseJson(result)).toMatchObject({ organization_id: 'acme' });
      },
      // The tenant key the later requests of this group send (integrations.md uses $REKINDLE_API_KEY).
      capture: (result) => ({ REKINDLE_API_KEY: String(parseJson(result).key) }),
    },
  },
  {
    doc: 'docs/operations.md',
    command: 'HOST=0.0.0.0 PORT=8787 REKINDLE_ADMIN_TOKEN=change-me npm start',
    how: {
      kind: 'server',
      group: 'operations',
      // Tests bind loopback only; the rest of the line is run as written.
      replacements: [['HOST=0.0.0.0', 'HOST=127.0.0.1']],
      readyUrl: (sandbox) => `${sandbox.values.gatewayUrl}/readyz`,
      async check(sandbox, server) {
        expect(server.output()).toMatch(/"store":"postgres"/);
        // A key exists, so the replica is closed to requests without one.
        const anonymous = await fetch(`${sandbox.values.gatewayUrl}/v1/models`);
        expect(anonymous.status).toBe(401);
        const keyed = await fetch(`${sandbox.values.gatewayUrl}/v1/models`, {
          headers: { authorization: `Bearer ${sandbox.env.REKINDLE_API_KEY}` },
        });
        expect(keyed.status).toBe(200);
      },
    },
  },
  {
    doc: 'docs/operations.md',
    command: 'curl -s http://127.0.0.1:8787/readyz',
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        expect(parseJson(result)).toEqual({
          status: 'ready',
          checks: { registry: true, api_keys: true, store: true },
        });
      },
    },
  },
  {
    doc: 'docs/operations.md',
    command: 'npx rekindle config check',
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        expect(result.stdout).toMatch(/^configuration is valid$/m);
        expect(result.stdout).toMatch(/^store: postgres$/m);
      },
    },
  },
  {
    doc: 'docs/operations.md',
    command: cronLine,
    how: {
      kind: 'run',
      group: 'operations',
      replacements: [
        ['cd /srv/rekindle', 'cd ${repositoryRoot}'],
        ['/var/log/rekindle-train.log', '${temporary}/rekindle-train.log'],
      ],
      expect(result, sandbox) {
        const log = readFileSync(join(sandbox.temporary, 'rekindle-train.log'), 'utf8');
        const run = JSON.parse(log) as { status?: string };
        expect(run).toMatchObject({
          provider: 'openai',
          model_version: 'v1.0.0',
          route: 'outreach',
        });
        // Nothing is training-ready yet, so the gateway fails the run at once; the CLI exits 1
        // when it already sees it failed (training.md: exit codes), 0 while it is in progress.
        expect(result.exitCode, log).toBe(run.status === 'failed' ? 1 : 0);
      },
    },
  },
  {
    doc: 'docs/training.md',
    command: cronLine,
    how: { kind: 'same-as', doc: 'docs/operations.md' },
  },
  {
    doc: 'docs/operations.md',
    command: 'npx rekindle export --output /tmp/rekindle-export-check.jsonl --json',
    how: {
      kind: 'run',
      group: 'operations',
      replacements: [['/tmp/rekindle-export-check.jsonl', '${temporary}/export-check.jsonl']],
      expect(result) {
        // Nothing tracked yet: fewer than training.min_examples (10 in this sandbox).
        expect(result.exitCode).toBe(1);
        expect(result.stderr).toMatch(/insufficient|fewer than|at least/i);
      },
    },
  },
];
