export { renderConfigReference } from './config-reference.ts';
export {
  defaultCatalog,
  fineTunedPricing,
  providerTypeCapabilities,
  togetherFineTunedPricing,
  vendorBaseUrls,
} from './default-catalog.ts';
export { type Env, rawEnvironment, readEnv } from './env.ts';
export { ConfigError, loadConfig } from './load-config.ts';
export {
  providerCapabilities,
  providerTypeOf,
  resolveCapabilities,
} from './resolve-capabilities.ts';
export type {
  ModelCapabilities,
  StructuredOutputMode,
} from './schema/capabilities-config.ts';
export {
  type GatewayConfig,
  type GatewayConfigInput,
  gatewayConfigSchema,
} from './schema/gateway-config.ts';
export type {
  ModelConfig,
  ProviderConfig,
  ProviderType,
} from './schema/providers-config.ts';
export type { RouteConfig, RouteRule } from './schema/routes-config.ts';
