export { ChatRouter } from './chat-router.ts';

export { costUsd } from './cost.ts';
export {
  ModelCatalog,
  withoutProviderPrefix,
} from './model-catalog.ts';
export type { ModelTarget } from './model-target.ts';

export {
  type RedisBreakerBroadcast,
  startRedisBreakerBroadcast,
} from './redis-breaker-broadcast.ts';
export { RegistrySnapshot } from './registry-snapshot.ts';
export { deriveRequestNeeds } from './request-needs.ts';
export type {
  RequestFeatures,
  RoutePlan,
} from './route-planner.ts';
export { ModelNotFoundError } from './router-errors.ts';
