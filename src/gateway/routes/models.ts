import type { Hono } from 'hono';
import { ModelNotFoundError } from '../../router/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import type { GatewayServices } from '../gateway-services.ts';

/**
 * OpenAI's model list: route aliases first (owned_by `rekindle-route`), then catalog models of
 * enabled providers and registered fine-tuned models, with Rekindle extras under `rekindle` (for
 * catalog models their capability table: what the router lets them serve). One
 * model (the SDK's `models.retrieve`) is looked up in the same list, so both always agree; ids may
 * hold slashes (`together/meta-llama/…`).
 */
type ModelListSources = Pick<GatewayServices, 'config' | 'router' | 'now'>;

export function registerModels(app: Hono<GatewayEnv>, sources: ModelListSources): void {
  const created = Math.floor(sources.now() / 1000);
  app.get('/v1/models', (context) =>
    context.json({ object: 'list', data: listModels(sources, created) }),
  );
  app.get('/v1/models/:id{.+}', (context) => {
    const id = context.req.param('id');
    const model = listModels(sources, created).find((entry) => entry.id === id);
    if (!model) {
      throw new ModelNotFoundError(id);
    }
    return context.json(model);
  });
}

interface ListedModel {
  readonly id: string;
  readonly object: 'model';
  readonly created: number;
  readonly owned_by: string;
  readonly rekindle: Record<string, unknown>;
}

function listModels(sources: ModelListSources, created: number): ListedModel[] {
  const { config, router } = sources;
  const routes = Object.entries(config.routes).map(([name, route]) => ({
    id: name,
    object: 'model' as const,
    created,
    owned_by: 'rekindle-route',
    rekindle: { kind: 'route', models: route.models, fallbacks: route.fallbacks },
  }));
  const seen = new Set(routes.map((route) => route.id));
  const models: ListedModel[] = [];
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
          capabilities: target.capabilities,
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
  return [...routes, ...models];
}
