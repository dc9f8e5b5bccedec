import { ConsoleError } from '../http/console-error.ts';
import {
  type ActionPlan,
  type ConsoleAction,
  optional,
  optionalNumber,
  required,
} from './console-action.ts';

interface TrainInput {
  readonly provider: 'openai' | 'together';
  readonly modelVersion: string | null;
  readonly minQualityScore: number | null;
  /** Percent of the route when deployed on success; null: register only. */
  readonly deployShare: number | null;
  readonly organizationId: string | null;
}

/** Starts a training cycle through the orchestrator the admin API uses (POST /admin/training/runs). */
export const trainAction: ConsoleAction<TrainInput> = {
  name: 'train',
  parse(form) {
    const provider = required(form, 'provider', 'Provider');
    if (provider !== 'openai' && provider !== 'together') {
      throw new ConsoleError(400, 'Provider must be openai or together.');
    }
    const modelVersion = optional(form, 'model_version', 64);
    if (modelVersion !== null && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(modelVersion)) {
      throw new ConsoleError(
        400,
        'Model version may hold letters, digits, dots, dashes and underscores.',
      );
    }
    return {
      provider,
      modelVersion,
      minQualityScore: optionalNumber(form, 'min_quality_score', 'Minimum quality', {
        minimum: 0,
        maximum: 1,
      }),
      deployShare: optionalNumber(form, 'deploy_share', 'Deploy share', {
        minimum: 0,
        maximum: 100,
        exclusiveMinimum: true,
      }),
      organizationId: optional(form, 'organization_id', 128),
    };
  },
  plan: (input, services): ActionPlan => ({
    title: `Start a training run on ${input.provider}`,
    details: [
      ['Provider', input.provider],
      ['Model version', input.modelVersion ?? 'the next version'],
      [
        'Minimum quality',
        String(input.minQualityScore ?? services.config.training.min_quality_score),
      ],
      ['Deploy share', input.deployShare === null ? 'register only' : `${input.deployShare} %`],
      ['Outcomes of', input.organizationId ?? 'every organization'],
      ['Route', services.config.training.route],
    ],
    consequence:
      input.deployShare === null
        ? 'The run exports the training-ready outcomes (PII scrubbed), fine-tunes, and registers the new model without traffic.'
        : `The run exports the training-ready outcomes (PII scrubbed), fine-tunes, registers the new model and deploys it to ${input.deployShare} % of the route.`,
    cancel: '/console/training',
  }),
  async apply(input, services, viewer) {
    const { run } = await services.training.runTrainingCycle({
      provider: input.provider,
      modelVersion: input.modelVersion,
      ...(input.minQualityScore === null ? {} : { minQualityScore: input.minQualityScore }),
      deployImmediately: input.deployShare !== null,
      abTestTraffic: input.deployShare,
      organizationId: input.organizationId,
      triggeredBy: viewer.actor,
    });
    return { kind: 'redirect', to: `/console/training/runs/${encodeURIComponent(run.id)}` };
  },
};
