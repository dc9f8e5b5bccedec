export { createApp, type GatewayApp } from './create-app.ts';
export * from './errors.ts';
export type {
  GatewayDependencies,
  GatewayEnv,
  RateDecision,
  Readiness,
  Tenant,
  TenantAuthenticator,
  TenantRateLimiter,
  TrackedMessage,
  TrackingSink,
} from './gateway-dependencies.ts';
export { errorEnvelope, errorFrame } from './openai-wire.ts';
export { type RunningServer, startServer } from './start-server.ts';
export {
  type ApiKeyLookup,
  createTenantAuthenticator,
  defaultTenant,
  isLoopback,
} from './tenant-authenticator.ts';
