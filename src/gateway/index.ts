export { createApp, type GatewayApp } from './create-app.ts';
export type {
  ChatRequestFacts,
  GatewayEnv,
  RateDecision,
  Readiness,
  Tenant,
  TenantAuthenticator,
  TenantRateLimiter,
  TrackedMessage,
  TrackingSink,
} from './gateway-dependencies.ts';
export type { GatewayServices } from './gateway-services.ts';
export { registerRoutes } from './register-routes.ts';
export { createRouterClassifier } from './router-sentiment-classifier.ts';
export { cachedCheck } from './routes/health.ts';
export { type RunningServer, startServer } from './start-server.ts';
export {
  type ApiKeyLookup,
  createTenantAuthenticator,
  defaultTenant,
  isLoopback,
} from './tenant-authenticator.ts';
