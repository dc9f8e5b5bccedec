/**
 * Phases 3–4 (and the next cycle): a training run through the admin API — the gateway's own
 * orchestrator exports the training-ready outcomes, uploads them to the simulated vendor, polls
 * the fine-tuning job, registers the model and deploys it — watched here until it is deployed.
 */
import type { TrainingRunDetail } from '../../../store/index.ts';
import type { DemoContext } from '../demo-context.ts';
import { minTrainingExamples, route } from '../demo-settings.ts';

const path = ['exporting', 'uploading', 'queued', 'running', 'succeeded', 'registered', 'deployed'];

export async function runTrainingCycle(
  context: DemoContext,
  input: { provider: 'openai' | 'together'; trafficPercentage: number },
): Promise<TrainingRunDetail> {
  const { admin, store } = context.environment;
  // Checked here so a too-short history says so plainly (the cycle itself would fail the same way).
  const ready = await store.outcomes.countTrainingReady({ minQualityScore: 0.6 });
  if (ready < minTrainingExamples) {
    throw new Error(
      `only ${ready} training-ready outcomes; a training cycle needs ${minTrainingExamples} (send more leads)`,
    );
  }
  const created = await admin.training.startRun({
    provider: input.provider,
    route,
    deployImmediately: true,
    abTestTraffic: input.trafficPercentage,
  });
  const bar = context.progress.bar(
    `training ${created.model_version} on ${input.provider}`,
    path.length,
  );
  let reached = 0;
  const deadline = Date.now() + 180_000;
  for (;;) {
    const run = await admin.training.getRun(created.id);
    const index = path.indexOf(run.status) + 1;
    if (index > reached) {
      bar.tick(index - reached);
      reached = index;
    }
    if (run.status === 'deployed') {
      bar.done(
        `${run.model_version} = ${run.fine_tuned_model}, ${input.trafficPercentage} % of ${route}`,
      );
      return run;
    }
    if (run.status === 'failed' || run.status === 'cancelled' || run.error) {
      bar.done(`${run.status}`);
      throw new Error(
        `training run ${run.model_version} ended ${run.status}: ${run.error?.message ?? 'no error given'}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `training run ${run.model_version} did not finish in 3 minutes (${run.status})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
