import type { GatewayConfig } from '../../../config/index.ts';
import { GatewayError } from '../../../errors/index.ts';
import {
  fineTuningProviderEntry,
  openAIHyperparameterNames,
  togetherHyperparameterNames,
} from '../fine-tuners/index.ts';
import type { RunTrainingCycleInput } from './training-orchestrator-options.ts';

/**
 * What would only make a run fail later is refused before the run exists (a 400 to the caller):
 * a vendor without a key, a hyperparameter the vendor does not know.
 */
export function checkCycleInput(config: GatewayConfig, input: RunTrainingCycleInput): void {
  if (!fineTuningProviderEntry(input.provider, config)?.entry.api_key) {
    const variable = input.provider === 'openai' ? 'OPENAI_API_KEY' : 'TOGETHER_API_KEY';
    throw new GatewayError(
      'fine_tuning_not_configured',
      `Fine-tuning on ${input.provider} is not configured on this gateway: set ${variable}.`,
      { param: 'provider' },
    );
  }
  const known =
    input.provider === 'openai' ? openAIHyperparameterNames : togetherHyperparameterNames;
  for (const name of Object.keys(input.hyperparameters ?? {})) {
    if (!known.has(name)) {
      throw new GatewayError(
        'invalid_hyperparameter',
        `Unknown ${input.provider} hyperparameter "${name}" (known: ${[...known].join(', ')}).`,
        { param: 'hyperparameters' },
      );
    }
  }
}
