import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { commands } from '../../../src/cli/commands/index.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { readEnv } from '../../../src/config/index.ts';
import type { RunningGateway } from '../../../src/main/index.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import { seedExperiment } from './seed-experiment.ts';

/**
 * The experiment read-outs over HTTP through a real gateway (`startGateway`), and the commands
 * talking to it through REKINDLE_GATEWAY_URL. Automation is off here (the default): the loop only
 * evaluates and exports the rates.
 */
const adminToken = 'admin-token-experiments';
let gateway: RunningGateway;
let sql: SqlExecutor;

beforeAll(async () => {
  sql = (await sharedPglite()).executor;
  await seedExperiment(sql, {
    route: 'exp_route',
    organizationId: 'exp_org',
    sentDaysAgo: { from: 125, to: 96 },
    deployedDaysAgo: 130,
    variantTrafficPercentage: 50,
    baseline: {
      modelVersion: 'exp-v1',
      modelId: 'gpt-4o-mini',
      messages: 2000,
      replyPerMille: 100,
      meetingPerMille: 60,
      dealPerMille: 30,
    },
    variant: {
      modelVersion: 'exp-v2',
      modelId: 'ft:gpt-4o-mini:acme::exp2',
      messages: 2000,
      replyPerMille: 300,
      meetingPerMille: 180,
      dealPerMille: 90,
    },
  });
  gateway = await startTestGateway({
    env: { REKINDLE_ADMIN_TOKEN: adminToken },
    file: { rollout: { planned_total_messages: 4000, evaluation_interval_ms: 60_000 } },
  });
}, 60_000);

afterAll(async () => {
  await gateway?.shutdown();
  await closeSharedPglite();
});

async function admin(path: string, token: string | null = adminToken) {
  const response = await fetch(`${gateway.url}${path}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('application/json')
    ? JSON.parse(text)
    : null;
  return { response, text, json };
}

describe('GET /admin/leaderboard', () => {
  it('?route= answers the leaderboard object of that route', async () => {
    const { response, json } = await admin('/admin/leaderboard?route=exp_route');
    expect(response.status).toBe(200);
    expect(json.route).toBe('exp_route');
    expect(json.baseline).toBe('exp-v1');
    const [baseline, variant] = json.rows;
    expect(baseline).toMatchObject({
      route: 'exp_route',
      model_version: 'exp-v1',
      is_baseline: true,
      traffic_percentage: 50,
      total_messages_sent: 2000,
      reply_rate: 0.1,
      meeting_rate: 0.06,
      close_rate: 0.03,
      fallback_messages: 0,
      reply_rate_vs_baseline: null,
    });
    expect(variant).toMatchObject({
      model_version: 'exp-v2',
      total_messages_sent: 2000,
      reply_rate: 0.3,
      close_rate: 0.09,
    });
    expect(variant.reply_rate_vs_baseline).toBeCloseTo(2, 12);
    expect(variant.close_rate_vs_baseline).toBeCloseTo(2, 12);
    expect(variant.reply_rate_ci95[0]).toBeLessThan(0.3);
    expect(variant.reply_rate_ci95[1]).toBeGreaterThan(0.3);
    expect(variant.matured_messages).toEqual({ reply: 2000, meeting: 2000, close: 2000 });
  });

  it('without a route lists every route, the configured default among them', async () => {
    const { response, json } = await admin('/admin/leaderboard');
    expect(response.status).toBe(200);
    expect(json.object).toBe('list');
    const routes = json.data.map((board: { route: string }) => board.route);
    expect(routes).toEqual(expect.arrayContaining(['exp_route', 'outreach']));
    const board = json.data.find((item: { route: string }) => item.route === 'exp_route');
    expect(board.rows).toHaveLength(2);
  });

  it('?format=table answers the readable table as text/plain', async () => {
    const { response, text } = await admin('/admin/leaderboard?route=exp_route&format=table');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(/^Leaderboard for route "exp_route"/);
    expect(text).toMatch(/exp-v1 \(baseline\)\s+50%\s+2,000\s+10\.00%/);
  });
});

describe('GET /admin/experiments/{route}', () => {
  it('answers the decision with every number behind it', async () => {
    const { response, json } = await admin('/admin/experiments/exp_route');
    expect(response.status).toBe(200);
    expect(json).toMatchObject({
      route: 'exp_route',
      baseline: 'exp-v1',
      decision: 'promote',
      promoted_variant: 'exp-v2',
      sample_ratio_mismatch: { ok: true },
    });
    expect(json.method.planned_total_messages).toBe(4000);
    const [variant] = json.variants;
    expect(variant.harm_tests).toHaveLength(8);
    const reply = variant.promotion_checks.find(
      (check: { metric: string }) => check.metric === 'reply_rate',
    );
    expect(reply.met).toBe(true);
    expect(reply.anytime_interval.lower).toBeGreaterThanOrEqual(0.1);
  });

  it('?format=table answers the table with the decision', async () => {
    const { response, text } = await admin('/admin/experiments/exp_route?format=table');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(/Reply rate\s+10\.00% .*30\.00% .*\+200\.0%/);
    expect(text).toContain('Decision: PROMOTE exp-v2');
  });

  it('judges as of ?now=: before the variant ran a week there is too little data', async () => {
    const early = new Date(Date.now() - 127 * 86_400_000).toISOString();
    const { json } = await admin(`/admin/experiments/exp_route?now=${encodeURIComponent(early)}`);
    expect(json.decision).toBe('invalid');
    expect(json.evaluated_at).toBe(early);
    expect(json.variants[0].reasons.join(' ')).toMatch(/too little data/);
  });

  it('a fresh route (nothing in the registry, nothing sent) answers invalid: no baseline', async () => {
    const { response, json } = await admin('/admin/experiments/outreach');
    expect(response.status).toBe(200);
    expect(json).toMatchObject({
      route: 'outreach',
      baseline: null,
      decision: 'invalid',
      promoted_variant: null,
      arms: [],
      variants: [],
    });
    expect(json.reasons).toEqual([
      expect.stringMatching(/^no baseline: nothing is deployed on route "outreach" yet/),
    ]);
    const table = await admin('/admin/experiments/outreach?format=table');
    expect(table.response.status).toBe(200);
    expect(table.text).toContain('No single baseline to compare with: nothing to decide yet.');
    expect(table.text).toMatch(/^Decision: INVALID$/m);
  });

  it('answers errors in the OpenAI envelope', async () => {
    const unknown = await admin('/admin/experiments/no_such_route');
    expect(unknown.response.status).toBe(404);
    expect(unknown.json.error).toMatchObject({ code: 'route_not_found', param: 'route' });
    const badNow = await admin('/admin/experiments/exp_route?now=yesterday');
    expect(badNow.response.status).toBe(400);
    expect(badNow.json.error).toMatchObject({ param: 'now', type: 'invalid_request_error' });
    const badFormat = await admin('/admin/leaderboard?format=xml');
    expect(badFormat.response.status).toBe(400);
    expect(badFormat.json.error.param).toBe('format');
    const anonymous = await admin('/admin/experiments/exp_route', null);
    expect(anonymous.response.status).toBe(401);
    expect(Object.keys(anonymous.json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  });
});

describe('GET /admin/rollout/events', () => {
  it('returns the audit trail of the route, newest first', async () => {
    const { response, json } = await admin('/admin/rollout/events?route=exp_route');
    expect(response.status).toBe(200);
    expect(json.object).toBe('list');
    expect(json.data.map((event: { action: string }) => event.action)).toEqual([
      'deploy',
      'set_baseline',
      'register',
      'register',
    ]);
    expect(json.data[0]).toMatchObject({
      route: 'exp_route',
      model_version: 'exp-v2',
      automatic: false,
    });
    const limited = await admin('/admin/rollout/events?route=exp_route&limit=1');
    expect(limited.json.data).toHaveLength(1);
    const bad = await admin('/admin/rollout/events?limit=0');
    expect(bad.response.status).toBe(400);
  });
});

describe('the evaluation loop', () => {
  it('exports rekindle_experiment_rate with the point estimate and its interval', async () => {
    let metrics = '';
    for (let attempt = 0; attempt < 50; attempt += 1) {
      metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      if (metrics.includes('route="exp_route"')) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const value = (version: string, metric: string, bound: string) => {
      const line = metrics
        .split('\n')
        .find((text) =>
          text.startsWith(
            `rekindle_experiment_rate{route="exp_route",model_version="${version}",metric="${metric}",bound="${bound}"}`,
          ),
        );
      return line === undefined ? null : Number(line.split(' ').at(-1));
    };
    expect(value('exp-v2', 'reply_rate', 'point')).toBe(0.3);
    expect(value('exp-v2', 'reply_rate', 'lower')).toBeLessThan(0.3);
    expect(value('exp-v2', 'reply_rate', 'upper')).toBeGreaterThan(0.3);
    expect(value('exp-v1', 'close_rate', 'point')).toBe(0.03);
    expect(value('exp-v1', 'meeting_rate', 'point')).toBe(0.06);
  });

  it('changes nothing while automation is off', async () => {
    const { json } = await admin('/admin/models?route=exp_route');
    const variant = json.data.find(
      (row: { model_version: string }) => row.model_version === 'exp-v2',
    );
    expect(variant).toMatchObject({ status: 'testing', is_baseline: false });
    const events = await admin('/admin/rollout/events?route=exp_route');
    expect(events.json.data.some((event: { automatic: boolean }) => event.automatic)).toBe(false);
  });
});

describe('rekindle evaluate and leaderboard through REKINDLE_GATEWAY_URL', () => {
  async function rekindle(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const env = readEnv({
      REKINDLE_GATEWAY_URL: gateway.url,
      REKINDLE_ADMIN_TOKEN: adminToken,
      // No store is opened: a data directory that cannot exist proves it.
      REKINDLE_DATA_DIR: '/proc/rekindle-must-not-open',
    });
    const exitCode = await runCli(argv, env, commands, {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
    });
    return { exitCode, stdout, stderr };
  }

  it('evaluate prints the table, or one JSON object with --json', async () => {
    const text = await rekindle(['evaluate', '--route', 'exp_route']);
    expect(text.stderr).toBe('');
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/Close rate\s+3\.00% .*9\.00%/);
    expect(text.stdout).toContain('Decision: PROMOTE exp-v2');
    const json = await rekindle(['evaluate', '--route', 'exp_route', '--json']);
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ decision: 'promote', route: 'exp_route' });
  });

  it('leaderboard --json prints the same object as the API', async () => {
    const result = await rekindle(['leaderboard', '--route', 'exp_route', '--json']);
    expect(result.exitCode).toBe(0);
    const board = JSON.parse(result.stdout);
    expect(board.rows.map((row: { model_version: string }) => row.model_version)).toEqual([
      'exp-v1',
      'exp-v2',
    ]);
  });

  it('a route with nothing deployed: the decision is invalid (no baseline), exit 0', async () => {
    const json = await rekindle(['evaluate', '--route', 'outreach', '--json']);
    expect(json).toMatchObject({ exitCode: 0, stderr: '' });
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ decision: 'invalid', baseline: null });
    const text = await rekindle(['evaluate', '--route', 'outreach']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^Decision: INVALID\n {2}- no baseline: nothing is deployed/m);
  });

  it('reports an unknown route with a non-zero exit', async () => {
    const result = await rekindle(['evaluate', '--route', 'no_such_route']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/404 route_not_found/);
  });
});

describe('rekindle evaluate on a fresh install (its own empty store)', () => {
  it('prints one JSON object with decision invalid and exits 0', { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-fresh-'));
    // An empty config file: independent of any rekindle.config.json in the working directory.
    writeFileSync(join(dataDir, 'config.json'), '{}');
    const outputs = { stdout: '', stderr: '' };
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const exitCode = await runCli(
      ['evaluate', '--json'],
      readEnv({ REKINDLE_DATA_DIR: dataDir, REKINDLE_CONFIG: join(dataDir, 'config.json') }),
      commands,
      {
        stdout: (text) => {
          outputs.stdout += text;
        },
        stderr: (text) => {
          outputs.stderr += text;
        },
      },
    );
    expect({ exitCode, stderr: outputs.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(outputs.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(outputs.stdout)).toMatchObject({
      route: 'outreach',
      baseline: null,
      decision: 'invalid',
      reasons: [expect.stringMatching(/^no baseline: nothing is deployed/)],
      arms: [],
      variants: [],
    });
  });
});
