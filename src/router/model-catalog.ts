import {
  fineTunedPricing,
  type GatewayConfig,
  type ModelCapabilities,
  type ModelConfig,
  providerCapabilities,
  providerTypeCapabilities,
  resolveCapabilities,
} from '../config/index.ts';
import type { ModelTarget } from './model-target.ts';

/** A target to register; without a table it gets its provider's defaults. */
export type RegisteredTarget = Omit<ModelTarget, 'capabilities'> & {
  readonly capabilities?: ModelCapabilities;
};

/**
 * Answers "what is this model name?" for names clients send: a catalog name (`gpt-4o-mini`),
 * `provider/model` (`together/meta-llama/…`), or a fine-tuned id (`ft:gpt-4o-mini-…`). Routes are
 * resolved one level up, in the router. Every target carries its capability table: its own, else
 * its base model's (fine-tuned and registered models), else its provider type's.
 */
export class ModelCatalog {
  private readonly byName = new Map<string, ModelTarget>();
  private readonly byUpstream = new Map<string, ModelTarget>();
  private readonly byBaseKey = new Map<string, ModelTarget>();
  private readonly extra = new Map<string, ModelTarget>();

  constructor(private readonly config: GatewayConfig) {
    const resolving = new Set<ModelConfig>();
    const resolved = new Map<ModelConfig, ModelCapabilities>();
    const capabilitiesOf = (model: ModelConfig): ModelCapabilities => {
      const known = resolved.get(model);
      if (known !== undefined) {
        return known;
      }
      // A base chain that loops back falls back to the provider's defaults instead of recursing.
      resolving.add(model);
      const baseId = model.base_model ?? fineTunedBase(model.upstream_model);
      const base =
        baseId === undefined
          ? undefined
          : config.models.find(
              (other) => other !== model && !resolving.has(other) && sameBase(other, baseId),
            );
      const inherited =
        base === undefined ? providerCapabilities(config, model.provider) : capabilitiesOf(base);
      resolving.delete(model);
      const table = resolveCapabilities(inherited, model.capabilities);
      resolved.set(model, table);
      return table;
    };
    for (const model of config.models) {
      const target: ModelTarget = {
        name: model.name,
        provider: model.provider,
        upstreamModel: model.upstream_model,
        pricing: { input: model.input_usd_per_mtok, output: model.output_usd_per_mtok },
        contextWindow: model.context_window,
        capabilities: capabilitiesOf(model),
      };
      this.byName.set(model.name, target);
      this.byUpstream.set(`${model.provider}/${model.upstream_model}`, target);
      for (const key of [baseKey(model.name), baseKey(model.upstream_model)]) {
        if (!this.byBaseKey.has(key)) {
          this.byBaseKey.set(key, target);
        }
      }
    }
  }

  isProviderEnabled(provider: string): boolean {
    return this.config.providers[provider]?.enabled === true;
  }

  /** Bumped whenever register/unregister changes what find() answers (planners cache on it). */
  version = 0;

  /** Registered models (fine-tuned ids) become addressable by their id. */
  register(registered: RegisteredTarget): void {
    this.version += 1;
    const target: ModelTarget = {
      ...registered,
      capabilities:
        registered.capabilities ?? providerCapabilities(this.config, registered.provider),
    };
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

  /** A catalog entry (or registered target) by name or `provider/upstream`; nothing synthesized. */
  listed(name: string): ModelTarget | undefined {
    return this.extra.get(name) ?? this.byName.get(name) ?? this.byUpstream.get(name);
  }

  /** Undefined when the name is unknown; enabled-ness is checked by the caller. */
  find(name: string): ModelTarget | undefined {
    const known = this.listed(name);
    if (known) {
      return known;
    }
    if (name.startsWith('ft:')) {
      return this.fineTuned(name, 'openai');
    }
    const slash = name.indexOf('/');
    if (slash > 0) {
      const provider = name.slice(0, slash);
      const upstreamModel = name.slice(slash + 1);
      if (this.config.providers[provider] && upstreamModel.length > 0) {
        return {
          name,
          provider,
          upstreamModel,
          pricing: null,
          contextWindow: null,
          capabilities: providerCapabilities(this.config, provider),
        };
      }
    }
    return undefined;
  }

  /** A fine-tuned id on `provider`, priced and able like its base model. */
  fineTuned(id: string, provider: string, baseModel?: string | null): ModelTarget {
    return fineTunedTarget(id, provider, this.capabilitiesOf(provider, baseModel ?? id));
  }

  /**
   * The table a model without a catalog entry of its own inherits: its base model's (named by a
   * registry row's `base_model`, or read from an `ft:` id), else its provider's defaults.
   */
  capabilitiesOf(provider: string, baseModel: string | null | undefined): ModelCapabilities {
    if (baseModel === null || baseModel === undefined || baseModel.length === 0) {
      return providerCapabilities(this.config, provider);
    }
    const id = fineTunedBase(baseModel) ?? baseModel;
    const base =
      this.extra.get(id) ??
      this.byName.get(id) ??
      this.byUpstream.get(`${provider}/${id}`) ??
      this.byBaseKey.get(baseKey(id));
    return base?.capabilities ?? providerCapabilities(this.config, provider);
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
function fineTunedTarget(
  id: string,
  provider = 'openai',
  capabilities: ModelCapabilities = providerTypeCapabilities.openai,
): ModelTarget {
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
    capabilities,
  };
}

/** `ft:gpt-4o-mini-2024-07-18:org::id` → `gpt-4o-mini-2024-07-18`; undefined for other ids. */
function fineTunedBase(id: string): string | undefined {
  return id.startsWith('ft:') ? id.split(':')[1] || undefined : undefined;
}

/**
 * Names a base model goes by, reduced to one key: `gpt-4o-mini-2024-07-18` is `gpt-4o-mini`, and
 * Together's `…-Instruct-Reference` (the fine-tunable weights) is its `…-Instruct-Turbo` model.
 */
function baseKey(id: string): string {
  return id
    .toLowerCase()
    .replace(/-\d{4}-\d{2}-\d{2}$/, '')
    .replace(/-(reference|turbo)$/, '');
}

function sameBase(model: ModelConfig, baseId: string): boolean {
  const key = baseKey(baseId);
  return (
    model.name === baseId ||
    model.upstream_model === baseId ||
    baseKey(model.name) === key ||
    baseKey(model.upstream_model) === key
  );
}
