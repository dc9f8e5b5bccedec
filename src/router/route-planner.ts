import { type GatewayConfig, providerTypeOf, type RouteConfig } from '../config/index.ts';
import { UnsupportedForProviderError, unmetNeed } from './capability-check.ts';
import { CapableTargets } from './capable-targets.ts';
import { type ModelCatalog, withoutProviderPrefix } from './model-catalog.ts';
import { type ModelTarget, targetKey } from './model-target.ts';
import type { PerformanceTracker } from './performance-tracker.ts';
import type { RegistryEntry, RegistrySnapshot } from './registry-snapshot.ts';
import { noNeeds } from './request-needs.ts';
import { directRetry, type RoutePlan, routePlan } from './route-plan.ts';
import {
  blendedPricePer1k,
  type RequestFeatures,
  ruleMatches,
  weightedOrder,
} from './route-rules.ts';
import { ModelNotFoundError, NoModelAvailableError } from './router-errors.ts';
import { togetherFineTunedPrice } from './together-fine-tuned-price.ts';

export type { RoutePlan } from './route-plan.ts';
export type { RequestFeatures } from './route-rules.ts';

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
    const primary = this.configBaselineTarget(name);
    return primary ? (primary.modelVersion ?? primary.name) : undefined;
  }

  /** The model configBaselineVersion names: what serves a route's baseline traffic without one. */
  configBaselineTarget(name: string): ModelTarget | undefined {
    const route = this.config.routes[name];
    if (!route) {
      return undefined;
    }
    const resolved = this.resolveAll(route.models);
    const ordered =
      route.prefer === 'cheapest' ? this.order(resolved, 'cheapest', route) : resolved;
    return this.filter(ordered, route)[0];
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
      (rule) => ruleMatches(rule, features) && able.any(this.resolveAll(rule.models)),
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
