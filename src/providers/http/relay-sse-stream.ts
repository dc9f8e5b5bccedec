import type { Dispatcher } from 'undici';
import type { ChatStreamPart } from '../chat-model.ts';
import { readSseEvents } from './read-sse-events.ts';
import type { SseEvent } from './sse-parser.ts';
import type { UpstreamExchange } from './upstream-exchange.ts';

/** Turns one vendor's SSE events into stream parts; one instance per stream (it keeps state). */
export interface StreamTranslator {
  /** Appends the parts an event stands for (often one, sometimes none); throws on error events. */
  accept(event: SseEvent, parts: ChatStreamPart[]): void;
  /** True once the vendor's end marker arrived (`[DONE]`, `message_stop`). */
  readonly complete: boolean;
  /** The `finish` part; throws a ProviderError when the stream cannot count as finished. */
  finish(): ChatStreamPart;
}

/** How long the rest of the body may take after the end marker before we drop the connection. */
const drainGraceMs = 1_000;

/**
 * Drives a translator over an upstream body. Guarantees the stream contract: exactly one `finish`
 * or one `error` part at the end, never an error after a finish, and the upstream request closed
 * (socket destroyed) whenever it did not complete — including when the consumer stops early.
 */
export async function* relaySseStream(
  exchange: UpstreamExchange,
  body: Dispatcher.ResponseData['body'],
  idleTimeoutMs: number,
  translator: StreamTranslator,
): AsyncGenerator<ChatStreamPart, void, undefined> {
  const parts: ChatStreamPart[] = [];
  let finished = false;
  try {
    for await (const event of readSseEvents(exchange, body, idleTimeoutMs)) {
      if (finished) {
        continue;
      }
      translator.accept(event, parts);
      for (let index = 0; index < parts.length; index++) {
        yield parts[index] as ChatStreamPart;
      }
      parts.length = 0;
      if (translator.complete) {
        const finish = translator.finish();
        finished = true;
        yield finish;
        exchange.setIdleTimeout(drainGraceMs);
      }
    }
    if (!finished) {
      const finish = translator.finish();
      finished = true;
      yield finish;
    }
  } catch (error) {
    if (!finished) {
      yield { type: 'error', error: exchange.toProviderError(error) };
    }
  } finally {
    exchange.finish();
    // After a complete answer this keeps the connection (undici ignores aborts of completed
    // requests); otherwise it closes the socket so the upstream sees the disconnect and stops.
    if (!body.destroyed) {
      body.destroy();
    }
  }
}
