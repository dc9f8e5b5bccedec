import { fineTunedPricing, type GatewayConfig } from '../config/index.ts';
import type { ModelTarget } from './model-target.ts';

/**
 * Answers "what is this model name?" for names clients send: a catalog name (`gpt-4o-mini`),
 * `provider/model` (`together/meta-llama/…`), or a fine-tuned id (`ft:gpt-4o-mini-…`). Routes are
 * resolved one level up, in the router.
 */
export class ModelCatalog {
  private readonly byName = new Map<string, ModelTarget>();
  private readonly byUpstream = new Map<string, ModelTarget>();
  private readonly extra = new Map<string, ModelTarget>();

  constructor(private readonly config: GatewayConfig) {
    for (const model of config.models) {
      const target: ModelTarget = {
        name: model.name,
        provider: model.provider,
        upstreamModel: model.upstream_model,
        pricing: { input: model.input_usd_per_mtok, output: model.output_usd_per_mtok },
        contextWindow: model.context_window,
      };
      this.byName.set(model.name, target);
      this.byUpstream.set(`${model.provider}/${model.upstream_model}`, target);
    }
  }

  isProviderEnabled(provider: string): boolean {
    return this.config.providers[provider]?.enabled === true;
  }

  /** Bumped whenever register/unregister changes what find() answers (planners cache on it). */
  version = 0;

  /** Registered models (fine-tuned ids) become addressable by their id. */
  register(target: ModelTarget): void {
    this.version += 1;
    this.extra.set(target.name, target);
    this.extra.set(`${target.provider}/${target.upstreamModel}`, target);
  }

  unregister(name: string): void {
    const target = this.extra.get(name);
    if (target) {
      this.version += 1;
      this.extra.delete(name);
      this.extra.delete(`${target.provider}/${target.upstreamModel}`);
    }
  }

  /** Undefined when the name is unknown; enabled-ness is checked by the caller. */
  find(name: string): ModelTarget | undefined {
    const known = this.extra.get(name) ?? this.byName.get(name) ?? this.byUpstream.get(name);
    if (known) {
      return known;
    }
    if (name.startsWith('ft:')) {
      return fineTunedTarget(name);
    }
    const slash = name.indexOf('/');
    if (slash > 0) {
      const provider = name.slice(0, slash);
      const upstreamModel = name.slice(slash + 1);
      if (this.config.providers[provider] && upstreamModel.length > 0) {
        return { name, provider, upstreamModel, pricing: null, contextWindow: null };
      }
    }
    return undefined;
  }

  /** Catalog entries whose provider is enabled, for `GET /v1/models`. */
  listEnabled(): ModelTarget[] {
    const seen = new Set<string>();
    const out: ModelTarget[] = [];
    for (const target of [...this.byName.values(), ...this.extra.values()]) {
      if (!seen.has(target.name) && this.isProviderEnabled(target.provider)) {
        seen.add(target.name);
        out.push(target);
      }
    }
    return out;
  }
}

/**
 * The model id a registry row sends upstream: `sandbox/outreach-v2` registered on provider
 * `sandbox` is `outreach-v2` (clients name models `provider/model`, the provider is its own column).
 * Fine-tuned `ft:` ids are kept as they are; so is a prefix naming another provider.
 */
export function withoutProviderPrefix(modelId: string, provider: string): string {
  if (modelId.startsWith('ft:') || !modelId.startsWith(`${provider}/`)) {
    return modelId;
  }
  const rest = modelId.slice(provider.length + 1);
  return rest.length > 0 ? rest : modelId;
}

/** `ft:gpt-4o-mini-2024-07-18:org:suffix:id` is priced at the fine-tuned rate of its base model. */
export function fineTunedTarget(id: string, provider = 'openai'): ModelTarget {
  const base = id.split(':')[1] ?? '';
  const family = Object.keys(fineTunedPricing)
    .sort((a, b) => b.length - a.length)
    .find((name) => base === name || base.startsWith(`${name}-`));
  const price = family ? fineTunedPricing[family] : undefined;
  return {
    name: id,
    provider,
    upstreamModel: id,
    pricing: price ? { input: price.input, output: price.output } : null,
    contextWindow: null,
  };
}
