import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CoverageEntry, Sandbox } from './coverage-types.ts';
import { parseJson, succeeded } from './readme-and-supabase-coverage.ts';

/**
 * experiments.md's commands run on a store of their own (DATABASE_URL), where the sandbox
 * registered a baseline and a 10 % variant on `outreach`. training.md's quick start runs last on the operations
 * replica (fake OpenAI fine-tuning API), once enough training-ready outcomes were tracked; its
 * status and cancel lines are run by the training CLI test.
 */

/**
 * `count` distinct messages through the tracking API, each with a positive reply (quality ≥ 0.6):
 * what weeks of outreach would leave behind. The sandbox sets training.min_examples to 10.
 */
async function seedTrainingReadyOutcomes(sandbox: Sandbox, count: number): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${sandbox.values.gatewayUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sandbox.env.REKINDLE_API_KEY}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as { outcome_id?: string };
  };
  const companies = [
    'Initech',
    'Globex',
    'Umbrella',
    'Hooli',
    'Vandelay',
    'Stark',
    'Wayne',
    'Acme',
  ];
  for (let index = 0; index < count; index += 1) {
    const company = `${companies[index % companies.length]} ${index}`;
    const { outcome_id: id } = await post('/v1/outcomes', {
      campaign_id: 'q4-expansion',
      lead_id: `seed-lead-${index}`,
      channel: 'email',
      prompt_messages: [
        { role: 'system', content: 'You write short, warm cold emails.' },
        {
          role: 'user',
          content: `Write a short cold email to the head of operations at ${company}.`,
        },
      ],
      message_body: `Hi, teams like ${company} cut onboarding time by a third with us. Worth a chat next week?`,
    });
    await post(`/v1/outcomes/${id}/reply`, {
      reply_text: 'Yes, interested. Tuesday works.',
      sentiment_score: 0.9,
      sentiment_label: 'positive',
    });
  }
}
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
        // The guide's costs ($0.002 → $0.003 a message): cost per meeting +22.9 %, rolled back.
        expect(result.stdout).toMatch(/^Cost per meeting\s+\$0\.0400 .*\$0\.0492 .*\+22\.9%/m);
        expect(result.stdout).toMatch(/^Decision: ROLLBACK v1\.0\.0$/m);
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
          decision: 'rollback',
          promoted_variant: null,
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
      kind: 'run',
      group: 'operations',
      // Through the replica (REKINDLE_GATEWAY_URL), after outcomes worth training on arrived.
      before: (sandbox) => seedTrainingReadyOutcomes(sandbox, 16),
      replacements: [['--output train.jsonl', '--output ${temporary}/train.jsonl']],
      expect(result, sandbox) {
        succeeded(result);
        expect(result.stdout).toMatch(
          /^Exported \d+ examples to \S+train\.jsonl \(openai format, PII scrubbed\)/,
        );
        const lines = readFileSync(join(sandbox.temporary, 'train.jsonl'), 'utf8')
          .trim()
          .split('\n');
        expect(lines.length).toBeGreaterThanOrEqual(10);
        for (const line of lines) {
          const example = JSON.parse(line) as { messages: Array<{ role: string }> };
          expect(example.messages.at(-1)?.role).toBe('assistant');
        }
      },
    },
  },
  {
    doc: 'docs/training.md',
    command:
      'npx rekindle train --provider openai --deploy-immediately --ab-test-traffic 10 --wait',
    how: {
      kind: 'run',
      group: 'operations',
      // The gateway's orchestrator drives the run against the fake OpenAI fine-tuning API.
      async expect(result, sandbox) {
        succeeded(result);
        expect(result.stderr).toMatch(/succeeded|registered|deployed/);
        const response = await fetch(`${sandbox.values.gatewayUrl}/admin/models?route=outreach`, {
          headers: { authorization: 'Bearer change-me' },
        });
        const models = (await response.json()) as {
          data: Array<{ model_id: string; status: string; traffic_percentage: number }>;
        };
        expect(models.data).toContainEqual(
          expect.objectContaining({
            model_id: expect.stringMatching(/^ft:gpt-4o-mini/),
            status: 'testing',
            traffic_percentage: 10,
          }),
        );
      },
    },
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
