/**
 * A TrainingOrchestrator over the file's shared in-memory PGlite, a vendor fake and a clock the
 * test moves by hand, so due times, leases and backoff are exact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GatewayConfig, loadConfig, readEnv } from '../../../../../src/config/index.ts';
import { createMetrics } from '../../../../../src/metrics/index.ts';
import {
  createFineTuner,
  type FineTuner,
  TrainingOrchestrator,
  type TrainingOrchestratorOptions,
} from '../../../../../src/pipeline/training/index.ts';
import { storeOverTransport } from '../../../../../src/store/create-store.ts';
import type { ModelRegistryStore } from '../../../../../src/store/model-registry-store.ts';
import type { TrainingRunsStore } from '../../../../../src/store/training-runs-store.ts';
import type { PgliteTransport } from '../../../../../src/store/transports/pglite-transport.ts';
import type { RunningFineTuningFake } from '../../../../fakes/fine-tuning-fake.ts';

export interface Harness {
  orchestrator: TrainingOrchestrator;
  runs: TrainingRunsStore;
  registry: ModelRegistryStore;
  metrics: ReturnType<typeof createMetrics>;
  config: GatewayConfig;
  /** The clock the orchestrator reads; move it with `advance`. */
  now(): number;
  advance(milliseconds: number): void;
  close(): void;
}

export function openAIConfig(fake: RunningFineTuningFake<'openai'>, training: object = {}) {
  return loadConfig({
    env: readEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url }),
    file: {
      training: { poll_interval_ms: 1_000, min_examples: 10, validation_fraction: 0, ...training },
    },
  });
}

export function harness(
  transport: PgliteTransport,
  config: GatewayConfig,
  options: Partial<TrainingOrchestratorOptions> & {
    wrapFineTuner?: (fineTuner: FineTuner) => FineTuner;
  } = {},
): Harness {
  let now = Date.parse('2026-11-30T09:00:00.000Z');
  const workDir = mkdtempSync(join(tmpdir(), 'rekindle-orchestrator-'));
  const metrics = createMetrics();
  const store = storeOverTransport(transport, transport.executor);
  const runs = store.trainingRuns;
  const registry = store.registry;
  const { wrapFineTuner, ...rest } = options;
  const orchestrator = new TrainingOrchestrator({
    config,
    runs,
    outcomes: store.outcomes,
    registry,
    metrics,
    clock: () => now,
    workDir,
    workerId: 'unit-worker',
    // No SDK retries: each injected vendor failure reaches the orchestrator.
    fineTuner: (provider) => {
      const fineTuner = createFineTuner(provider, config, { maxRetries: 0 });
      return wrapFineTuner ? wrapFineTuner(fineTuner) : fineTuner;
    },
    ...rest,
  });
  return {
    orchestrator,
    runs,
    registry,
    metrics,
    config,
    now: () => now,
    advance: (milliseconds) => {
      now += milliseconds;
    },
    close: () => rmSync(workDir, { recursive: true, force: true }),
  };
}

/** `count` outcomes with a closed deal (quality 1.0) for one organization. */
export async function seedDeals(
  transport: PgliteTransport,
  organizationId: string,
  count: number,
): Promise<void> {
  const { outcomes } = storeOverTransport(transport, transport.executor);
  for (let index = 0; index < count; index += 1) {
    const sent = await outcomes.recordMessageSent(organizationId, {
      lead_id: `${organizationId}-lead-${index}`,
      message_body: `Hello, a note for ${organizationId} number ${index}.`,
      prompt_messages: [
        { role: 'system', content: 'You write follow-ups.' },
        { role: 'user', content: `Follow-up ${index} for ${organizationId}.` },
      ],
    });
    await outcomes.recordDeal(organizationId, sent.id, { deal_value: 500 });
  }
}
