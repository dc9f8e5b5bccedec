import { expect } from 'vitest';
import type { CoverageEntry } from './coverage-types.ts';
import { parseJson, succeeded } from './readme-and-supabase-coverage.ts';

/**
 * experiments.md's commands run on an embedded store of their own, where the sandbox registered a
 * baseline and a 10 % variant on `outreach`; training.md's quick start is run by the training
 * tests, which hold the fakes and the data a real cycle needs.
 */
export const experimentsAndTrainingCoverage: readonly CoverageEntry[] = [
  {
    doc: 'docs/experiments.md',
    command: 'npx rekindle evaluate --route outreach',
    how: {
      kind: 'run',
      group: 'experiments',
      expect(result) {
        succeeded(result);
        // Arms registered, no messages yet: too little data to decide.
        expect(result.stdout).toMatch(/Decision: INVALID/);
        expect(result.stdout).toMatch(/v0\.9\.0/);
      },
    },
  },
  {
    doc: 'docs/experiments.md',
    command: 'npx rekindle evaluate --input docs/examples/seed-experiment.json',
    how: {
      kind: 'run',
      group: 'experiments',
      expect(result) {
        succeeded(result);
        expect(result.stdout).toMatch(/^Reply rate\s+12\.30% .*\s15\.20% .*\+23\.6%/m);
        expect(result.stdout).toMatch(/^Decision: PROMOTE v1\.0\.0$/m);
      },
    },
  },
  {
    doc: 'docs/experiments.md',
    command: 'npx rekindle evaluate --input docs/examples/seed-experiment.json --json',
    how: {
      kind: 'run',
      group: 'experiments',
      expect(result) {
        succeeded(result);
        expect(parseJson(result)).toMatchObject({
          route: 'outreach',
          decision: 'promote',
          promoted_variant: 'v1.0.0',
        });
      },
    },
  },
  {
    doc: 'docs/experiments.md',
    command: 'npx rekindle leaderboard --route outreach',
    how: {
      kind: 'run',
      group: 'experiments',
      expect(result) {
        succeeded(result);
        expect(result.stdout).toMatch(/^Leaderboard for route "outreach"/);
        expect(result.stdout).toMatch(/^v0\.9\.0\s+10/m);
      },
    },
  },
  {
    doc: 'docs/training.md',
    command: 'npx rekindle export --output train.jsonl --min-quality-score 0.6',
    how: {
      kind: 'test',
      file: 'test/integration/training/training-export.test.ts',
      contains: ["'export', '--output'", "'--min-quality-score', '0.6'"],
    },
  },
  {
    doc: 'docs/training.md',
    command:
      'npx rekindle train --provider openai --deploy-immediately --ab-test-traffic 10 --wait',
    how: [
      // The CLI sends these flags as the admin API's body; the cycle test deploys at 10 % with them.
      {
        kind: 'test',
        file: 'test/integration/training/training-cycle.test.ts',
        contains: ['deploy_immediately: true', 'ab_test_traffic: 10', "'train',", "'--wait'"],
      },
      {
        kind: 'test',
        file: 'test/integration/training/training-cli.test.ts',
        contains: ["'--provider'", "'--wait'", '--ab-test-traffic needs --deploy-immediately'],
      },
    ],
  },
  {
    doc: 'docs/training.md',
    command: 'npx rekindle train status v1.0.0',
    how: {
      kind: 'test',
      file: 'test/integration/training/training-cli.test.ts',
      contains: ["cli(['train', 'status', 'v1.1.0'])"],
    },
  },
  {
    doc: 'docs/training.md',
    command: 'npx rekindle train cancel RUN_ID',
    how: {
      kind: 'test',
      file: 'test/integration/training/training-cli.test.ts',
      contains: ["'cancel'", "'--reason'"],
    },
  },
];
