import { expect } from 'vitest';
import type { CoverageEntry, Sandbox } from './coverage-types.ts';
import { parseJson, registerSandboxArms, succeeded } from './readme-and-supabase-coverage.ts';

/**
 * operations.md's troubleshooting, Prometheus and training commands, plus experiments.md's and
 * training.md's. The troubleshooting commands run against the replica that operations.md starts,
 * after integrations.md's requests and webhooks went through it.
 */

/** Polls the admin API until the run of `version` reached `status`. */
async function waitForRun(sandbox: Sandbox, version: string, status: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    const response = await fetch(`${sandbox.values.gatewayUrl}/admin/training/runs/${version}`, {
      headers: { authorization: 'Bearer change-me' },
    });
    last = await response.text();
    if (response.ok && (JSON.parse(last) as { status?: string }).status === status) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`run ${version} did not reach ${status}: ${last}`);
}

/** Before any training-ready outcome exists: the cron line's run fails for lack of data. */
export const trainingTroubleshootingCoverage: readonly CoverageEntry[] = [
  {
    doc: 'docs/operations.md',
    command: 'npx rekindle train status',
    how: {
      kind: 'run',
      group: 'operations',
      // The cron line's run failed: two messages are not enough to train on.
      before: (sandbox) => waitForRun(sandbox, 'v1.0.0', 'failed'),
      expect(result) {
        succeeded(result);
        expect(result.stdout).toMatch(/^ID\s+VERSION\s+PROVIDER\s+STATUS/m);
        expect(result.stdout).toMatch(/\sv1\.0\.0\s+openai\s+failed\s/);
      },
    },
  },
  {
    doc: 'docs/training.md',
    command: 'npx rekindle train status',
    how: { kind: 'same-as', doc: 'docs/operations.md' },
  },
  {
    doc: 'docs/operations.md',
    command: 'npx rekindle train status v1.0.0 --json',
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        const run = parseJson(result) as {
          status?: string;
          error?: { code?: string };
          events?: unknown[];
        };
        expect(run.status).toBe('failed');
        expect(run.error?.code).toBe('insufficient_training_data');
        expect(run.events?.length).toBeGreaterThanOrEqual(1);
      },
    },
  },
];

/** After integrations.md's requests and webhooks went through the replica. */
export const rolloutAndWebhooksCoverage: readonly CoverageEntry[] = [
  {
    doc: 'docs/operations.md',
    command: `psql "$DATABASE_URL" -c 'select week_start, messages_sent, replies, meetings, deals, training_ready_count from flywheel_weekly order by week_start desc limit 8'`,
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        expect(result.stdout).toMatch(/week_start\s*\|\s*messages_sent\s*\|\s*replies/);
        // This week: the tracked messages of integrations.md (lead-42, lead-43, lead-44), one reply.
        expect(result.stdout).toMatch(/\|\s*3\s*\|\s*1\s*\|\s*0\s*\|\s*\d+\s*\|\s*\d+\s*$/m);
      },
    },
  },
  {
    doc: 'docs/operations.md',
    command: `npx rekindle sql 'select week_start, messages_sent, replies, meetings, deals, training_ready_count from flywheel_weekly order by week_start desc limit 8'`,
    how: {
      kind: 'test',
      file: 'test/integration/store/sql-command.test.ts',
      contains: [
        "'sql'",
        'select week_start, messages_sent, replies, meetings, deals, training_ready_count from flywheel_weekly order by week_start desc limit 8',
      ],
    },
  },
  {
    doc: 'docs/operations.md',
    command: 'npx rekindle evaluate --route outreach',
    how: {
      kind: 'run',
      group: 'operations',
      before: (sandbox) => registerSandboxArms(sandbox, sandbox.values.gatewayUrl ?? ''),
      expect(result) {
        succeeded(result);
        expect(result.stdout).toMatch(/Decision: INVALID/);
        expect(result.stdout).toMatch(/v0\.9\.0/);
      },
    },
  },
  {
    doc: 'docs/operations.md',
    command: 'npx rekindle leaderboard --route outreach',
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        expect(result.stdout).toMatch(/^Leaderboard for route "outreach"/);
        expect(result.stdout).toMatch(/^baseline-2026-11\s/m);
        expect(result.stdout).toMatch(/^v0\.9\.0\s+10/m);
      },
    },
  },
  {
    doc: 'docs/operations.md',
    command: `curl -s -H "Authorization: Bearer $REKINDLE_ADMIN_TOKEN" 'http://127.0.0.1:8787/admin/rollout/events?route=outreach&limit=20'`,
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        const events = parseJson(result) as {
          data?: Array<{ action?: string; model_version?: string }>;
        };
        expect(events.data).toContainEqual(
          expect.objectContaining({ action: 'deploy', model_version: 'v0.9.0' }),
        );
      },
    },
  },
  {
    doc: 'docs/operations.md',
    command: `curl -s http://127.0.0.1:8787/metrics | grep '^rekindle_webhook_events_total'`,
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        // integrations.md's unsigned SendGrid post was refused; its signed CRM event was taken.
        expect(result.stdout).toMatch(/source="sendgrid"[^}]*result="rejected"[^}]*\} 1$/m);
        expect(result.stdout).toMatch(/source="crm",event="deal\.closed"[^}]*\} 1$/m);
      },
    },
  },
  {
    doc: 'docs/operations.md',
    command: `curl -s -o /dev/null -w '%{http_code}\\n' https://gateway.example.com/webhooks/sendgrid -H 'content-type: application/json' -d '[]'`,
    how: {
      kind: 'run',
      group: 'operations',
      replacements: [['https://gateway.example.com', '${gatewayUrl}']],
      expect(result) {
        succeeded(result);
        expect(result.stdout).toBe('401\n');
      },
    },
  },
  {
    doc: 'docs/operations.md',
    command: `psql "$DATABASE_URL" -c "select source, event_type, status, count(*) from webhook_events where received_at > now() - interval '1 day' group by 1, 2, 3 order by 1, 2, 3"`,
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        expect(result.stdout).toMatch(
          /^\s*crm\s*\|\s*deal\.closed\s*\|\s*(applied|unmatched|reconciled)\s*\|\s*1$/m,
        );
      },
    },
  },
  {
    doc: 'docs/operations.md',
    command: 'promtool check config grafana/prometheus/prometheus.yml',
    how: {
      kind: 'run',
      group: 'prometheus',
      expect(result) {
        succeeded(result);
        expect(`${result.stdout}${result.stderr}`).toMatch(
          /SUCCESS: grafana\/prometheus\/prometheus\.yml is valid/,
        );
        expect(`${result.stdout}${result.stderr}`).toMatch(/SUCCESS: \d+ rules found/);
      },
    },
  },
  {
    doc: 'docs/operations.md',
    command: 'promtool test rules grafana/prometheus/tests/rekindle-alerts.test.yml',
    how: {
      kind: 'run',
      group: 'prometheus',
      expect(result) {
        succeeded(result);
        expect(`${result.stdout}${result.stderr}`).toMatch(/SUCCESS/);
      },
    },
  },
  {
    doc: 'docs/operations.md',
    command:
      'prometheus --config.file=grafana/prometheus/prometheus.yml --storage.tsdb.path=.rekindle/prometheus --web.listen-address=127.0.0.1:9090',
    how: {
      kind: 'server',
      group: 'prometheus',
      replacements: [
        ['.rekindle/prometheus', '${temporary}/prometheus'],
        ['127.0.0.1:9090', '127.0.0.1:${prometheusPort}'],
      ],
      readyUrl: (sandbox) => `${sandbox.values.prometheusUrl}/-/ready`,
      async check(sandbox) {
        const api = async (path: string) =>
          (
            (await (await fetch(`${sandbox.values.prometheusUrl}${path}`)).json()) as {
              data: never;
            }
          ).data;
        const rules: { groups: Array<{ rules: Array<{ type: string; name: string }> }> } =
          await api('/api/v1/rules');
        const alerts = rules.groups
          .flatMap((group) => group.rules)
          .filter((rule) => rule.type === 'alerting');
        expect(alerts.map((rule) => rule.name)).toContain('RekindleGatewayDown');
        expect(alerts).toHaveLength(8);
        // Targets appear once the first scrape is scheduled.
        let targets: { activeTargets: Array<{ labels: { job: string }; scrapeUrl: string }> } = {
          activeTargets: [],
        };
        for (let attempt = 0; attempt < 100 && targets.activeTargets.length === 0; attempt += 1) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          targets = await api('/api/v1/targets');
        }
        expect(targets.activeTargets).toContainEqual(
          expect.objectContaining({
            labels: expect.objectContaining({ job: 'rekindle-gateway' }),
            scrapeUrl: 'http://127.0.0.1:8787/metrics',
          }),
        );
      },
    },
  },
];
