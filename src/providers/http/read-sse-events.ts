import type { Dispatcher } from 'undici';
import { type SseEvent, SseParser } from './sse-parser.ts';
import type { UpstreamExchange } from './upstream-exchange.ts';

/**
 * Yields the SSE events of an upstream body as they arrive, pulling the next chunk only when the
 * consumer asks (back-pressure reaches the upstream socket). Arms the exchange's idle timer around
 * each wait; a stall, reset or abort surfaces as the thrown error the exchange classifies.
 */
export async function* readSseEvents(
  exchange: UpstreamExchange,
  body: Dispatcher.ResponseData['body'],
  idleTimeoutMs: number,
): AsyncGenerator<SseEvent, void, undefined> {
  const parser = new SseParser();
  const iterator = body[Symbol.asyncIterator]();
  while (true) {
    exchange.waitForUpstream();
    const next = await iterator.next();
    exchange.receivedFromUpstream(idleTimeoutMs);
    if (next.done === true) {
      break;
    }
    for (const event of parser.feed(next.value as Buffer)) {
      yield event;
    }
  }
  for (const event of parser.end()) {
    yield event;
  }
}
