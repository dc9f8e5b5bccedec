import { fineTunedPricing } from './default-catalog.ts';

/** USD per 1M tokens, the shape of a catalog price. */
interface TokenPrice {
  readonly input_usd_per_mtok: number;
  readonly output_usd_per_mtok: number;
}

/**
 * The price of an OpenAI fine-tuned model (`ft:gpt-4o-mini-2024-07-18:org:suffix:id`): its base
 * model's fine-tuned rate from the default catalog, matched with the date suffix removed. `undefined`
 * for other ids or bases without a listed fine-tuned rate.
 */
export function fineTunedPrice(modelId: string): TokenPrice | undefined {
  if (!modelId.startsWith('ft:')) {
    return undefined;
  }
  const base = modelId.slice(3).split(':')[0] ?? '';
  const rate = fineTunedPricing[base] ?? fineTunedPricing[base.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
  return rate === undefined
    ? undefined
    : { input_usd_per_mtok: rate.input, output_usd_per_mtok: rate.output };
}
