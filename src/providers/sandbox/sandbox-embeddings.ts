import {
  type EmbeddingInput,
  type EmbeddingRequest,
  type EmbeddingResult,
  encodeEmbedding,
} from '../embedding-model.ts';
import { fnv1a, mulberry32 } from './seeded-random.ts';

/** Length of the sandbox's vectors when the catalog states none (OpenAI's default, 1536). */
const sandboxEmbeddingDimensions = 1536;
/** Distinct words an input contributes; the rest are left out (keeps a long text cheap). */
const maxFeatures = 512;

/**
 * Deterministic unit vectors: every word (or token id) of an input adds its own pseudo-random
 * direction, seeded by the word, so equal inputs give equal vectors and inputs sharing words have a
 * higher cosine similarity — enough for a semantic-search demo without a key. A shorter
 * `dimensions` is the full vector's prefix, renormalised (as OpenAI's shortened embeddings are).
 */
export function sandboxEmbeddings(request: EmbeddingRequest, latencyMs: number): EmbeddingResult {
  const length = request.dimensions ?? request.nativeDimensions ?? sandboxEmbeddingDimensions;
  const inputs = inputList(request.input);
  const model = request.upstreamModel.startsWith('sandbox/')
    ? request.upstreamModel
    : `sandbox/${request.upstreamModel}`;
  let tokens = 0;
  const data: string[] = [];
  for (let index = 0; index < inputs.length; index += 1) {
    const input = inputs[index] ?? '';
    tokens += typeof input === 'string' ? Math.max(1, Math.ceil(input.length / 4)) : input.length;
    const vector = embedOne(input, length);
    const embedding =
      request.encodingFormat === 'base64'
        ? `"${encodeEmbedding(vector)}"`
        : `[${Array.from(vector).join(',')}]`;
    data.push(`{"object":"embedding","index":${index},"embedding":${embedding}}`);
  }
  const body = `{"object":"list","data":[${data.join(',')}],"model":${JSON.stringify(model)},"usage":{"prompt_tokens":${tokens},"total_tokens":${tokens}}}`;
  return { body, promptTokens: tokens, upstreamModel: model, upstreamLatencyMs: latencyMs };
}

function inputList(input: EmbeddingInput): Array<string | readonly number[]> {
  if (typeof input === 'string') {
    return [input];
  }
  if (input.length > 0 && typeof input[0] === 'number') {
    return [input as readonly number[]];
  }
  return [...(input as ReadonlyArray<string | readonly number[]>)];
}

function embedOne(input: string | readonly number[], length: number): Float32Array {
  const counts = new Map<string, number>();
  const features =
    typeof input === 'string'
      ? (input.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [input])
      : input.map((token) => `#${token}`);
  for (const feature of features) {
    if (counts.size >= maxFeatures && !counts.has(feature)) {
      continue;
    }
    counts.set(feature, (counts.get(feature) ?? 0) + 1);
  }
  const sum = new Float64Array(length);
  for (const [feature, count] of counts) {
    const random = mulberry32(fnv1a(feature));
    const weight = Math.sqrt(count);
    for (let index = 0; index < length; index += 1) {
      sum[index] = (sum[index] ?? 0) + weight * (random() * 2 - 1);
    }
  }
  let norm = 0;
  for (const value of sum) {
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const vector = new Float32Array(length);
  for (let index = 0; index < length; index += 1) {
    vector[index] = (sum[index] ?? 0) * scale;
  }
  return vector;
}
