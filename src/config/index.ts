export { defaultCatalog, fineTunedPricing, vendorBaseUrls } from './default-catalog.ts';
export { type Env, envSchema, rawEnvironment, readEnv } from './env.ts';
export { ConfigError, type LoadConfigOptions, loadConfig } from './load-config.ts';
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
