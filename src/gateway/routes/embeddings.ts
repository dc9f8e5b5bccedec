import type { Hono } from 'hono';
import type { EmbeddingModelConfig, GatewayConfig } from '../../config/index.ts';
import { GatewayError } from '../../errors/index.ts';
import { ModelNotFoundError } from '../../router/index.ts';
import { clientAbortSignal } from '../chat/client-abort-signal.ts';
import { checkEmbeddingRequest, parseEmbeddingsRequest } from '../embeddings/embeddings-request.ts';
import { toGatewayError } from '../error-handler.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { respond } from '../response-headers.ts';

/**
 * `POST /v1/embeddings` on the embedding catalog (OpenAI, Together, OpenAI-compatible servers, the
 * sandbox). Metered like chat — `rekindle_requests_total{endpoint="embeddings"}`, prompt tokens,
 * cost, upstream latency — but never tracked as a message: an embedding is not outreach.
 */
export function registerEmbeddings(
  app: Hono<GatewayEnv>,
  services: Pick<GatewayServices, 'config' | 'router' | 'metrics' | 'now'>,
): void {
  const { config, metrics, router, now } = services;
  app.post('/v1/embeddings', async (context) => {
    let model: EmbeddingModelConfig | undefined;
    let status = 500;
    try {
      const body = parseEmbeddingsRequest(await context.req.text());
      model = findEmbeddingModel(config, body.model);
      checkEmbeddingRequest(body, model);
      const provider = router.provider(model.provider);
      if (!provider?.embed) {
        throw new ModelNotFoundError(
          body.model,
          `Its provider \`${model.provider}\` is not configured or has no embeddings.`,
        );
      }
      const started = now();
      let result: Awaited<ReturnType<NonNullable<typeof provider.embed>>>;
      try {
        result = await provider.embed(
          {
            input: body.input,
            upstreamModel: model.upstream_model,
            encodingFormat: body.encoding_format ?? 'float',
            nativeDimensions: model.dimensions,
            ...(typeof body.dimensions === 'number' ? { dimensions: body.dimensions } : {}),
            ...(typeof body.user === 'string' ? { user: body.user } : {}),
          },
          clientAbortSignal(context),
        );
      } catch (error) {
        metrics.upstreamDuration.observe(
          { provider: model.provider, model: model.name, outcome: 'error' },
          (now() - started) / 1000,
        );
        throw error;
      }
      const labels = { provider: model.provider, model: model.name };
      metrics.upstreamDuration.observe(
        { ...labels, outcome: 'success' },
        result.upstreamLatencyMs / 1000,
      );
      const tokens = result.promptTokens ?? 0;
      metrics.tokensTotal.inc({ ...labels, type: 'prompt' }, tokens);
      const cost = (tokens * model.input_usd_per_mtok) / 1_000_000;
      metrics.costUsdTotal.inc(labels, cost);
      status = 200;
      return respond(context, result.body, 200, {
        'content-type': 'application/json',
        'x-rekindle-request-id': context.get('requestId'),
        'x-rekindle-model': model.name,
        'x-rekindle-provider': model.provider,
        'x-rekindle-cost-usd': cost.toFixed(8),
      });
    } catch (error) {
      status = toGatewayError(error).status;
      throw error;
    } finally {
      metrics.requestsTotal.inc({
        route: 'direct',
        model: model?.name ?? 'unknown',
        provider: model?.provider ?? 'unknown',
        variant: 'none',
        status: String(status),
        endpoint: 'embeddings',
      });
    }
  });
}

/** A catalog name (`text-embedding-3-small`) or `provider/name` (`openai/text-embedding-3-small`). */
function findEmbeddingModel(config: GatewayConfig, name: string): EmbeddingModelConfig {
  const model = config.embedding_models.find(
    (entry) =>
      entry.name === name ||
      `${entry.provider}/${entry.name}` === name ||
      `${entry.provider}/${entry.upstream_model}` === name,
  );
  if (model) {
    return model;
  }
  if (config.models.some((entry) => entry.name === name) || Object.hasOwn(config.routes, name)) {
    throw new GatewayError(
      'model_not_supported',
      `The model \`${name}\` is a chat model, not an embedding model.`,
      { param: 'model' },
    );
  }
  throw new ModelNotFoundError(name, 'It is not an embedding model this gateway knows.');
}
