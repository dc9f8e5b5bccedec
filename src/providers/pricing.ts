import type { Usage } from './chat-model.ts';

/** USD per 1M tokens, as the catalog (`models` in the config) lists them. */
export interface TokenPrice {
  readonly input_usd_per_mtok: number;
  readonly output_usd_per_mtok: number;
}

/**
 * Cost of one call in USD: prompt tokens at the input price plus completion tokens at the output
 * price. Cached prompt tokens are billed at the full input price (the catalog lists standard-tier
 * prices, no cache discount), so the figure is an upper bound when the upstream hit its cache.
 * `null` when the price is unknown or the upstream reported no usage at all; a missing side of
 * the usage counts as zero.
 */
export function costUsd(price: TokenPrice | undefined, usage: Usage): number | null {
  if (price === undefined) {
    return null;
  }
  if (usage.promptTokens === null && usage.completionTokens === null) {
    return null;
  }
  const input = (usage.promptTokens ?? 0) * price.input_usd_per_mtok;
  const output = (usage.completionTokens ?? 0) * price.output_usd_per_mtok;
  return (input + output) / 1_000_000;
}
