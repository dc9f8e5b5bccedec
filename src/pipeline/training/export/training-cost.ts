/**
 * Token and training-cost estimates shown before a run is started. Estimates only: the vendors
 * count with their own tokenizers and bill what the job actually processed.
 */
import type { GatewayConfig } from '../../../config/index.ts';
import type { ChatMessage } from './training-example.ts';

/**
 * OpenAI supervised fine-tuning, USD per 1M training tokens (openai.com/api/pricing, "Fine-tuning"
 * table: gpt-4o-mini-2024-07-18 training $3.00). Billed tokens = tokens in the training file ×
 * epochs; validation tokens are not billed. Keys match the base model by prefix, longest first.
 */
const openAITrainingUsdPerMillionTokens: Readonly<Record<string, number>> = {
  'gpt-4o-mini': 3.0,
  'gpt-4o': 25.0,
  'gpt-4.1-nano': 1.5,
  'gpt-4.1-mini': 5.0,
  'gpt-4.1': 25.0,
  'gpt-3.5-turbo': 8.0,
};

/**
 * Together fine-tuning, USD per 1M processed tokens by model size bracket and method
 * (together.ai/pricing, "Fine-tuning" table, supervised fine-tuning: up to 16B — LoRA $0.48,
 * full $0.54; 17B–69B — $1.50 / $1.65; 70B–100B — $2.90 / $3.20). Processed tokens =
 * n_epochs × training tokens + n_evals × validation tokens (docs.together.ai, fine-tuning pricing).
 * Prices change: override them with `training.<vendor>.training_usd_per_mtok` in the config.
 */
const togetherTrainingUsdPerMillionTokens = {
  lora: { upTo16b: 0.48, upTo69b: 1.5, upTo100b: 2.9 },
  full: { upTo16b: 0.54, upTo69b: 1.65, upTo100b: 3.2 },
} as const;

/** About four characters a token, plus OpenAI's per-message and per-conversation overhead. */
export function estimateExampleTokens(messages: readonly ChatMessage[]): number {
  let tokens = 3;
  for (const message of messages) {
    tokens += 4 + Math.ceil((message.content?.length ?? 0) / 4);
    for (const call of message.tool_calls ?? []) {
      tokens += Math.ceil((call.function.name.length + call.function.arguments.length) / 4) + 3;
    }
  }
  return tokens;
}

/** OpenAI's documented `auto` epochs: 3, raised for small files (≥ 100 examples seen), lowered for large ones. */
function openAIAutoEpochs(trainingExamples: number): number {
  if (trainingExamples <= 0) {
    return 3;
  }
  if (trainingExamples * 3 < 100) {
    return Math.min(25, Math.ceil(100 / trainingExamples));
  }
  if (trainingExamples * 3 > 25_000) {
    return Math.max(1, Math.floor(25_000 / trainingExamples));
  }
  return 3;
}

export interface TrainingCostSettings {
  openai: { baseModel: string; epochs: number | 'auto'; usdPerMillionTokens?: number };
  together: { baseModel: string; epochs: number; lora: boolean; usdPerMillionTokens?: number };
}

/** The config's defaults: gpt-4o-mini with `auto` epochs; Llama 3.1 8B LoRA, 3 epochs. */
export const defaultTrainingCostSettings: TrainingCostSettings = {
  openai: { baseModel: 'gpt-4o-mini-2024-07-18', epochs: 'auto' },
  together: { baseModel: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference', epochs: 3, lora: true },
};

export interface ProviderCostEstimate {
  base_model: string;
  epochs: number;
  billed_tokens: number;
  usd_per_million_tokens: number | null;
  estimated_usd: number | null;
}

export function trainingCostSettingsFromConfig(
  training: GatewayConfig['training'],
): TrainingCostSettings {
  const epochs = training.openai.hyperparameters.n_epochs;
  const openAIPrice = training.openai.training_usd_per_mtok;
  const togetherPrice = training.together.training_usd_per_mtok;
  return {
    openai: {
      baseModel: training.openai.base_model,
      epochs: typeof epochs === 'number' ? epochs : 'auto',
      ...(openAIPrice === undefined ? {} : { usdPerMillionTokens: openAIPrice }),
    },
    together: {
      baseModel: training.together.base_model,
      epochs: training.together.n_epochs,
      lora: training.together.lora,
      ...(togetherPrice === undefined ? {} : { usdPerMillionTokens: togetherPrice }),
    },
  };
}

function openAIPrice(baseModel: string): number | null {
  const name = baseModel.replace(/^ft:/, '');
  const key = Object.keys(openAITrainingUsdPerMillionTokens)
    .sort((left, right) => right.length - left.length)
    .find((prefix) => name.startsWith(prefix));
  return key === undefined ? null : (openAITrainingUsdPerMillionTokens[key] ?? null);
}

function togetherPrice(baseModel: string, lora: boolean): number | null {
  const size = /(?<![\d.])(\d+(?:\.\d+)?)B(?![a-z])/i.exec(baseModel)?.[1];
  if (size === undefined) {
    return null;
  }
  const billions = Number(size);
  const table = togetherTrainingUsdPerMillionTokens[lora ? 'lora' : 'full'];
  return billions <= 16
    ? table.upTo16b
    : billions <= 69
      ? table.upTo69b
      : billions <= 100
        ? table.upTo100b
        : null;
}

const usd = (tokens: number, price: number | null) =>
  price === null ? null : Math.round((tokens / 1_000_000) * price * 10_000) / 10_000;

export function estimateTrainingCosts(
  settings: TrainingCostSettings,
  counts: { trainExamples: number; trainTokens: number; validationTokens: number },
): { openai: ProviderCostEstimate; together: ProviderCostEstimate } {
  const openAIEpochs =
    settings.openai.epochs === 'auto'
      ? openAIAutoEpochs(counts.trainExamples)
      : settings.openai.epochs;
  const openAIBilled = counts.trainTokens * openAIEpochs;
  const openAIRate = settings.openai.usdPerMillionTokens ?? openAIPrice(settings.openai.baseModel);
  // The Together fine-tuner runs one evaluation per epoch when there is a validation file.
  const evaluations = counts.validationTokens > 0 ? settings.together.epochs : 0;
  const togetherBilled =
    counts.trainTokens * settings.together.epochs + counts.validationTokens * evaluations;
  const togetherRate =
    settings.together.usdPerMillionTokens ??
    togetherPrice(settings.together.baseModel, settings.together.lora);
  return {
    openai: {
      base_model: settings.openai.baseModel,
      epochs: openAIEpochs,
      billed_tokens: openAIBilled,
      usd_per_million_tokens: openAIRate,
      estimated_usd: usd(openAIBilled, openAIRate),
    },
    together: {
      base_model: settings.together.baseModel,
      epochs: settings.together.epochs,
      billed_tokens: togetherBilled,
      usd_per_million_tokens: togetherRate,
      estimated_usd: usd(togetherBilled, togetherRate),
    },
  };
}
