import { type GatewayConfig, type ProviderConfig, vendorBaseUrls } from '../../../config/index.ts';
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
 * The configured provider a vendor's fine-tuning goes through: `providers.<vendor>` when it has
 * that type, else the first provider of that type. Its id is also the provider a trained model is
 * registered under, so the router serves the model through the same entry (key, base URL).
 */
export function fineTuningProviderEntry(
  provider: FineTuningProvider,
  config: GatewayConfig,
): { id: string; entry: ProviderConfig } | undefined {
  const own = config.providers[provider];
  if (own?.type === provider) {
    return { id: provider, entry: own };
  }
  const found = Object.entries(config.providers).find(([, entry]) => entry.type === provider);
  return found ? { id: found[0], entry: found[1] } : undefined;
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
  const entry = fineTuningProviderEntry(provider, config)?.entry;
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
    ...(training.lora_dropout === undefined ? {} : { dropout: training.lora_dropout }),
    ...(training.lora_trainable_modules === undefined
      ? {}
      : { trainableModules: training.lora_trainable_modules }),
  };
  const optional = {
    learning_rate: training.learning_rate,
    n_evals: training.n_evals,
    n_checkpoints: training.n_checkpoints,
    warmup_ratio: training.warmup_ratio,
  };
  return createTogetherFineTuner({
    ...connection,
    defaults: {
      baseModel: training.base_model,
      suffix: training.suffix,
      hyperparameters: {
        n_epochs: training.n_epochs,
        batch_size: training.batch_size,
        ...Object.fromEntries(
          Object.entries(optional).filter(
            (entry): entry is [string, number] => entry[1] !== undefined,
          ),
        ),
      },
      lora: training.lora ? lora : false,
    },
  });
}
