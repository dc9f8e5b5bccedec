import { type EmbeddingInput, sandboxEmbeddings } from '../../providers/index.ts';

/**
 * The simulators' `POST /v1/embeddings`: the sandbox's deterministic vectors under the requested
 * model, `dimensions` long (1536 by default). OpenAI answers `encoding_format: "base64"` itself;
 * Together's API has no such field and always answers floats.
 */
export function embeddingsAnswer(
  body: Record<string, unknown>,
  style: 'openai' | 'together',
): string | undefined {
  const input = body.input;
  if (typeof input !== 'string' && !Array.isArray(input)) {
    return undefined;
  }
  const model = String(body.model);
  const result = sandboxEmbeddings(
    {
      input: input as EmbeddingInput,
      upstreamModel: model,
      encodingFormat: style === 'openai' && body.encoding_format === 'base64' ? 'base64' : 'float',
      nativeDimensions: typeof body.dimensions === 'number' ? body.dimensions : 1536,
    },
    0,
  );
  const parsed = JSON.parse(result.body) as Record<string, unknown>;
  return JSON.stringify({ ...parsed, model });
}
