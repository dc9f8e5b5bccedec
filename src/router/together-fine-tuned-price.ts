import { togetherFineTunedPricing } from '../config/index.ts';
import type { ModelTarget } from './model-target.ts';

type Price = NonNullable<ModelTarget['pricing']>;

/** `meta-llama/Meta-Llama-3.1-8B-Instruct-Reference` → `meta-llama-3.1-8b-instruct`. */
const familyOf = (id: string) =>
  (id.split('/').at(-1) ?? id).toLowerCase().replace(/-(reference|turbo)$/, '');

const families = Object.entries(togetherFineTunedPricing)
  .map(([base, price]) => ({ family: familyOf(base), price }))
  .sort((left, right) => right.family.length - left.family.length);

/**
 * The per-token price of a Together fine-tuned model: its base model's fine-tuned rate, found from
 * the registry row's `base_model`, else from the model id itself (Together names a fine-tuned
 * model `account/<base>-<suffix>-<hash>`). Undefined when neither names a priced base, so the
 * cost stays unknown rather than zero.
 */
export function togetherFineTunedPrice(
  modelId: string,
  baseModel: string | null | undefined,
): Price | undefined {
  const named = baseModel === null || baseModel === undefined ? undefined : familyOf(baseModel);
  if (named !== undefined) {
    const exact = families.find((entry) => entry.family === named);
    if (exact !== undefined) {
      return exact.price;
    }
  }
  const id = modelId.toLowerCase();
  return families.find((entry) => id.includes(entry.family))?.price;
}
