import type { ChatRequest, ChatStreamPart } from '../../../src/providers/chat-model.ts';
import type { ProviderError } from '../../../src/providers/index.ts';

export async function collect(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const collected: ChatStreamPart[] = [];
  for await (const part of parts) {
    collected.push(part);
  }
  return collected;
}

export function textOf(parts: readonly ChatStreamPart[]): string {
  return parts.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('');
}

export function lastPart(parts: readonly ChatStreamPart[]): ChatStreamPart {
  const last = parts[parts.length - 1];
  if (last === undefined) {
    throw new Error('the stream produced no parts');
  }
  return last;
}

/** The error a promise rejected with (fails the test when it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    return error as ProviderError;
  }
  throw new Error('expected the promise to reject');
}

export function chatRequest(
  body: Record<string, unknown>,
  upstreamModel = 'gpt-4o-mini-upstream',
  timeoutMs?: number,
): ChatRequest {
  return {
    body: { model: 'client-alias', messages: [{ role: 'user', content: 'Hi there' }], ...body },
    upstreamModel,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  } as ChatRequest;
}

export const neverAborted = () => new AbortController().signal;
