import {
  type PrometheusServer,
  type PrometheusServerOptions,
  startPrometheusServer,
} from '../../helpers/prometheus-server.ts';
import {
  dashboardQueries,
  dashboardsDirectory,
  loadDashboards,
  type ObservedQuery,
  ruleFiles,
  ruleQueries,
} from './observed-queries.ts';
import { labelsInLegend } from './promql-names.ts';

/**
 * Evaluates every expression of every Grafana dashboard (panel targets, variable queries,
 * annotations) and every alerting and recording rule through a real Prometheus's HTTP API.
 *
 * Usage against anything that serves the gateway's metrics:
 *
 *   const report = await scrapeAndCheckDashboards({
 *     targets: ['127.0.0.1:8787'], bearerToken, traffic: () => sendSomeRequests(), expectData: true,
 *   });
 *   expect(report.failures).toEqual([]);
 */
export interface CheckDashboardsOptions {
  /**
   * false: each expression must parse and evaluate. true: also every panel and variable query
   * returns at least one series, each series carries the labels its legend names, and every rule
   * evaluated healthily and (recording rules) recorded something.
   */
  readonly expectData: boolean;
  /**
   * Sources (`rollout.json › Experiment: …`) whose emptiness is not a failure, e.g. a panel of a
   * metric the traffic under test cannot produce. Parse errors are failures regardless.
   */
  readonly allowEmpty?: readonly RegExp[];
  readonly dashboardsDirectory?: string;
  /** The rule files Prometheus was started with; defaults to grafana/prometheus/rules/*.yml. */
  readonly ruleFiles?: readonly string[];
}

interface QueryCheck {
  readonly query: ObservedQuery;
  /** Series in the instant result; null when Prometheus answered with an error. */
  readonly seriesCount: number | null;
}

export interface DashboardCheckReport {
  readonly checked: readonly QueryCheck[];
  /** One line per problem, naming the dashboard and panel or the rule; empty when all is well. */
  readonly failures: readonly string[];
}

export async function checkDashboardsAgainst(
  prometheus: PrometheusServer,
  options: CheckDashboardsOptions,
): Promise<DashboardCheckReport> {
  const rules = ruleQueries([...(options.ruleFiles ?? ruleFiles())]);
  const queries = [
    ...dashboardQueries(loadDashboards(options.dashboardsDirectory ?? dashboardsDirectory)),
    ...rules,
  ];
  const failures: string[] = [];
  const checked: QueryCheck[] = [];

  for (const query of queries) {
    const result = await prometheus.query(query.promql);
    if (!result.ok) {
      failures.push(`${query.source}: ${result.errorType}: ${result.error}`);
      checked.push({ query, seriesCount: null });
      continue;
    }
    checked.push({ query, seriesCount: result.series.length });
    const mustHaveData = query.kind === 'panel' || query.kind === 'variable';
    if (!options.expectData || !mustHaveData) {
      continue;
    }
    const allowedEmpty = (options.allowEmpty ?? []).some((pattern) => pattern.test(query.source));
    if (result.series.length === 0 && !allowedEmpty) {
      failures.push(`${query.source}: no data for ${query.promql}`);
    }
    for (const label of labelsInLegend(query.legendFormat)) {
      const without = result.series.find((series) => series.labels[label] === undefined);
      if (without !== undefined) {
        failures.push(
          `${query.source}: legend uses {{${label}}} but a result series has no such label: ${JSON.stringify(without.labels)}`,
        );
      }
    }
  }

  failures.push(...(await ruleProblems(prometheus, rules, options.expectData)));
  return { checked, failures };
}

/** The rules in the files are the rules Prometheus loaded; with data expected, they all ran. */
async function ruleProblems(
  prometheus: PrometheusServer,
  rules: readonly ObservedQuery[],
  expectData: boolean,
): Promise<string[]> {
  const problems: string[] = [];
  const loaded = await prometheus.rules();
  const kindOf = { alerting: 'alert', recording: 'record' } as const;
  const loadedKeys = new Set(loaded.map((rule) => `${kindOf[rule.type]} ${rule.name}`));
  for (const rule of rules) {
    if (!loadedKeys.has(`${rule.kind} ${rule.name}`)) {
      problems.push(`${rule.source}: not loaded by Prometheus (start it with these rule files)`);
    }
  }
  if (!expectData) {
    return problems;
  }
  for (const rule of loaded) {
    if (rule.health !== 'ok') {
      problems.push(`rule ${rule.name}: health ${rule.health} ${rule.lastError ?? ''}`.trim());
    }
    if (rule.type === 'recording') {
      const result = await prometheus.query(rule.name);
      if (!result.ok || result.series.length === 0) {
        problems.push(`recording rule ${rule.name}: recorded no series`);
      }
    }
  }
  return problems;
}

export interface ScrapeAndCheckOptions extends CheckDashboardsOptions {
  /** `host:port` of each gateway (or anything serving its metrics). */
  readonly targets: readonly string[];
  readonly bearerToken?: string;
  readonly metricsPath?: string;
  /** Called once per round, before waiting for the next scrape: send requests, post webhooks… */
  readonly traffic: () => Promise<void> | void;
  /** Rounds of traffic + scrape; `rate()` needs at least two scrapes. Default 3. */
  readonly rounds?: number;
}

/**
 * Starts a Prometheus scraping `targets` every second with the shipped rule files, runs `traffic`
 * between scrapes, waits for the rules to be evaluated on the last scrape, checks every dashboard
 * and rule expression, and stops Prometheus.
 */
export async function scrapeAndCheckDashboards(
  options: ScrapeAndCheckOptions,
): Promise<DashboardCheckReport> {
  const files = [...(options.ruleFiles ?? ruleFiles())];
  const serverOptions: PrometheusServerOptions = {
    targets: options.targets,
    ruleFiles: files,
    ...(options.bearerToken === undefined ? {} : { bearerToken: options.bearerToken }),
    ...(options.metricsPath === undefined ? {} : { metricsPath: options.metricsPath }),
  };
  const prometheus = await startPrometheusServer(serverOptions);
  try {
    await observeTraffic(prometheus, options.traffic, options.rounds ?? 3);
    return await checkDashboardsAgainst(prometheus, { ...options, ruleFiles: files });
  } finally {
    await prometheus.stop();
  }
}

/** `rounds` × (traffic, then a fresh scrape of every target), then one rule evaluation. */
export async function observeTraffic(
  prometheus: PrometheusServer,
  traffic: () => Promise<void> | void,
  rounds: number,
): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    await traffic();
    await prometheus.waitForScrape();
  }
  await prometheus.waitForRuleEvaluation();
}
