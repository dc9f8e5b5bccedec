/**
 * Embeddings on the provider interface: OpenAI-compatible wires relay `/embeddings`, the sandbox
 * computes its vectors locally; Anthropic has no embeddings API (its provider has no `embed`).
 * The client's encoding is the provider's to honour: the result's `body` is the OpenAI embeddings
 * list ready to send, in `encodingFormat`.
 */
export type EmbeddingInput =
  | string
  | readonly string[]
  | readonly number[]
  | ReadonlyArray<readonly number[]>;

type EmbeddingEncoding = 'float' | 'base64';

export interface EmbeddingRequest {
  /** Validated by the gateway: a string, strings, one token array or token arrays, none empty. */
  readonly input: EmbeddingInput;
  readonly upstreamModel: string;
  readonly encodingFormat: EmbeddingEncoding;
  /** The client's `dimensions`, when set (the gateway checked the model honours it). */
  readonly dimensions?: number;
  readonly user?: string;
  /** The model's default vector length, when the catalog knows it (the sandbox's length). */
  readonly nativeDimensions: number | null;
  /** Per-attempt timeout; the provider's own when longer. */
  readonly timeoutMs?: number;
}

export interface EmbeddingResult {
  /** `{"object":"list","data":[…],"model":…,"usage":…}` in the requested encoding. */
  readonly body: string;
  readonly promptTokens: number | null;
  readonly upstreamModel: string;
  readonly upstreamLatencyMs: number;
}

/** Vectors as OpenAI's `base64` encoding carries them: little-endian float32, base64. */
export function encodeEmbedding(vector: ArrayLike<number>): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let index = 0; index < vector.length; index += 1) {
    bytes.writeFloatLE(vector[index] ?? 0, index * 4);
  }
  return bytes.toString('base64');
}

/** The inverse of encodeEmbedding, as float32 values. */
export function decodeEmbedding(base64: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  const out: number[] = new Array(Math.floor(bytes.length / 4));
  for (let index = 0; index < out.length; index += 1) {
    out[index] = bytes.readFloatLE(index * 4);
  }
  return out;
}
