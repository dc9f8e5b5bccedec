export { createApp } from './create-app.ts';
export type {
  Readiness,
  TenantAuthenticator,
} from './gateway-dependencies.ts';
export type { GatewayServices } from './gateway-services.ts';

export { createRouterClassifier } from './router-sentiment-classifier.ts';
export { cachedCheck } from './routes/health.ts';
export { type RunningServer, startServer } from './start-server.ts';
export {
  createTenantAuthenticator,
  isLoopback,
} from './tenant-authenticator.ts';
