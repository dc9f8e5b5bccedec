import type { Hono } from 'hono';
import type { GatewayDependencies, GatewayEnv } from '../gateway-dependencies.ts';

/**
 * OpenAI's model list: route aliases first (owned_by `rekindle-route`), then catalog models of
 * enabled providers and registered fine-tuned models, with Rekindle extras under `rekindle`.
 */
export function registerModels(app: Hono<GatewayEnv>, deps: GatewayDependencies): void {
  const created = Math.floor((deps.now ?? Date.now)() / 1000);
  app.get('/v1/models', (context) => {
    const { config, router } = deps;
    const routes = Object.entries(config.routes).map(([name, route]) => ({
      id: name,
      object: 'model',
      created,
      owned_by: 'rekindle-route',
      rekindle: { kind: 'route', models: route.models, fallbacks: route.fallbacks },
    }));
    const seen = new Set(routes.map((route) => route.id));
    const models = [];
    for (const target of router.catalog.listEnabled()) {
      if (!seen.has(target.name)) {
        seen.add(target.name);
        models.push({
          id: target.name,
          object: 'model',
          created,
          owned_by: target.provider,
          rekindle: {
            kind: 'model',
            provider: target.provider,
            upstream_model: target.upstreamModel,
            input_usd_per_mtok: target.pricing?.input ?? null,
            output_usd_per_mtok: target.pricing?.output ?? null,
            context_window: target.contextWindow,
          },
        });
      }
    }
    for (const entry of router.registry.entries) {
      if (
        !seen.has(entry.modelId) &&
        entry.status !== 'deprecated' &&
        entry.status !== 'rolled_back'
      ) {
        seen.add(entry.modelId);
        models.push({
          id: entry.modelId,
          object: 'model',
          created,
          owned_by: entry.provider,
          rekindle: { kind: 'registered', route: entry.route, model_version: entry.modelVersion },
        });
      }
    }
    return context.json({ object: 'list', data: [...routes, ...models] });
  });
}
