import { describe, expect, it } from 'vitest';
import { fineTunedPrice } from '../../../src/config/fine-tuned-price.ts';
import { costUsd } from '../../../src/providers/pricing.ts';

const gpt4oMini = { input_usd_per_mtok: 0.15, output_usd_per_mtok: 0.6 };

describe('costUsd', () => {
  it('prices prompt and completion tokens per million', () => {
    expect(
      costUsd(gpt4oMini, {
        promptTokens: 1_000_000,
        completionTokens: 0,
        cachedPromptTokens: null,
      }),
    ).toBeCloseTo(0.15, 10);
    expect(
      costUsd(gpt4oMini, { promptTokens: 1200, completionTokens: 300, cachedPromptTokens: 200 }),
    ).toBeCloseTo((1200 * 0.15 + 300 * 0.6) / 1e6, 12);
    expect(
      costUsd(gpt4oMini, { promptTokens: 100, completionTokens: null, cachedPromptTokens: null }),
    ).toBeCloseTo(0.000015, 12);
  });

  it('is null when the price or the usage is unknown', () => {
    expect(
      costUsd(undefined, { promptTokens: 10, completionTokens: 10, cachedPromptTokens: null }),
    ).toBeNull();
    expect(
      costUsd(gpt4oMini, { promptTokens: null, completionTokens: null, cachedPromptTokens: null }),
    ).toBeNull();
  });
});

describe('fineTunedPrice', () => {
  it('prices ft: models at their base model’s fine-tuned rate', () => {
    expect(fineTunedPrice('ft:gpt-4o-mini-2024-07-18:acme:outreach-v2:AbC123')).toEqual({
      input_usd_per_mtok: 0.3,
      output_usd_per_mtok: 1.2,
    });
    expect(fineTunedPrice('ft:gpt-4o:acme::xyz')).toEqual({
      input_usd_per_mtok: 3.75,
      output_usd_per_mtok: 15,
    });
    expect(fineTunedPrice('ft:unknown-base:acme::1')).toBeUndefined();
    expect(fineTunedPrice('gpt-4o-mini')).toBeUndefined();
  });
});
