import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../../../src/metrics/index.ts';
import {
  createStoreLeaderboardSource,
  defaultDecisionOptions,
  ExperimentGauges,
  experimentRoutes,
} from '../../../../../src/pipeline/rollout/index.ts';
import type {
  DailyCohortQuery,
  DailyCohortRow,
} from '../../../../../src/store/leaderboard-store.ts';
import type { RegistryRow } from '../../../../../src/store/model-registry-store.ts';

const windows = defaultDecisionOptions.windows;
const now = new Date('2026-06-30T12:00:00Z');

function registryRow(overrides: Partial<RegistryRow>): RegistryRow {
  return {
    id: overrides.model_version ?? 'id',
    route: 'outreach',
    model_id: 'gpt-4o-mini',
    provider: 'openai',
    model_version: 'v1',
    base_model: null,
    status: 'active',
    is_baseline: false,
    traffic_percentage: 0,
    ab_test_group: null,
    training_run_id: null,
    training_stats: {},
    deployed_at: null,
    promoted_at: null,
    deprecated_at: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

function cohort(
  version: string,
  date: string,
  overrides: Partial<DailyCohortRow> = {},
): DailyCohortRow {
  return {
    route: 'outreach',
    model_version: version,
    date,
    messages_sent: 100,
    fallback_messages: 0,
    cost_usd_sum: 0.2,
    cost_usd_sum_squares: 0.0004,
    replies: 10,
    positive_replies: 5,
    negative_replies: 1,
    bounces: 2,
    spam_reports: 0,
    unsubscribes: 1,
    meetings: 4,
    deals: 1,
    revenue_usd_sum: 1000,
    revenue_usd_sum_squares: 1_000_000,
    reply_window_closed: true,
    meeting_window_closed: true,
    close_window_closed: true,
    ...overrides,
  };
}

describe('createStoreLeaderboardSource', () => {
  const rows = [
    registryRow({
      model_version: 'v1',
      is_baseline: true,
      status: 'active',
      deployed_at: '2026-01-01T00:00:00Z',
    }),
    registryRow({
      model_version: 'v2',
      status: 'testing',
      traffic_percentage: 10,
      deployed_at: '2026-06-01T15:00:00Z',
      created_at: '2026-05-01T00:00:00Z',
    }),
    registryRow({
      model_version: 'v3',
      status: 'testing',
      traffic_percentage: 5,
      deployed_at: '2026-05-20T00:00:00Z',
      created_at: '2026-05-02T00:00:00Z',
    }),
    registryRow({ model_version: 'v0', status: 'deprecated' }),
    registryRow({ model_version: 'other', route: 'support', is_baseline: true }),
  ];

  it('takes the arms from the registry and asks for cohorts since the split took effect', async () => {
    const queries: DailyCohortQuery[] = [];
    const source = createStoreLeaderboardSource({
      listModels: async () => rows,
      cohorts: {
        async dailyCohorts(query) {
          queries.push(query);
          return [
            cohort('v1', '2026-06-01'),
            cohort('v1', '2026-06-02'),
            cohort('v2', '2026-06-01', { fallback_messages: 3 }),
            cohort('v0', '2026-06-02'),
          ];
        },
      },
      windows,
    });
    const snapshot = await source.load('outreach', now);
    expect(queries).toEqual([
      { route: 'outreach', since: new Date('2026-06-01T15:00:00Z'), now, windows },
    ]);
    const arms = snapshot.aggregates.arms;
    expect(arms.map((arm) => [arm.modelVersion, arm.isBaseline, arm.trafficPercentage])).toEqual([
      ['v1', true, 85],
      ['v2', false, 10],
      ['v3', false, 5],
    ]);
    // The partial first day (the split took effect at 15:00) counts.
    expect(arms[0]).toMatchObject({ messagesSent: 200, errors: 0, fallbackMessages: 0 });
    expect(arms[1]).toMatchObject({ messagesSent: 100, errors: 3, fallbackMessages: 3 });
    expect(arms[2]).toMatchObject({ messagesSent: 0, fallbackMessages: 0 });
  });

  it('windows each metric itself: a day counts only once its window has closed', async () => {
    const source = createStoreLeaderboardSource({
      listModels: async () => rows.slice(0, 2),
      cohorts: {
        dailyCohorts: async () => [cohort('v1', '2026-06-20'), cohort('v1', '2026-06-27')],
      },
      windows,
    });
    const [baseline] = (await source.load('outreach', now)).aggregates.arms;
    expect(baseline?.reply.messages).toBe(100);
    expect(baseline?.meeting.messages).toBe(0);
    expect(baseline?.messagesSent).toBe(200);
  });

  it('shows every version that sent messages when the registry has no arms', async () => {
    const source = createStoreLeaderboardSource({
      listModels: async () => [],
      cohorts: {
        dailyCohorts: async (query) => {
          expect(query.since).toBeNull();
          return [cohort('gpt-4o-mini', '2026-06-01'), cohort('claude', '2026-06-01')];
        },
      },
      windows,
    });
    const arms = (await source.load('outreach', now)).aggregates.arms;
    expect(arms.map((arm) => [arm.modelVersion, arm.isBaseline])).toEqual([
      ['claude', false],
      ['gpt-4o-mini', false],
    ]);
  });
});

describe('experimentRoutes', () => {
  it('lists routes with an active baseline and a testing variant that takes traffic', () => {
    expect(
      experimentRoutes([
        registryRow({ route: 'a', model_version: 'a1', is_baseline: true }),
        registryRow({ route: 'a', model_version: 'a2', status: 'testing', traffic_percentage: 10 }),
        registryRow({ route: 'b', model_version: 'b1', is_baseline: true }),
        registryRow({ route: 'b', model_version: 'b2', status: 'testing', traffic_percentage: 0 }),
        registryRow({ route: 'c', model_version: 'c2', status: 'testing', traffic_percentage: 10 }),
      ]),
    ).toEqual(['a']);
  });
});

describe('ExperimentGauges', () => {
  it('sets point and bounds per version and removes series that left the experiment', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const gauges = new ExperimentGauges(metrics);
    const source = createStoreLeaderboardSource({
      listModels: async () => [
        registryRow({ model_version: 'v1', is_baseline: true }),
        registryRow({ model_version: 'v2', status: 'testing', traffic_percentage: 10 }),
      ],
      cohorts: {
        dailyCohorts: async () => [cohort('v1', '2026-01-01'), cohort('v2', '2026-01-01')],
      },
      windows,
    });
    gauges.update((await source.load('outreach', now)).aggregates);
    const text = () => metrics.registry.getSingleMetricAsString('rekindle_experiment_rate');
    expect(await text()).toContain(
      'rekindle_experiment_rate{route="outreach",model_version="v2",metric="reply_rate",bound="point"} 0.1',
    );
    const series = (await text()).split('\n').filter((line) => line.startsWith('rekindle_'));
    // 2 versions × 8 rates × 3 bounds.
    expect(series).toHaveLength(48);
    gauges.update({
      route: 'outreach',
      arms: (await source.load('outreach', now)).aggregates.arms.slice(0, 1),
    });
    expect(await text()).not.toContain('model_version="v2"');
    gauges.retain(new Set());
    expect(await text()).not.toContain('route="outreach"');
  });
});
