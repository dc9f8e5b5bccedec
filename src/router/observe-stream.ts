import { type ChatStreamPart, isUpstreamFailure } from '../providers/index.ts';
import type { CallAccounting } from './call-accounting.ts';
import type { ModelTarget } from './model-target.ts';

/**
 * Relays a routed stream's parts while accounting its end to the model that served it: latency,
 * usage and time to first token on `finish`, an upstream failure on `error`.
 */
export async function* observeStream(
  accounting: CallAccounting,
  now: () => number,
  target: ModelTarget,
  first: ChatStreamPart,
  iterator: AsyncIterator<ChatStreamPart>,
  started: number,
): AsyncGenerator<ChatStreamPart> {
  let part: ChatStreamPart | undefined = first;
  try {
    while (part) {
      if (part.type === 'finish') {
        accounting.success(target, now() - started, part.usage);
        accounting.timeToFirstToken(target, part.timeToFirstTokenMs);
      } else if (part.type === 'error' && isUpstreamFailure(part.error)) {
        // Accounted to the model; the breaker already counted this attempt as a success when
        // its first part arrived, and one answered stream is not a second attempt.
        accounting.failure(target, part.error, now() - started);
      }
      yield part;
      const next = await iterator.next();
      part = next.done ? undefined : next.value;
    }
  } finally {
    await iterator.return?.();
  }
}
