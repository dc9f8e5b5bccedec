import type { EmbeddingRequest, EmbeddingResult } from '../embedding-model.ts';
import { decodeEmbedding, encodeEmbedding } from '../embedding-model.ts';
import { sendUpstream, type UpstreamEndpoint } from '../http/upstream-client.ts';
import { UpstreamExchange } from '../http/upstream-exchange.ts';
import { ProviderError } from '../provider-error.ts';
import { openAIErrors } from './openai-error-map.ts';
import { isObject } from './openai-wire.ts';

export interface OpenAIEmbedderOptions {
  readonly id: string;
  readonly endpoint: UpstreamEndpoint;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /**
   * The upstream answers `encoding_format: "base64"` itself (OpenAI). Elsewhere (Together, other
   * OpenAI-compatible servers) floats are asked for and encoded here when the client wants base64.
   */
  readonly nativeBase64: boolean;
}

/**
 * `POST {base}/embeddings` with the model rewritten. The answer is relayed as the upstream's bytes
 * when it is already in the client's encoding; otherwise its vectors are re-encoded (floats to
 * little-endian float32 base64, or back). A 2xx body that is not an embeddings list is a 502.
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions) {
  const { id, endpoint, headers } = options;
  const path = `${endpoint.basePath}/embeddings`;
  return async function embed(
    request: EmbeddingRequest,
    signal: AbortSignal,
  ): Promise<EmbeddingResult> {
    const exchange = new UpstreamExchange(
      id,
      signal,
      Math.min(request.timeoutMs ?? options.timeoutMs, options.timeoutMs),
    );
    const upstreamEncoding = options.nativeBase64 ? request.encodingFormat : 'float';
    const body: Record<string, unknown> = {
      model: request.upstreamModel,
      input: request.input,
      encoding_format: upstreamEncoding,
    };
    if (request.dimensions !== undefined) {
      body.dimensions = request.dimensions;
    }
    if (request.user !== undefined) {
      body.user = request.user;
    }
    try {
      const response = await sendUpstream(
        endpoint,
        exchange,
        path,
        headers,
        JSON.stringify(body),
        openAIErrors,
      );
      const text = await response.body.text();
      return readEmbeddings(id, text, request, performance.now() - exchange.startedAt);
    } catch (error) {
      throw exchange.toProviderError(error);
    } finally {
      exchange.finish();
    }
  };
}

function readEmbeddings(
  providerId: string,
  text: string,
  request: EmbeddingRequest,
  upstreamLatencyMs: number,
): EmbeddingResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw malformed(providerId, text, 'is not JSON', error);
  }
  if (!isObject(parsed) || !Array.isArray(parsed.data)) {
    throw malformed(providerId, text, 'has no data');
  }
  let changed = false;
  for (const item of parsed.data as unknown[]) {
    if (!isObject(item)) {
      throw malformed(providerId, text, 'has an entry that is not an embedding');
    }
    const vector = item.embedding;
    if (request.encodingFormat === 'base64' && Array.isArray(vector)) {
      item.embedding = encodeEmbedding(vector as number[]);
      changed = true;
    } else if (request.encodingFormat === 'float' && typeof vector === 'string') {
      item.embedding = decodeEmbedding(vector);
      changed = true;
    } else if (!Array.isArray(vector) && typeof vector !== 'string') {
      throw malformed(providerId, text, 'has an entry without a vector');
    }
  }
  const usage = isObject(parsed.usage) ? parsed.usage : undefined;
  const promptTokens = usage?.prompt_tokens;
  return {
    body: changed ? JSON.stringify(parsed) : text,
    promptTokens: typeof promptTokens === 'number' ? promptTokens : null,
    upstreamModel: typeof parsed.model === 'string' ? parsed.model : request.upstreamModel,
    upstreamLatencyMs,
  };
}

function malformed(providerId: string, body: string, what: string, cause?: unknown) {
  return new ProviderError(`${providerId} answered 2xx with an embeddings body that ${what}`, {
    provider: providerId,
    kind: 'upstream',
    upstreamStatus: 502,
    upstreamBody: body,
    upstreamCode: 'malformed_upstream_response',
    cause,
  });
}
