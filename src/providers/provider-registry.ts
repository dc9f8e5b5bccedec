import type { GatewayConfig, ProviderConfig } from '../config/index.ts';
import { createAnthropicProvider } from './anthropic/anthropic-provider.ts';
import type { ChatModelProvider } from './chat-model.ts';
import { createOpenAICompatibleProvider } from './openai-compatible/openai-compatible-provider.ts';
import { createSandboxProvider } from './sandbox/sandbox-provider.ts';

export interface ProviderRegistry {
  /** The provider with this config id (`openai`, `together`, `vllm`, `sandbox`, …). */
  get(id: string): ChatModelProvider | undefined;
  all(): readonly ChatModelProvider[];
  /** Closes every upstream pool (in-flight requests get a short grace). */
  close(): Promise<void>;
}

export interface CreateProvidersOptions {
  /** Random source for the sandbox's error rate; tests pass a seeded one. */
  readonly random?: () => number;
  /** Longest silence between stream chunks; default each provider's `stream_idle_timeout_ms`. */
  readonly streamIdleTimeoutMs?: number;
  /** Base URL of a vendor entry without `base_url` (the config's `vendorBaseUrls`). */
  readonly vendorBaseUrls?: Readonly<Record<'openai' | 'together' | 'anthropic', string>>;
}

/**
 * One provider per enabled `config.providers` entry, built by `type`. The sandbox is always present:
 * when the config has no `sandbox` entry one is added with defaults (an entry with `enabled: false`
 * is respected).
 */
export function createProviders(
  config: GatewayConfig,
  options: CreateProvidersOptions = {},
): ProviderRegistry {
  const providers = new Map<string, ChatModelProvider>();
  for (const [id, entry] of Object.entries(config.providers)) {
    if (entry.enabled) {
      providers.set(id, createProvider(id, entry, options));
    }
  }
  if (!('sandbox' in config.providers)) {
    providers.set('sandbox', createSandboxProvider({ id: 'sandbox', ...randomOption(options) }));
  }
  const list = Object.freeze([...providers.values()]);
  let closing: Promise<void> | undefined;
  return {
    get: (id) => providers.get(id),
    all: () => list,
    close() {
      closing ??= Promise.all(list.map((provider) => provider.close())).then(() => undefined);
      return closing;
    },
  };
}

function createProvider(
  id: string,
  entry: ProviderConfig,
  options: CreateProvidersOptions,
): ChatModelProvider {
  const common = {
    id,
    apiKey: entry.api_key,
    headers: entry.headers,
    connections: entry.connections,
    timeoutMs: entry.timeout_ms,
    streamIdleTimeoutMs: options.streamIdleTimeoutMs ?? entry.stream_idle_timeout_ms,
  };
  switch (entry.type) {
    case 'openai':
    case 'together':
      return createOpenAICompatibleProvider({
        ...common,
        type: entry.type,
        baseUrl: baseUrlOf(id, entry, options),
      });
    case 'openai-compatible':
      if (entry.base_url === undefined) {
        throw new Error(`providers.${id}.base_url is required for an openai-compatible provider`);
      }
      return createOpenAICompatibleProvider({
        ...common,
        type: entry.type,
        baseUrl: entry.base_url,
      });
    case 'anthropic':
      return createAnthropicProvider({
        ...common,
        baseUrl: baseUrlOf(id, entry, options),
        anthropicVersion: entry.anthropic_version,
        defaultMaxTokens: entry.anthropic_default_max_tokens,
      });
    case 'sandbox':
      return createSandboxProvider({
        id,
        latencyMs: entry.sandbox_latency_ms,
        errorRate: entry.sandbox_error_rate,
        ...randomOption(options),
      });
  }
}

function randomOption(options: CreateProvidersOptions) {
  return options.random === undefined ? {} : { random: options.random };
}

function baseUrlOf(id: string, entry: ProviderConfig, options: CreateProvidersOptions): string {
  const vendor =
    entry.type === 'openai-compatible' || entry.type === 'sandbox' ? undefined : entry.type;
  const baseUrl = entry.base_url ?? (vendor && options.vendorBaseUrls?.[vendor]);
  if (baseUrl === undefined) {
    throw new Error(`providers.${id}.base_url is required (no vendor default was given)`);
  }
  return baseUrl;
}
