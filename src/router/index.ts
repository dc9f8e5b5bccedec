export type { BreakerBroadcast, BreakerOpened } from './breaker-broadcast.ts';
export {
  type Refusal,
  type UnmetNeed,
  UnsupportedForProviderError,
  unmetNeed,
} from './capability-check.ts';
export {
  ChatRouter,
  type ChatRouterOptions,
  type ProviderLookup,
  type RoutedResult,
  type RoutedStream,
} from './chat-router.ts';
export { CircuitBreakers } from './circuit-breaker.ts';
export { costUsd } from './cost.ts';
export {
  fineTunedTarget,
  ModelCatalog,
  type RegisteredTarget,
  withoutProviderPrefix,
} from './model-catalog.ts';
export { type ModelTarget, targetKey } from './model-target.ts';
export { type ModelPerformance, PerformanceTracker } from './performance-tracker.ts';
export {
  type RedisBreakerBroadcast,
  type RedisBreakerBroadcastOptions,
  startRedisBreakerBroadcast,
} from './redis-breaker-broadcast.ts';
export {
  type Assignment,
  assignmentBucket,
  type RegistryEntry,
  RegistrySnapshot,
} from './registry-snapshot.ts';
export { deriveRequestNeeds, noNeeds, type RequestNeeds } from './request-needs.ts';
export {
  blendedPricePer1k,
  type RequestFeatures,
  type RetryPolicy,
  type RoutePlan,
} from './route-planner.ts';
export { ModelNotFoundError, NoModelAvailableError } from './router-errors.ts';
