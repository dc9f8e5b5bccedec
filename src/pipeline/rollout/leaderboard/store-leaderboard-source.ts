import type { DailyCohortRow, LeaderboardStore, RegistryRow } from '../../../store/index.ts';
import type { ArmAggregates, OutcomeWindows } from '../decision/index.ts';
import {
  type ArmDescription,
  aggregateDailyCohorts,
  type DailyCohort,
} from './aggregate-daily-cohorts.ts';
import type { LeaderboardSnapshot, LeaderboardSource } from './leaderboard-source.ts';

export interface StoreLeaderboardSourceOptions {
  /** `rollout_daily_cohorts()` (src/store/leaderboard-store.ts). */
  readonly cohorts: Pick<LeaderboardStore, 'dailyCohorts'>;
  /** The route's registry rows: who is the baseline, which variants run at what share. */
  readonly listModels: (route: string) => Promise<readonly RegistryRow[]>;
  readonly windows: OutcomeWindows;
}

const dayMs = 86_400_000;

/**
 * The arms of a route's experiment, read from the store: the registry's active baseline and its
 * testing variants with traffic, and the daily cohorts of messages their own models served since
 * the current split took effect (the latest `deployed_at` among them). Each metric counts a day
 * only once its outcome window has closed as of `now`. A route without registry arms shows every
 * version it has sent messages with, none of them a baseline (leaderboard only; a decision needs
 * one).
 */
export function createStoreLeaderboardSource(
  options: StoreLeaderboardSourceOptions,
): LeaderboardSource {
  return {
    async load(route: string, now: Date): Promise<LeaderboardSnapshot> {
      const rows = await options.listModels(route);
      let arms = experimentArms(rows.filter((row) => row.route === route));
      const experimentStart = latest(arms.map((arm) => arm.deployedAt));
      const cohorts = await options.cohorts.dailyCohorts({
        route,
        since: experimentStart,
        now,
        windows: options.windows,
      });
      if (arms.length === 0) {
        arms = [...new Set(cohorts.map((cohort) => cohort.model_version))].sort().map(
          (modelVersion): ArmDescription => ({
            modelVersion,
            isBaseline: false,
            trafficPercentage: 0,
            deployedAt: null,
          }),
        );
      }
      const byVersion = new Map<string, DailyCohortRow[]>();
      for (const cohort of cohorts) {
        const list = byVersion.get(cohort.model_version) ?? [];
        list.push(cohort);
        byVersion.set(cohort.model_version, list);
      }
      // SQL already left out messages sent before the start; the partial first day counts whole.
      const firstDay = experimentStart === null ? null : startOfUtcDay(experimentStart);
      const aggregates = arms.map((arm): ArmAggregates => {
        const armCohorts = byVersion.get(arm.modelVersion) ?? [];
        const totals = aggregateDailyCohorts(arm, armCohorts.map(toDailyCohort), {
          now,
          windows: options.windows,
          experimentStart: firstDay,
        });
        const fallbackMessages = armCohorts.reduce((sum, row) => sum + row.fallback_messages, 0);
        return { ...totals, fallbackMessages };
      });
      return {
        aggregates: { route, arms: aggregates },
        asOf: null,
        weeklyVolume: null,
        plannedTotalMessages: null,
      };
    },
  };
}

/** The active baseline takes what the testing variants leave (the router's split). */
function experimentArms(rows: readonly RegistryRow[]): ArmDescription[] {
  const baseline = rows.find((row) => row.is_baseline && row.status === 'active');
  const variants = rows
    .filter((row) => !row.is_baseline && row.status === 'testing' && row.traffic_percentage > 0)
    .sort((left, right) => left.created_at.localeCompare(right.created_at));
  const variantShare = variants.reduce((sum, row) => sum + row.traffic_percentage, 0);
  const arms: ArmDescription[] = variants.map((row) => ({
    modelVersion: row.model_version,
    isBaseline: false,
    trafficPercentage: row.traffic_percentage,
    deployedAt: row.deployed_at ? new Date(row.deployed_at) : null,
  }));
  if (baseline) {
    arms.unshift({
      modelVersion: baseline.model_version,
      isBaseline: true,
      trafficPercentage: Math.max(0, 100 - variantShare),
      deployedAt: baseline.deployed_at ? new Date(baseline.deployed_at) : null,
    });
  }
  return arms;
}

function toDailyCohort(row: DailyCohortRow): DailyCohort {
  return {
    date: row.date,
    messagesSent: row.messages_sent,
    // A request the version's own model failed and a fallback answered is a failed request of
    // this arm: it keeps the sample-ratio check honest and feeds the error-rate guardrail.
    // Requests that failed outright leave no message and are not stored.
    errors: row.fallback_messages,
    costSum: row.cost_usd_sum,
    costSumOfSquares: row.cost_usd_sum_squares,
    replies: row.replies,
    positiveReplies: row.positive_replies,
    negativeReplies: row.negative_replies,
    bounces: row.bounces,
    spamReports: row.spam_reports,
    unsubscribes: row.unsubscribes,
    meetings: row.meetings,
    deals: row.deals,
    revenueSum: row.revenue_usd_sum,
    revenueSumOfSquares: row.revenue_usd_sum_squares,
  };
}

function latest(dates: readonly (Date | null)[]): Date | null {
  const times = dates.flatMap((date) => (date === null ? [] : [date.getTime()]));
  return times.length === 0 ? null : new Date(Math.max(...times));
}

function startOfUtcDay(date: Date): Date {
  return new Date(Math.floor(date.getTime() / dayMs) * dayMs);
}
