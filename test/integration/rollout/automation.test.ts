import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, readEnv } from '../../../src/config/index.ts';
import type { RunningGateway } from '../../../src/main/index.ts';
import { createLogger, createMetrics } from '../../../src/metrics/index.ts';
import { createRolloutExperiments } from '../../../src/pipeline/rollout/index.ts';
import { RegistryService } from '../../../src/pipeline/rollout/registry/index.ts';
import type { Store } from '../../../src/store/index.ts';
import type {
  ModelRegistryStore,
  RegistryRow,
  RolloutEvent,
} from '../../../src/store/model-registry-store.ts';
import type { PgliteTransport } from '../../../src/store/transports/pglite-transport.ts';
import { closeSharedPglite, sharedPglite, sharedStore } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import { type ArmSeed, seedExperiment } from './seed-experiment.ts';

/**
 * Guarded automation: a winning variant is promoted once and a harmful one rolled back, each with
 * an automatic audit row carrying the reason and the numbers; with automation off nothing changes;
 * two instances acting at the same moment make one change.
 */
const logger = createLogger({ level: 'error', write: () => {} });
let transport: PgliteTransport;
let store: Store;
let registryStore: ModelRegistryStore;

const baselineArm = (version: string): ArmSeed => ({
  modelVersion: version,
  modelId: 'gpt-4o-mini',
  messages: 2000,
  replyPerMille: 100,
  meetingPerMille: 60,
  dealPerMille: 30,
  bouncePerMille: 20,
});
const winningArm = (version: string): ArmSeed => ({
  modelVersion: version,
  modelId: `ft:gpt-4o-mini:acme::${version}`,
  messages: 2000,
  replyPerMille: 300,
  meetingPerMille: 180,
  dealPerMille: 90,
  bouncePerMille: 20,
});
// Same goal rates as the baseline, ten times the bounces: a guardrail significantly worse.
const harmfulArm = (version: string): ArmSeed => ({
  ...baselineArm(version),
  modelId: `ft:gpt-4o-mini:acme::${version}`,
  bouncePerMille: 200,
});

async function seed(route: string, baseline: ArmSeed, variant: ArmSeed): Promise<void> {
  await seedExperiment(transport.executor, {
    route,
    organizationId: 'auto_org',
    sentDaysAgo: { from: 125, to: 96 },
    deployedDaysAgo: 130,
    variantTrafficPercentage: 50,
    baseline,
    variant,
  });
}

beforeAll(async () => {
  transport = await sharedPglite();
  store = await sharedStore();
  registryStore = store.registry;
  await seed('auto_win', baselineArm('win-v1'), winningArm('win-v2'));
  await seed('auto_harm', baselineArm('harm-v1'), harmfulArm('harm-v2'));
}, 60_000);

afterAll(closeSharedPglite);

/** The automation parts of a gateway instance over the shared store, without the HTTP server. */
async function instance(rollout: Record<string, unknown>, instanceId: string) {
  const config = loadConfig({
    env: readEnv({}),
    rawEnv: {},
    file: { rollout: { planned_total_messages: 4000, ...rollout } },
  });
  const registry = new RegistryService({
    store: registryStore,
    notifications: store,
    logger,
    onChange: () => {},
  });
  await registry.reload();
  const metrics = createMetrics({ defaultMetrics: false });
  const parts = createRolloutExperiments({
    config,
    store,
    registry,
    metrics,
    logger,
    instanceId,
  });
  return { ...parts, metrics, registry };
}

async function model(route: string, version: string): Promise<RegistryRow | undefined> {
  return (await registryStore.list(route)).find((row) => row.model_version === version);
}

async function automaticEvents(route: string): Promise<RolloutEvent[]> {
  return (await registryStore.events(route)).filter((event) => event.automatic);
}

describe('with automation off', () => {
  it('evaluates and exports the rates but changes nothing', async () => {
    const off = await instance({ auto_promote: false, auto_rollback: false }, 'off-instance');
    const rounds = await off.automation.runOnce();
    expect(rounds.map((round) => [round.route, round.decision, round.actions])).toEqual([
      ['auto_harm', 'rollback', []],
      ['auto_win', 'promote', []],
    ]);
    expect(await model('auto_win', 'win-v2')).toMatchObject({
      status: 'testing',
      is_baseline: false,
    });
    expect(await model('auto_harm', 'harm-v2')).toMatchObject({ status: 'testing' });
    expect(await automaticEvents('auto_win')).toEqual([]);
    expect(await automaticEvents('auto_harm')).toEqual([]);
    expect(await off.leaderboardStore.claims()).toEqual([]);
    const gauge = await off.metrics.registry.getSingleMetricAsString('rekindle_experiment_rate');
    expect(gauge).toContain(
      'rekindle_experiment_rate{route="auto_harm",model_version="harm-v2",metric="bounce_rate",bound="point"} 0.2',
    );
  });
});

describe('through a running gateway with auto_promote and auto_rollback', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      env: { REKINDLE_ADMIN_TOKEN: 'automation-admin' },
      file: {
        rollout: {
          auto_promote: true,
          auto_rollback: true,
          evaluation_interval_ms: 150,
          planned_total_messages: 4000,
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.shutdown();
  });

  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    let value = await read();
    for (let attempt = 0; attempt < 100 && !done(value); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      value = await read();
    }
    return value;
  }

  it('promotes the winning variant once, with an automatic audit row and the numbers', async () => {
    const events = await eventually(
      () => automaticEvents('auto_win'),
      (list) => list.length > 0,
    );
    // Several more rounds run; the decision is acted on only once.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await automaticEvents('auto_win')).map((event) => event.action)).toEqual(['promote']);
    const [promotion] = events;
    expect(promotion).toMatchObject({
      route: 'auto_win',
      model_version: 'win-v2',
      action: 'promote',
      automatic: true,
      actor: 'rollout-automation',
    });
    expect(promotion?.reason).toMatch(/^automatic promotion \(auto_promote\): reply rate lift/);
    expect(promotion?.details).toMatchObject({
      decision: 'promote',
      baseline: 'win-v1',
      variant: 'win-v2',
      previous_baseline: 'win-v1',
      sample_ratio_mismatch: { ok: true },
    });
    const checks = promotion?.details.promotion_checks as { metric: string; met: boolean }[];
    expect(checks.map((check) => [check.metric, check.met])).toEqual([
      ['reply_rate', true],
      ['close_rate', true],
    ]);
    expect(await model('auto_win', 'win-v2')).toMatchObject({
      is_baseline: true,
      status: 'active',
    });
    expect(await model('auto_win', 'win-v1')).toMatchObject({ status: 'deprecated' });
  });

  it('rolls back the variant whose bounce rate is significantly higher', async () => {
    const events = await eventually(
      () => automaticEvents('auto_harm'),
      (list) => list.length > 0,
    );
    expect(events.map((event) => event.action)).toEqual(['rollback']);
    expect(events[0]?.reason).toMatch(/guardrail significantly worse: bounce rate/);
    const worse = events[0]?.details.significantly_worse as { metric: string; kind: string }[];
    expect(worse).toEqual([expect.objectContaining({ metric: 'bounce_rate', kind: 'guardrail' })]);
    expect(await model('auto_harm', 'harm-v2')).toMatchObject({
      status: 'rolled_back',
      traffic_percentage: 0,
    });
    expect(await model('auto_harm', 'harm-v1')).toMatchObject({ is_baseline: true });
  });

  it('counts the automatic changes and shows them on /admin/rollout/events', async () => {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain(
      'rekindle_rollout_actions_total{route="auto_win",action="promote",automatic="true"} 1',
    );
    expect(metrics).toContain(
      'rekindle_rollout_actions_total{route="auto_harm",action="rollback",automatic="true"} 1',
    );
    const response = await fetch(`${gateway.url}/admin/rollout/events?route=auto_win&limit=1`, {
      headers: { authorization: 'Bearer automation-admin' },
    });
    const body = (await response.json()) as { data: RolloutEvent[] };
    expect(body.data[0]).toMatchObject({ action: 'promote', automatic: true });
    const claims = await store.leaderboard.claims();
    expect(
      claims.map((claim) => [claim.route, claim.action, claim.status, claim.attempts]),
    ).toEqual(
      expect.arrayContaining([
        ['auto_win', 'promote', 'applied', 1],
        ['auto_harm', 'rollback', 'applied', 1],
      ]),
    );
  });
});

describe('two instances at the same moment', () => {
  it('make one change between them', async () => {
    await seed('auto_race', baselineArm('race-v1'), winningArm('race-v2'));
    const first = await instance({ auto_promote: true }, 'instance-a');
    const second = await instance({ auto_promote: true }, 'instance-b');
    const [roundsA, roundsB] = await Promise.all([
      first.automation.runOnce(),
      second.automation.runOnce(),
    ]);
    const outcomes = [...roundsA, ...roundsB]
      .filter((round) => round.route === 'auto_race')
      .flatMap((round) => round.actions.map((action) => action.outcome));
    expect(outcomes.filter((outcome) => outcome === 'applied')).toHaveLength(1);
    expect((await automaticEvents('auto_race')).map((event) => event.action)).toEqual(['promote']);
    // A later round finds no experiment left on the route.
    const again = await first.automation.runOnce();
    expect(again.find((round) => round.route === 'auto_race')).toBeUndefined();
  });
});
