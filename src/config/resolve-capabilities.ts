import { providerTypeCapabilities } from './default-catalog.ts';
import type { ModelCapabilities, ModelCapabilitiesOverride } from './schema/capabilities-config.ts';
import type { GatewayConfig } from './schema/gateway-config.ts';
import type { ProviderType } from './schema/providers-config.ts';

/**
 * A model's whole capability table: its own fields over what it inherits (its base model's table,
 * else its provider type's defaults). Undefined fields of the override are skipped, so a partial
 * table from the config file only changes what it names.
 */
export function resolveCapabilities(
  inherited: ModelCapabilities,
  own: ModelCapabilitiesOverride | undefined,
): ModelCapabilities {
  if (own === undefined) {
    return inherited;
  }
  const resolved: Record<string, unknown> = { ...inherited };
  for (const [key, value] of Object.entries(own)) {
    if (value !== undefined) {
      resolved[key] = value;
    }
  }
  return resolved as ModelCapabilities;
}

/** The wire a provider id speaks: its config entry's type, else the built-in id of that name. */
export function providerTypeOf(config: GatewayConfig, provider: string): ProviderType | undefined {
  const configured = config.providers[provider]?.type;
  if (configured !== undefined) {
    return configured;
  }
  return provider in providerTypeCapabilities ? (provider as ProviderType) : undefined;
}

/** Defaults for a provider id; an unknown id is treated as an OpenAI-compatible relay. */
export function providerCapabilities(config: GatewayConfig, provider: string): ModelCapabilities {
  return providerTypeCapabilities[providerTypeOf(config, provider) ?? 'openai-compatible'];
}
