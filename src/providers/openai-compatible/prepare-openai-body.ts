import type { ChatRequest } from '../chat-model.ts';
import { serializeUpstreamBody } from '../upstream-failure.ts';
import { isObject } from './openai-wire.ts';

/**
 * The body sent upstream, serialized once: the client's body with every unknown field kept, except
 * - `model` → the concrete upstream model id;
 * - `metadata` dropped: on this gateway it carries campaign/lead/agent data the gateway consumes
 *   (ARCHITECTURE §4); forwarding it would leak it and OpenAI rejects it without `store: true`;
 * - `stream` set by the call (generate → false, stream → true);
 * - `stream_options` dropped for generate (OpenAI answers 400 when it comes without `stream`), and
 *   forced to `include_usage: true` for streams so usage is always known; the gateway forwards the
 *   usage chunk only when the client asked for it.
 *
 * A body that cannot be serialized is the request's own 400 (serializeUpstreamBody), thrown before
 * any upstream exchange starts, so it can never pass for a connection failure.
 */
export function prepareOpenAIBody(request: ChatRequest, stream: boolean): string {
  const {
    metadata: _metadata,
    stream: _stream,
    stream_options: streamOptions,
    ...rest
  } = request.body as Record<string, unknown>;
  rest.model = request.upstreamModel;
  rest.stream = stream;
  if (stream) {
    rest.stream_options = isObject(streamOptions)
      ? { ...streamOptions, include_usage: true }
      : { include_usage: true };
  }
  return serializeUpstreamBody(rest);
}
