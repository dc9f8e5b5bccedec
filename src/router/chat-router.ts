import type { GatewayConfig } from '../config/index.ts';
import { GatewayError } from '../errors/index.ts';
import type { GatewayMetrics } from '../metrics/index.ts';
import {
  type ChatModelProvider,
  type ChatRequest,
  type ChatRequestBody,
  type ChatResult,
  type ChatStreamPart,
  gatewayFault,
  isUpstreamFailure,
  ProviderError,
} from '../providers/index.ts';
import type { BreakerBroadcast } from './breaker-broadcast.ts';
import { CallAccounting } from './call-accounting.ts';
import { refusedWhileCoolingDown } from './capability-check.ts';
import { CircuitBreakers } from './circuit-breaker.ts';
import {
  abortableSleep,
  abortedError,
  canFallBack,
  countsAgainstBreaker,
  failureReason,
  timeoutError,
} from './failure-policy.ts';
import { ModelCatalog } from './model-catalog.ts';
import { type ModelTarget, targetKey } from './model-target.ts';
import { observeStream } from './observe-stream.ts';
import { PerformanceTracker } from './performance-tracker.ts';
import { RegistrySnapshot } from './registry-snapshot.ts';
import { retryBackoff } from './retry-backoff.ts';
import { type RequestFeatures, type RoutePlan, RoutePlanner } from './route-planner.ts';
import { NoModelAvailableError } from './router-errors.ts';

interface ProviderLookup {
  get(id: string): ChatModelProvider | undefined;
}

export interface ChatRouterOptions {
  config: GatewayConfig;
  providers: ProviderLookup;
  metrics: GatewayMetrics;
  now?: () => number;
  /** Waits between retries; resolves early when `signal` aborts (the client went away). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Shares open breakers with the other replicas (Redis when REDIS_URL is set). */
  breakerBroadcast?: BreakerBroadcast;
}

export interface RoutedResult {
  readonly target: ModelTarget;
  readonly result: ChatResult;
  readonly attempts: number;
}

export interface RoutedStream {
  readonly target: ModelTarget;
  /** Starts with the part that proved the stream alive. */
  readonly parts: AsyncIterable<ChatStreamPart>;
  readonly attempts: number;
}

/**
 * Plans a request (route, A/B variant, rules) and runs it: retries with backoff that honours
 * `retry-after`, ordered fallbacks on retryable failures — for streams too, up to the first part —
 * and a circuit breaker per model deployment.
 */
export class ChatRouter {
  readonly catalog: ModelCatalog;
  readonly performance: PerformanceTracker;
  readonly breakers: CircuitBreakers;
  private readonly planner: RoutePlanner;
  private readonly accounting: CallAccounting;
  private snapshot = RegistrySnapshot.empty();
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Breaker key → the model name the metrics use, so `rekindle_circuit_open{model}` joins the rest. */
  private readonly breakerModelNames = new Map<string, string>();
  /** `model` values that have a `rekindle_circuit_open` series already. */
  private readonly breakerSeries = new Set<string>();

  constructor(private readonly options: ChatRouterOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    this.catalog = new ModelCatalog(options.config);
    this.performance = new PerformanceTracker(this.now);
    this.accounting = new CallAccounting(options.metrics, this.performance);
    const cooldownMs = options.config.circuit_breaker.cooldown_ms;
    this.breakers = new CircuitBreakers(options.config.circuit_breaker, (key, open, origin) => {
      const model = this.breakerModelNames.get(key) ?? key;
      this.breakerSeries.add(model);
      options.metrics.circuitOpen.set({ model }, open ? 1 : 0);
      if (open && origin === 'local') {
        options.breakerBroadcast?.publish({ key, model, remainingMs: cooldownMs });
      }
    });
    options.breakerBroadcast?.onOpened((opened) => {
      if (!this.breakerModelNames.has(opened.key)) {
        this.breakerModelNames.set(opened.key, opened.model);
      }
      this.breakers.adoptOpen(opened.key, this.now(), opened.remainingMs);
    });
    this.planner = new RoutePlanner(
      options.config,
      this.catalog,
      this.performance,
      () => this.snapshot,
    );
    this.exposeBreakers();
  }

  get registry(): RegistrySnapshot {
    return this.snapshot;
  }

  /** Swaps the registry view; requests already planned keep the old one. */
  setRegistry(snapshot: RegistrySnapshot): void {
    this.snapshot = snapshot;
    const { metrics } = this.options;
    metrics.modelTrafficRatio.reset();
    for (const route of new Set(snapshot.entries.map((entry) => entry.route))) {
      // Without a registry baseline the route's configured models take the rest of the traffic,
      // under the version label their responses carry.
      const configBaseline = this.planner.configBaselineVersion(route);
      for (const share of snapshot.trafficShares(route, configBaseline)) {
        metrics.modelTrafficRatio.set({ route, model_version: share.modelVersion }, share.share);
      }
    }
    this.exposeBreakers();
  }

  /**
   * A `rekindle_circuit_open` series at 0 for every deployment a request can reach (routes,
   * registry rows, the enabled catalog), so "open breakers" queries answer 0 rather than no data
   * before any breaker ever changed state. Series that exist already are left as they are.
   */
  private exposeBreakers(): void {
    const now = this.now();
    for (const target of this.planner.knownTargets()) {
      const key = targetKey(target);
      if (!this.breakerModelNames.has(key)) {
        this.breakerModelNames.set(key, target.name);
      }
      if (!this.breakerSeries.has(target.name) && !this.breakers.isOpen(key, now)) {
        this.breakerSeries.add(target.name);
        this.options.metrics.circuitOpen.set({ model: target.name }, 0);
      }
    }
  }

  plan(model: string, features: RequestFeatures): RoutePlan {
    return this.planner.plan(model, features);
  }

  /** The provider with this config id, for calls the planner does not route (embeddings). */
  provider(id: string): ChatModelProvider | undefined {
    return this.options.providers.get(id);
  }

  resolveTarget(name: string): ModelTarget | undefined {
    return this.planner.resolveTarget(name);
  }

  /** The model a route's baseline traffic goes to while the registry has no baseline for it. */
  configBaselineTarget(route: string): ModelTarget | undefined {
    return this.planner.configBaselineTarget(route);
  }

  async generate(
    plan: RoutePlan,
    body: ChatRequestBody,
    signal: AbortSignal,
  ): Promise<RoutedResult> {
    return this.run(plan, signal, async (provider, target, timeoutMs) => {
      const started = this.now();
      const result = await provider.generate(
        {
          body,
          upstreamModel: target.upstreamModel,
          timeoutMs,
          capabilities: target.capabilities,
        },
        signal,
      );
      this.accounting.success(target, this.now() - started, result.usage);
      return result;
    });
  }

  async stream(plan: RoutePlan, body: ChatRequestBody, signal: AbortSignal): Promise<RoutedStream> {
    const idleMs = plan.streamIdleTimeoutMs;
    const routed = await this.run(plan, signal, async (provider, target, timeoutMs, leftMs) => {
      const started = this.now();
      // The total budget left bounds the whole stream, not only its first byte.
      const request: ChatRequest =
        idleMs === undefined
          ? {
              body,
              upstreamModel: target.upstreamModel,
              timeoutMs,
              streamTimeoutMs: leftMs,
              capabilities: target.capabilities,
            }
          : {
              body,
              upstreamModel: target.upstreamModel,
              timeoutMs,
              streamTimeoutMs: leftMs,
              streamIdleTimeoutMs: idleMs,
              capabilities: target.capabilities,
            };
      const parts = await provider.stream(request, signal);
      const iterator = parts[Symbol.asyncIterator]();
      const first = await iterator.next();
      if (first.done) {
        throw new ProviderError('The upstream stream ended before any data.', {
          provider: target.provider,
          kind: 'upstream',
          upstreamStatus: 502,
        });
      }
      if (first.value.type === 'error') {
        throw first.value.error;
      }
      return { first: first.value, iterator, started };
    });
    const { first, iterator, started } = routed.result;
    return {
      target: routed.target,
      attempts: routed.attempts,
      parts: observeStream(this.accounting, this.now, routed.target, first, iterator, started),
    };
  }

  private async run<T>(
    plan: RoutePlan,
    signal: AbortSignal,
    attempt: (
      provider: ChatModelProvider,
      target: ModelTarget,
      timeoutMs: number,
      /** What is left of the total timeout when the attempt starts. */
      leftMs: number,
    ) => Promise<T>,
  ): Promise<{ target: ModelTarget; result: T; attempts: number }> {
    const { metrics } = this.options;
    const deadline = this.now() + plan.totalTimeoutMs;
    const routeLabel = plan.route ?? 'direct';
    let lastError: GatewayError | undefined;
    let attempts = 0;
    // The model traffic is moving away from, and why: a failure, or its open breaker.
    let movingFrom: { target: ModelTarget; reason: string } | undefined;
    let skippedForBreaker = 0;

    for (const target of plan.candidates) {
      const key = targetKey(target);
      const provider = this.options.providers.get(target.provider);
      if (!provider) {
        continue;
      }
      this.breakerModelNames.set(key, target.name);
      if (!this.breakers.allow(key, this.now())) {
        skippedForBreaker += 1;
        movingFrom ??= { target, reason: 'circuit_open' };
        continue;
      }
      if (movingFrom) {
        metrics.fallbacksTotal.inc({
          route: routeLabel,
          from_model: movingFrom.target.name,
          to_model: target.name,
          reason: movingFrom.reason,
        });
      }
      for (let tryNumber = 1; tryNumber <= plan.retry.max_attempts; tryNumber += 1) {
        const remaining = deadline - this.now();
        if (remaining <= 0) {
          throw lastError ?? timeoutError(target.provider);
        }
        attempts += 1;
        const started = this.now();
        try {
          const timeoutMs = Math.min(plan.attemptTimeoutMs ?? remaining, remaining);
          const result = await attempt(provider, target, timeoutMs, remaining);
          this.breakers.recordSuccess(key, this.now());
          return { target, result, attempts };
        } catch (error) {
          const failure = this.recordFailure(error, target, started, signal);
          lastError = failure;
          if (!canFallBack(failure)) {
            throw failure;
          }
          const wait = retryBackoff(plan, tryNumber, failure);
          if (!this.retrySame(plan, failure, { tryNumber, wait, deadline, key })) {
            break;
          }
          metrics.retriesTotal.inc({
            route: routeLabel,
            model: target.name,
            reason: failureReason(failure),
          });
          await this.sleep(wait, signal);
          if (signal.aborted) {
            throw abortedError(target.provider, signal);
          }
        }
      }
      movingFrom = { target, reason: lastError ? failureReason(lastError) : 'timeout' };
    }
    throw lastError ?? this.nothingTried(plan, routeLabel, skippedForBreaker);
  }

  /**
   * Classifies a failed attempt, and books an upstream failure against the model and its breaker.
   * Only the upstream's failures say anything about the model. A request that failed in the
   * gateway (serializing, validating, translating, a bug of ours) or that its client abandoned is
   * thrown at once as its own error: not accounted, not a breaker failure, not a reason to try
   * elsewhere — so no request of one organization can cut a model off for the others.
   */
  private recordFailure(
    error: unknown,
    target: ModelTarget,
    started: number,
    signal: AbortSignal,
  ): GatewayError {
    const failure = GatewayError.isInstance(error) ? error : gatewayFault(error);
    if (signal.aborted || !isUpstreamFailure(failure)) {
      throw failure;
    }
    this.accounting.failure(target, failure, this.now() - started);
    const key = targetKey(target);
    if (countsAgainstBreaker(failure)) {
      this.breakers.recordFailure(key, this.now());
    } else {
      // The upstream answered (the request was at fault): it is healthy, and a half-open
      // probe that got this answer must not keep the breaker waiting for another cooldown.
      this.breakers.recordSuccess(key, this.now());
    }
    return failure;
  }

  private retrySame(
    plan: RoutePlan,
    failure: GatewayError,
    attempt: { tryNumber: number; wait: number; deadline: number; key: string },
  ): boolean {
    const moreCandidates = plan.candidates.length > 1;
    // A rate-limited model with somewhere else to go is left at once rather than waited for.
    return (
      failure.isRetryable &&
      attempt.tryNumber < plan.retry.max_attempts &&
      !(failure.status === 429 && moreCandidates) &&
      this.now() + attempt.wait < attempt.deadline &&
      this.breakers.allow(attempt.key, this.now())
    );
  }

  /** No model was tried: every candidate is cooling down, or none has a provider. */
  private nothingTried(
    plan: RoutePlan,
    routeLabel: string,
    skippedForBreaker: number,
  ): GatewayError {
    // Every model able to serve the request is cooling down, and the ones still up cannot serve it:
    // the client learns which param keeps them out rather than a bare "no model available".
    const refusal = plan.refused[0];
    if (refusal !== undefined && skippedForBreaker > 0) {
      return refusedWhileCoolingDown(refusal, plan.candidates, routeLabel);
    }
    return new NoModelAvailableError(
      routeLabel,
      skippedForBreaker > 0
        ? Math.ceil(this.options.config.circuit_breaker.cooldown_ms / 1000)
        : undefined,
    );
  }
}
