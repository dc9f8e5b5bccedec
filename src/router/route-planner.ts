import {
  type GatewayConfig,
  providerTypeOf,
  type RouteConfig,
  type RouteRule,
} from '../config/index.ts';
import { type Refusal, UnsupportedForProviderError, unmetNeed } from './capability-check.ts';
import { CapableTargets } from './capable-targets.ts';
import { type ModelCatalog, withoutProviderPrefix } from './model-catalog.ts';
import { type ModelTarget, targetKey } from './model-target.ts';
import type { PerformanceTracker } from './performance-tracker.ts';
import {
  assignmentBucket,
  bucketCount,
  type RegistryEntry,
  type RegistrySnapshot,
} from './registry-snapshot.ts';
import { noNeeds, type RequestNeeds } from './request-needs.ts';
import { ModelNotFoundError, NoModelAvailableError } from './router-errors.ts';
import { togetherFineTunedPrice } from './together-fine-tuned-price.ts';

/** What the planner may look at; built once per request by the gateway. */
export interface RequestFeatures {
  readonly metadata: Readonly<Record<string, string>>;
  readonly promptTokens: number;
  readonly stream: boolean;
  readonly hasTools: boolean;
  /** Lead id, else campaign id, else request id: the unit of sticky assignment. */
  readonly assignmentKey: string;
  /** What the body asks of the model (deriveRequestNeeds); absent: nothing special. */
  readonly needs?: RequestNeeds;
}

interface RetryPolicy {
  readonly max_attempts: number;
  readonly initial_backoff_ms: number;
  readonly max_backoff_ms: number;
}

export interface RoutePlan {
  /** The route alias, or null when the client named a concrete model. */
  readonly route: string | null;
  /** `baseline`, an A/B group, `rule:<name>`, or `direct`. */
  readonly variant: string;
  /** Registry version when one applies, else the primary model's name. */
  readonly modelVersion: string;
  readonly registryEntryId: string | null;
  /** Attempt order: primary first, then fallbacks. Never empty; every one can serve the request. */
  readonly candidates: readonly ModelTarget[];
  /**
   * Models of the route left out because they cannot serve the request. When every candidate is
   * behind an open breaker, the client learns why these were not tried (400, with the param).
   */
  readonly refused: readonly Refusal[];
  readonly retry: RetryPolicy;
  readonly attemptTimeoutMs: number | undefined;
  /** Covers a stream until its last chunk too. */
  readonly totalTimeoutMs: number;
  /** Longest wait between two stream chunks; undefined → the provider's own setting. */
  readonly streamIdleTimeoutMs: number | undefined;
}

const directRetry: RetryPolicy = {
  max_attempts: 2,
  initial_backoff_ms: 200,
  max_backoff_ms: 8_000,
};

export class RoutePlanner {
  private readonly entryTargets = new WeakMap<
    RegistryEntry,
    { catalogVersion: number; target: ModelTarget | undefined }
  >();

  constructor(
    private readonly config: GatewayConfig,
    private readonly catalog: ModelCatalog,
    private readonly performance: PerformanceTracker,
    private readonly registry: () => RegistrySnapshot,
  ) {}

  plan(model: string, features: RequestFeatures): RoutePlan {
    const route = this.config.routes[model];
    if (route) {
      return this.planRoute(model, route, features);
    }
    const target = this.resolveTarget(model);
    if (!target) {
      throw new ModelNotFoundError(model, this.whyUnavailable(model));
    }
    const need = unmetNeed(features.needs ?? noNeeds, features.promptTokens, target);
    if (need !== undefined) {
      throw new UnsupportedForProviderError({ target, need });
    }
    const entry = this.registry().findByModelId(target.upstreamModel);
    return {
      route: null,
      variant: 'direct',
      modelVersion: entry?.modelVersion ?? target.name,
      registryEntryId: entry?.id ?? null,
      candidates: [target],
      refused: [],
      retry: directRetry,
      attemptTimeoutMs: undefined,
      totalTimeoutMs: 300_000,
      streamIdleTimeoutMs: undefined,
    };
  }

  /** A model name (not a route) → an enabled target, or undefined. */
  resolveTarget(name: string): ModelTarget | undefined {
    const target = this.catalog.find(name);
    if (target && this.catalog.isProviderEnabled(target.provider)) {
      return target;
    }
    const entry = this.registry().findByModelId(name);
    return entry ? this.resolveEntry(entry) : undefined;
  }

  /**
   * Every deployment a request can reach now: the routes' models, fallbacks and rule candidates,
   * the registry's rows still in use, and the enabled catalog (names may repeat).
   */
  knownTargets(): ModelTarget[] {
    const names = new Set<string>();
    for (const route of Object.values(this.config.routes)) {
      for (const name of [...route.models, ...route.fallbacks]) {
        names.add(name);
      }
      for (const rule of route.rules) {
        for (const name of rule.models) {
          names.add(name);
        }
      }
    }
    const targets = this.resolveAll([...names]);
    for (const entry of this.registry().entries) {
      const target =
        entry.status === 'deprecated' || entry.status === 'rolled_back'
          ? undefined
          : this.resolveEntry(entry);
      if (target) {
        targets.push(target);
      }
    }
    return [...targets, ...this.catalog.listEnabled()];
  }

  /**
   * The `x-rekindle-model-version` of a route's baseline traffic when the registry has no baseline
   * for it: its first model (the cheapest first with `prefer: cheapest`) within the route's price
   * and latency ceilings, as planRoute picks it. Undefined for a name that is not a route.
   */
  configBaselineVersion(name: string): string | undefined {
    const route = this.config.routes[name];
    if (!route) {
      return undefined;
    }
    const resolved = this.resolveAll(route.models);
    const ordered =
      route.prefer === 'cheapest' ? this.order(resolved, 'cheapest', route) : resolved;
    const primary = this.filter(ordered, route)[0];
    return primary ? (primary.modelVersion ?? primary.name) : undefined;
  }

  /**
   * A registry row → its target, on the row's own provider: `gpt-4o` registered on an
   * OpenAI-compatible provider must not be sent to OpenAI because the catalog knows that name.
   */
  private resolveEntry(entry: RegistryEntry): ModelTarget | undefined {
    // Registry rows are immutable (a change swaps in a new snapshot with new rows), so a row's target
    // is worked out once per catalog version rather than on every request.
    const cached = this.entryTargets.get(entry);
    if (cached !== undefined && cached.catalogVersion === this.catalog.version) {
      return cached.target;
    }
    const target = this.targetOfEntry(entry);
    this.entryTargets.set(entry, { catalogVersion: this.catalog.version, target });
    return target;
  }

  private targetOfEntry(entry: RegistryEntry): ModelTarget | undefined {
    if (!this.catalog.isProviderEnabled(entry.provider)) {
      return undefined;
    }
    // Rows written as `provider/model` (older gateways, `rekindle models register` on the store)
    // are read as `model` on `provider`, so the name is not doubled and the upstream gets its own id.
    const modelId = withoutProviderPrefix(entry.modelId, entry.provider);
    if (modelId.startsWith('ft:')) {
      return {
        ...this.catalog.fineTuned(modelId, entry.provider, entry.baseModel),
        modelVersion: entry.modelVersion,
      };
    }
    const listed = this.catalog.listed(`${entry.provider}/${modelId}`);
    if (listed) {
      return { ...listed, modelVersion: entry.modelVersion };
    }
    // Not in the catalog: the provider's `provider/model` target, able as its base model.
    const target =
      this.catalog.find(`${entry.provider}/${modelId}`) ??
      this.fallbackTarget(entry.provider, modelId);
    return {
      ...target,
      // A fine-tuned model is billed at its vendor's fine-tuned rate for its base; without one
      // its cost stays unknown (null), never zero.
      pricing: target.pricing ?? this.fineTunedPricing(entry.provider, modelId, entry.baseModel),
      capabilities: this.catalog.capabilitiesOf(entry.provider, entry.baseModel),
      modelVersion: entry.modelVersion,
    };
  }

  private fineTunedPricing(
    provider: string,
    modelId: string,
    baseModel: string | null | undefined,
  ): ModelTarget['pricing'] {
    if (providerTypeOf(this.config, provider) !== 'together') {
      return null;
    }
    return togetherFineTunedPrice(modelId, baseModel) ?? null;
  }

  private planRoute(name: string, route: RouteConfig, features: RequestFeatures): RoutePlan {
    const able = new CapableTargets(features.needs ?? noNeeds, features.promptTokens);
    // A rule whose models cannot serve the request is passed over like a rule that does not match.
    const ruleIndex = route.rules.findIndex(
      (rule) => matches(rule, features) && able.any(this.resolveAll(rule.models)),
    );
    const rule = route.rules[ruleIndex];
    if (rule) {
      const ordered = this.order(
        able.keep(this.resolveAll(rule.models)),
        rule.prefer ?? route.prefer,
        route,
        features,
      );
      const candidates = this.withFallbacks(this.filter(ordered, route), route, able);
      const primary = this.first(candidates, name, able);
      return routePlan(
        name,
        route,
        `rule:${rule.name ?? ruleIndex}`,
        primary.modelVersion ?? primary.name,
        null,
        candidates,
        able.refused,
      );
    }
    const assignment = this.registry().assign(name, features.assignmentKey);
    const assigned = assignment ? this.resolveEntry(assignment.entry) : undefined;
    // A variant that cannot serve this request leaves it to the route's own models.
    if (assignment && assigned && able.any([assigned])) {
      const rest = this.order(
        able.keep(this.resolveAll(route.models)),
        route.prefer,
        route,
        features,
      );
      const candidates = this.withFallbacks([assigned, ...this.filter(rest, route)], route, able);
      return routePlan(
        name,
        route,
        assignment.variant,
        assignment.entry.modelVersion,
        assignment.entry.id,
        candidates,
        able.refused,
      );
    }
    const ordered = this.order(
      able.keep(this.resolveAll(route.models)),
      route.prefer,
      route,
      features,
    );
    const candidates = this.withFallbacks(this.filter(ordered, route), route, able);
    const primary = this.first(candidates, name, able);
    return routePlan(
      name,
      route,
      'baseline',
      primary.modelVersion ?? primary.name,
      null,
      candidates,
      able.refused,
    );
  }

  /** The primary; with none left, the first refusal says which param no model can serve. */
  private first(
    candidates: readonly ModelTarget[],
    route: string,
    able: CapableTargets,
  ): ModelTarget {
    const primary = candidates[0];
    if (!primary) {
      const refusal = able.refused[0];
      if (refusal !== undefined) {
        throw new UnsupportedForProviderError(
          refusal,
          `No model of route \`${route}\` can serve this request.`,
        );
      }
      throw new NoModelAvailableError(route);
    }
    return primary;
  }

  private resolveAll(names: readonly string[]): ModelTarget[] {
    return names
      .map((candidate) => this.resolveTarget(candidate))
      .filter((target): target is ModelTarget => target !== undefined);
  }

  /** Drops candidates over the route's latency or price ceiling; keeps one if all would go. */
  private filter(targets: ModelTarget[], route: RouteConfig): ModelTarget[] {
    const kept = targets.filter((target) => {
      if (route.max_latency_ms !== undefined) {
        const p95 = this.performance.p95LatencyMs(target);
        if (p95 !== null && p95 > route.max_latency_ms) {
          return false;
        }
      }
      if (route.max_cost_per_1k_tokens !== undefined) {
        const price = blendedPricePer1k(target);
        if (price !== null && price > route.max_cost_per_1k_tokens) {
          return false;
        }
      }
      return true;
    });
    return kept.length > 0 ? kept : targets.slice(0, 1);
  }

  private order(
    targets: ModelTarget[],
    prefer: RouteConfig['prefer'],
    route: RouteConfig,
    features?: RequestFeatures,
  ): ModelTarget[] {
    switch (prefer) {
      case 'ordered':
        return targets;
      case 'cheapest':
        return [...targets].sort(
          (a, b) => (blendedPricePer1k(a) ?? Infinity) - (blendedPricePer1k(b) ?? Infinity),
        );
      case 'fastest':
        // Unmeasured models go first so they get measured (otherwise they would never be picked).
        return [...targets].sort(
          (a, b) =>
            (this.performance.p95LatencyMs(a) ?? -1) - (this.performance.p95LatencyMs(b) ?? -1),
        );
      case 'weighted':
        return features ? weightedOrder(targets, route, features.assignmentKey) : targets;
    }
  }

  private withFallbacks(
    primary: ModelTarget[],
    route: RouteConfig,
    able: CapableTargets,
  ): ModelTarget[] {
    if (route.fallbacks.length === 0) {
      return primary;
    }
    const seen = new Set(primary.map(targetKey));
    const out = [...primary];
    for (const target of able.keep(this.resolveAll(route.fallbacks))) {
      if (!seen.has(targetKey(target))) {
        seen.add(targetKey(target));
        out.push(target);
      }
    }
    return out;
  }

  private fallbackTarget(provider: string, modelId: string): ModelTarget {
    return {
      name: modelId,
      provider,
      upstreamModel: modelId,
      pricing: null,
      contextWindow: null,
      capabilities: this.catalog.capabilitiesOf(provider, null),
    };
  }

  private whyUnavailable(model: string): string | undefined {
    const target = this.catalog.find(model);
    if (target && !this.catalog.isProviderEnabled(target.provider)) {
      return `Its provider \`${target.provider}\` is not configured (set its API key).`;
    }
    return undefined;
  }
}

/** One literal shape for every route plan (a spread of shared fields cost more than planning). */
function routePlan(
  name: string,
  route: RouteConfig,
  variant: string,
  modelVersion: string,
  registryEntryId: string | null,
  candidates: readonly ModelTarget[],
  refused: readonly Refusal[],
): RoutePlan {
  return {
    route: name,
    variant,
    modelVersion,
    registryEntryId,
    candidates,
    refused,
    retry: route.retry,
    attemptTimeoutMs: route.attempt_timeout_ms,
    totalTimeoutMs: route.total_timeout_ms,
    streamIdleTimeoutMs: route.stream_idle_timeout_ms,
  };
}

function matches(rule: RouteRule, features: RequestFeatures): boolean {
  const { match } = rule;
  if (match.metadata) {
    for (const [key, expected] of Object.entries(match.metadata)) {
      const actual = features.metadata[key];
      if (actual === undefined) {
        return false;
      }
      if (Array.isArray(expected) ? !expected.includes(actual) : expected !== actual) {
        return false;
      }
    }
  }
  if (match.min_prompt_tokens !== undefined && features.promptTokens < match.min_prompt_tokens) {
    return false;
  }
  if (match.max_prompt_tokens !== undefined && features.promptTokens > match.max_prompt_tokens) {
    return false;
  }
  if (match.stream !== undefined && match.stream !== features.stream) {
    return false;
  }
  if (match.has_tools !== undefined && match.has_tools !== features.hasTools) {
    return false;
  }
  return true;
}

/** USD per 1k tokens, input and output weighted equally; null when the price is unknown. */
function blendedPricePer1k(target: ModelTarget): number | null {
  return target.pricing ? (target.pricing.input + target.pricing.output) / 2 / 1000 : null;
}

/** Sticky weighted choice: the key's bucket picks the first model; the rest keep their order. */
function weightedOrder(targets: ModelTarget[], route: RouteConfig, key: string): ModelTarget[] {
  const weights = targets.map((target) => route.weights[target.name] ?? 1);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total <= 0 || targets.length < 2) {
    return targets;
  }
  const point = (assignmentBucket('weighted', key) / bucketCount) * total;
  let cumulative = 0;
  const index = weights.findIndex((weight) => {
    cumulative += weight;
    return point < cumulative;
  });
  const chosen = index >= 0 ? index : targets.length - 1;
  return [targets[chosen] as ModelTarget, ...targets.filter((_, i) => i !== chosen)];
}
