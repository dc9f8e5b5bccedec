import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireService, type ServiceRequirement } from './services.ts';

/**
 * A throwaway Prometheus (the Debian package, 2.42) for tests: scrapes the given targets every
 * second, evaluates the given rule files every second, keeps its TSDB in a temp dir and listens on
 * 127.0.0.1 only. Start it in beforeAll, stop() it in afterAll.
 */
export interface PrometheusServerOptions {
  /** `host:port` of each target; Prometheus scrapes `http://<target><metricsPath>`. */
  readonly targets: readonly string[];
  /** Defaults to `rekindle-gateway`, the job name of grafana/prometheus/prometheus.yml. */
  readonly jobName?: string;
  readonly metricsPath?: string;
  /** Sent as `Authorization: Bearer …` (the gateway's REKINDLE_METRICS_TOKEN). */
  readonly bearerToken?: string;
  readonly scrapeIntervalSeconds?: number;
  /** Absolute paths of rule files to load (evaluated every scrape interval). */
  readonly ruleFiles?: readonly string[];
}

export interface PrometheusSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** The sample value as Prometheus printed it (`NaN`, `+Inf` included). */
  readonly value: string;
}

/** An instant query's answer: `ok: false` carries Prometheus's error (e.g. `bad_data`: parse error). */
export type PrometheusQueryResult =
  | { readonly ok: true; readonly resultType: string; readonly series: readonly PrometheusSeries[] }
  | {
      readonly ok: false;
      readonly httpStatus: number;
      readonly errorType: string;
      readonly error: string;
    };

export interface PrometheusRule {
  readonly type: 'alerting' | 'recording';
  readonly name: string;
  /** The expression as Prometheus re-printed it after parsing. */
  readonly query: string;
  readonly health: string;
  readonly lastError?: string;
  readonly lastEvaluation: string;
}

export interface PrometheusTarget {
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  readonly lastScrape: string;
}

export interface PrometheusServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `GET /api/v1/query` at the current time. */
  query(expr: string): Promise<PrometheusQueryResult>;
  rules(): Promise<PrometheusRule[]>;
  targets(): Promise<PrometheusTarget[]>;
  /** Resolves once every target has been scraped successfully after this call. */
  waitForScrape(timeoutMs?: number): Promise<void>;
  /** Resolves once every loaded rule has been evaluated after this call. */
  waitForRuleEvaluation(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Null when a `prometheus` binary is on PATH, else why not. */
export function prometheusUnavailableReason(): string | null {
  return spawnSync('which', ['prometheus'], { stdio: 'ignore' }).status === 0
    ? null
    : 'prometheus is not on PATH (apt-get install -y prometheus)';
}

/** Skips locally without Prometheus, fails with REKINDLE_REQUIRE_SERVICES=1 (see services.ts). */
export const prometheusService = (): ServiceRequirement =>
  requireService('prometheus', prometheusUnavailableReason);

export async function startPrometheusServer(
  options: PrometheusServerOptions,
): Promise<PrometheusServer> {
  const directory = mkdtempSync(join(tmpdir(), 'rekindle-prometheus-'));
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(directory, 'prometheus.yml');
  // JSON is valid YAML, so the generated config needs no YAML writer.
  writeFileSync(configFile, JSON.stringify(prometheusConfig(options), null, 2));
  const child = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    await stopChild(child, exited);
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await waitUntil(15_000, 'Prometheus to become ready', async () => {
      if (child.exitCode !== null) {
        throw new Error(`prometheus exited with ${child.exitCode}: ${log}`);
      }
      return (await fetchOrNull(`${url}/-/ready`))?.ok === true;
    });
  } catch (error) {
    await stop();
    throw error;
  }

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') {
      throw new Error(`Prometheus ${path} failed: ${body.error ?? response.status}`);
    }
    return body.data;
  };
  const rules = async () =>
    (await api<{ groups: { rules: PrometheusRule[] }[] }>('/api/v1/rules')).groups.flatMap(
      (group) => group.rules,
    );
  const targets = async () =>
    (await api<{ activeTargets: PrometheusTarget[] }>('/api/v1/targets')).activeTargets;

  return {
    url,
    query: (expr) => instantQuery(url, expr),
    rules,
    targets,
    async waitForScrape(timeoutMs = 15_000) {
      const since = Date.now();
      let last: PrometheusTarget[] = [];
      await waitUntil(timeoutMs, 'a scrape of every target', async () => {
        last = await targets();
        return (
          last.length === options.targets.length &&
          last.every((target) => target.health === 'up' && Date.parse(target.lastScrape) > since)
        );
      }).catch((error: unknown) => {
        const states = last.map((t) => `${t.scrapeUrl}: ${t.health} ${t.lastError}`).join('; ');
        throw new Error(`${error instanceof Error ? error.message : String(error)} (${states})`);
      });
    },
    async waitForRuleEvaluation(timeoutMs = 15_000) {
      const since = Date.now();
      await waitUntil(timeoutMs, 'an evaluation of every rule', async () =>
        (await rules()).every((rule) => Date.parse(rule.lastEvaluation) > since),
      );
    },
    stop,
  };
}

function prometheusConfig(options: PrometheusServerOptions) {
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  return {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    rule_files: options.ruleFiles ?? [],
    scrape_configs: [
      {
        job_name: options.jobName ?? 'rekindle-gateway',
        metrics_path: options.metricsPath ?? '/metrics',
        ...(options.bearerToken === undefined
          ? {}
          : { authorization: { type: 'Bearer', credentials: options.bearerToken } }),
        static_configs: [{ targets: options.targets }],
      },
    ],
  };
}

async function instantQuery(url: string, expr: string): Promise<PrometheusQueryResult> {
  const response = await fetch(`${url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: expr }).toString(),
  });
  const body = (await response.json()) as {
    status: 'success' | 'error';
    data?: { resultType: string; result: unknown };
    errorType?: string;
    error?: string;
  };
  if (body.status !== 'success' || body.data === undefined) {
    return {
      ok: false,
      httpStatus: response.status,
      errorType: body.errorType ?? 'unknown',
      error: body.error ?? `HTTP ${response.status}`,
    };
  }
  return { ok: true, resultType: body.data.resultType, series: seriesOf(body.data) };
}

type RawSample = {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
};

function seriesOf(data: { resultType: string; result: unknown }): PrometheusSeries[] {
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    const [, value] = data.result as [number, string];
    return [{ labels: {}, value }];
  }
  return (data.result as RawSample[]).map((sample) => ({
    labels: sample.metric,
    value: sample.value?.[1] ?? sample.values?.at(-1)?.[1] ?? 'NaN',
  }));
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function fetchOrNull(url: string): Promise<Response | null> {
  try {
    return await fetch(url);
  } catch {
    return null;
  }
}

async function waitUntil(
  timeoutMs: number,
  what: string,
  condition: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A free TCP port on 127.0.0.1, chosen by the OS (a tiny race with other starters is accepted). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
