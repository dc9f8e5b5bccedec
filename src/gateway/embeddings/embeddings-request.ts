import { z } from 'zod';
import type { EmbeddingModelConfig } from '../../config/index.ts';
import { GatewayError } from '../../errors/index.ts';
import type { EmbeddingInput } from '../../providers/index.ts';
import { zodToInvalidRequest } from '../zod-to-invalid-request.ts';

/** OpenAI's own limit on the entries of one embeddings request. */
const maxInputs = 2048;
const tokenArray = z.array(z.number().int().nonnegative()).min(1);

const embeddingsRequestSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([
      z.string().min(1),
      z.array(z.string().min(1)).min(1).max(maxInputs),
      tokenArray,
      z.array(tokenArray).min(1).max(maxInputs),
    ]),
    dimensions: z.number().int().positive().nullable().optional(),
    encoding_format: z.enum(['float', 'base64']).nullable().optional(),
    user: z.string().nullable().optional(),
  })
  .loose();

type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;

export function parseEmbeddingsRequest(raw: string): EmbeddingsRequest {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new GatewayError(
      'invalid_json',
      'We could not parse the JSON body of your request. Expected a JSON object.',
    );
  }
  const parsed = embeddingsRequestSchema.safeParse(json);
  if (!parsed.success) {
    throw zodToInvalidRequest(parsed.error);
  }
  return parsed.data;
}

/** Token arrays are sent as is; a model that only reads text refuses them by `param`. */
function isTokenInput(input: EmbeddingInput): boolean {
  return typeof input !== 'string' && typeof input[0] !== 'string';
}

/** 400 for what the chosen embedding model cannot honour, never dropped. */
export function checkEmbeddingRequest(body: EmbeddingsRequest, model: EmbeddingModelConfig): void {
  const refuse = (param: string, what: string) =>
    new GatewayError(
      'unsupported_for_provider',
      `The model \`${model.name}\` (provider \`${model.provider}\`) ${what}.`,
      { param },
    );
  const dimensions = body.dimensions;
  if (typeof dimensions === 'number') {
    if (!model.shortening) {
      throw refuse('dimensions', 'has a fixed vector length (`dimensions` cannot be set)');
    }
    if (dimensions > model.dimensions) {
      throw refuse('dimensions', `returns at most ${model.dimensions} dimensions`);
    }
  }
  if (!model.token_input && isTokenInput(body.input)) {
    throw refuse('input', 'takes text input only (not token arrays)');
  }
}
