/**
 * `rekindle demo`: the seed's phases 1–6 on this machine, end to end, against local simulators.
 *
 *   1–2  campaigns send emails through the gateway; the audience's reactions come back as signed
 *        SendGrid and CRM webhooks and tracking-API replies
 *   3–4  a training cycle exports, fine-tunes (simulated OpenAI), registers and deploys v1.0.0
 *   5–6  the weeks pass on the simulated clock; each week the experiment service decides; the
 *        variant is promoted or rolled back only when the engine says so; the next cycle trains
 *        v1.1.0 (simulated Together) and deploys it
 *
 * Then it collects the tables and writes the HTML report. With `hold` (`--serve`), everything keeps
 * running until the promise it returns settles — the gateway and its console on the demo's data.
 */
import type { TrainingRunDetail } from '../../store/index.ts';
import { AudienceSender } from './audience/audience-sender.ts';
import { CampaignSender } from './audience/campaign-sender.ts';
import { EventQueue } from './audience/event-queue.ts';
import { type DemoContext, simulateDays } from './demo-context.ts';
import { type DemoEnvironment, startDemoEnvironment } from './demo-environment.ts';
import type { DemoProgress } from './demo-progress.ts';
import { baseVersion, type DemoSettings, route } from './demo-settings.ts';
import { runExperiment } from './phases/experiment-phase.ts';
import { historyStart, runHistory } from './phases/history-phase.ts';
import { runTrainingCycle } from './phases/training-phase.ts';
import { createRandom } from './random.ts';
import { collectDemoReport, type DemoReport } from './report/collect-demo-report.ts';
import { dayMs, minuteMs, SimulatedClock } from './simulated-clock.ts';

export async function runDemo(
  settings: DemoSettings,
  progress: DemoProgress,
  options: {
    /** Called with the report before anything stops; the demo ends when it settles. */
    readonly hold?: (report: DemoReport, environment: DemoEnvironment) => Promise<void>;
  } = {},
): Promise<DemoReport> {
  const startedAt = Date.now();
  const start = historyStart(settings.historyWeeks, startedAt);
  const clock = new SimulatedClock(start);
  progress.phase('Setup · simulated OpenAI and Together, embedded PGlite, the gateway');
  const environment = await startDemoEnvironment(settings, clock);
  try {
    progress.note(`gateway ${environment.gateway.url} (PGlite in a temp dir, simulated clock)`);
    progress.note(
      `OpenAI simulator ${environment.openai.url}, Together simulator ${environment.together.url}`,
    );
    const context = await demoContext(settings, environment, clock, progress);

    progress.phase('Phase 1–2 · campaigns on the base model; outcomes flow back through webhooks');
    const history = await runHistory(context, start);

    progress.phase('Phase 3–4 · training cycle: export, fine-tune (OpenAI), register, deploy');
    const firstRun = await runTrainingCycle(context, {
      provider: 'openai',
      trafficPercentage: settings.variantShare,
    });
    // The registry stamps deployed_at with the database's clock: the experiment starts after it,
    // at the next midnight (UTC), so its days are the store's days whatever the time of the run.
    const deployedAt = await deployedAtOf(context, firstRun.model_version);
    clock.advanceTo(Math.ceil((deployedAt + minuteMs) / dayMs) * dayMs);

    progress.phase(
      `Phase 5–6 · ${firstRun.model_version} on ${settings.variantShare} % of traffic; weekly decisions`,
    );
    const experiment = await runExperiment(context, {
      variant: firstRun.model_version,
      start: clock.now(),
    });

    const nextRun = await runNextCycle(context);

    progress.phase('Report');
    const report = await collectDemoReport(context, {
      history,
      runs: [firstRun, nextRun],
      experiment,
      durationMs: Date.now() - startedAt,
    });
    await options.hold?.(report, environment);
    return report;
  } catch (error) {
    const logs = environment.logs.slice(-20);
    if (logs.length > 0 && error instanceof Error) {
      error.message += `\nlast gateway log lines:\n${logs.join('')}`;
    }
    throw error;
  } finally {
    await environment.close();
  }
}

/** The base model registered as the route's baseline, and the senders the phases share. */
async function demoContext(
  settings: DemoSettings,
  environment: DemoEnvironment,
  clock: SimulatedClock,
  progress: DemoProgress,
): Promise<DemoContext> {
  const { admin } = environment;
  await admin.models.register({
    route,
    model_id: 'gpt-4o-mini',
    provider: 'openai',
    model_version: baseVersion,
    base_model: null,
  });
  await admin.models.setBaseline(route, baseVersion, 'demo: the base model before any training');
  const random = createRandom(settings.seed);
  const queue = new EventQueue();
  return {
    settings,
    clock,
    environment,
    queue,
    progress,
    campaigns: new CampaignSender({
      gatewayUrl: environment.gateway.url,
      apiKey: environment.apiKey,
      random,
      queue,
      lift: settings.variantLift,
      baseVersion,
      now: clock.now,
    }),
    audience: new AudienceSender({
      gatewayUrl: environment.gateway.url,
      apiKey: environment.apiKey,
      keys: environment.keys,
      now: clock.now,
    }),
  };
}

/** The flywheel turns again: a Together fine-tune, deployed, and one more day of traffic. */
async function runNextCycle(context: DemoContext): Promise<TrainingRunDetail> {
  context.progress.phase('Next cycle · the flywheel turns again: v1.1.0 on Together');
  const nextRun = await runTrainingCycle(context, {
    provider: 'together',
    trafficPercentage: 10,
  });
  const bar = context.progress.bar('emails sent', Math.round(context.settings.leadsPerWeek / 5));
  await simulateDays(context, {
    start: Math.floor(context.clock.now() / dayMs) * dayMs + dayMs,
    days: 1,
    emails: Math.round(context.settings.leadsPerWeek / 5),
    campaign: () => 'outbound-next-cycle',
    onSent: () => bar.tick(),
  });
  bar.done(`one more day of traffic with ${nextRun.model_version} deployed`);
  return nextRun;
}

async function deployedAtOf(context: DemoContext, modelVersion: string): Promise<number> {
  const models = await context.environment.admin.models.list(route);
  const deployedAt = models.find((row) => row.model_version === modelVersion)?.deployed_at;
  const time = deployedAt ? Date.parse(deployedAt) : Number.NaN;
  return Number.isNaN(time) ? context.clock.now() : time;
}
