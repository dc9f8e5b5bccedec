/**
 * The demo's knobs (flags of `rekindle demo`) and the gateway configuration it runs with. Every
 * difference from the defaults of `rekindle.config.json` is here and in docs/demo.md, with why.
 */
import type { VariantLift } from './audience/audience-model.ts';

export interface DemoSettings {
  readonly seed: number;
  readonly variantLift: VariantLift;
  /** Experiment weeks at most (the engine may decide earlier). */
  readonly weeks: number;
  /** New leads emailed per week while the experiment runs. */
  readonly leadsPerWeek: number;
  /** Weeks of baseline-only history before the first training cycle. */
  readonly historyWeeks: number;
  readonly historyLeadsPerWeek: number;
  /** The new version's share of the route, in percent (the seed deploys at 10 %). */
  readonly variantShare: number;
  /** Where the HTML report goes. */
  readonly reportPath: string;
  /** The gateway's port on 127.0.0.1; 0 takes any free one (`--serve` defaults it to 8787). */
  readonly port: number;
}

export const defaultDemoSettings: DemoSettings = {
  seed: 42,
  variantLift: 'better',
  weeks: 10,
  leadsPerWeek: 1_000,
  historyWeeks: 2,
  historyLeadsPerWeek: 400,
  variantShare: 10,
  reportPath: 'demo-report.html',
  port: 0,
};

/** `--fast`: a smaller run for CI — fewer leads, half the traffic to the variant. */
export const fastDemoSettings: Partial<DemoSettings> = {
  leadsPerWeek: 600,
  variantShare: 50,
};

/** The base model's version in the registry (not `vX.Y.Z`, so training starts at v1.0.0). */
export const baseVersion = 'v0';
export const route = 'outreach';
/** `training.min_examples` (the seed's 50). */
export const minTrainingExamples = 50;
export const organizationId = 'northwind-outbound';

/** Outcome windows of the demo (days): a shortened sales cycle so deals close within weeks. */
export const demoWindows = { reply: 7, meeting: 14, close: 21 } as const;

/** The gateway's config file, as the demo writes it. */
export function demoGatewayFile(settings: DemoSettings, dataDir: string): Record<string, unknown> {
  return {
    server: { host: '127.0.0.1', port: settings.port, log_level: 'warn' },
    store: { data_dir: dataDir },
    routes: { [route]: { models: ['gpt-4o-mini'] } },
    rate_limit: { default_rpm: 1_000_000 },
    webhooks: { reconcile_interval_ms: 5_000 },
    training: { route, poll_interval_ms: 100, min_examples: minTrainingExamples },
    rollout: {
      reply_window_days: demoWindows.reply,
      meeting_window_days: demoWindows.meeting,
      close_window_days: demoWindows.close,
      // The anytime-valid bounds are tightest at the volume the demo plans to send.
      planned_total_messages: settings.leadsPerWeek * settings.weeks,
      weekly_volume: settings.leadsPerWeek,
      // The demo looks once per simulated week itself; a timer on real time would look mid-week.
      evaluation_interval_ms: 0,
    },
  };
}
