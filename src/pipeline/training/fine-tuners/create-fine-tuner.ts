import { type GatewayConfig, vendorBaseUrls } from '../../../config/index.ts';
import type { FineTuner, FineTuningProvider, LoraOptions } from './fine-tuner.ts';
import { FineTuningConfigError } from './fine-tuning-error.ts';
import { createOpenAIFineTuner } from './openai-fine-tuner.ts';
import { createTogetherFineTuner } from './together-fine-tuner.ts';

export interface CreateFineTunerOverrides {
  maxRetries?: number;
  timeoutMs?: number;
  uploadTimeoutMs?: number;
}

/**
 * The fine-tuner for a vendor, from the config: key and base URL from `providers.<vendor>` (or the
 * first provider of that type), base model and hyperparameters from `training.<vendor>`.
 */
export function createFineTuner(
  provider: FineTuningProvider,
  config: GatewayConfig,
  overrides: CreateFineTunerOverrides = {},
): FineTuner {
  const entry =
    config.providers[provider]?.type === provider
      ? config.providers[provider]
      : Object.values(config.providers).find((candidate) => candidate.type === provider);
  if (!entry?.api_key) {
    const variable = provider === 'openai' ? 'OPENAI_API_KEY' : 'TOGETHER_API_KEY';
    throw new FineTuningConfigError(
      `fine-tuning on ${provider} needs an API key: set ${variable} or providers.${provider}.api_key`,
    );
  }
  const connection = {
    apiKey: entry.api_key,
    baseURL: entry.base_url ?? vendorBaseUrls[provider],
    ...overrides,
  };
  if (provider === 'openai') {
    const training = config.training.openai;
    return createOpenAIFineTuner({
      ...connection,
      defaults: {
        baseModel: training.base_model,
        suffix: training.suffix,
        hyperparameters: training.hyperparameters,
      },
    });
  }
  const training = config.training.together;
  const lora: Partial<LoraOptions> = {
    ...(training.lora_r === undefined ? {} : { r: training.lora_r }),
    ...(training.lora_alpha === undefined ? {} : { alpha: training.lora_alpha }),
  };
  return createTogetherFineTuner({
    ...connection,
    defaults: {
      baseModel: training.base_model,
      suffix: training.suffix,
      hyperparameters: {
        n_epochs: training.n_epochs,
        ...(training.learning_rate === undefined ? {} : { learning_rate: training.learning_rate }),
      },
      lora: training.lora ? lora : false,
    },
  });
}
