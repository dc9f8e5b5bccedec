import type { ChatStreamPart, Usage } from '../chat-model.ts';
import type { SandboxChoice } from './sandbox-answer.ts';
import { contentPieces, tokenLogprobs } from './sandbox-logprobs.ts';

/**
 * The OpenAI wire for the sandbox's answers with tool calls, JSON, several choices or logprobs:
 * one `chat.completion` body, or the chunks of a stream — per choice a role chunk (with the first
 * tool call's header for tool calls, never an empty content delta before it), the content as
 * word/JSON pieces (each with its logprobs when asked) or the arguments in two pieces, and a
 * finish chunk; then the usage chunk.
 */
export interface FeaturedAnswer {
  readonly id: string;
  readonly created: number;
  readonly model: string;
  readonly choices: readonly SandboxChoice[];
  /** `top_logprobs` when the client asked for logprobs (0 when none were asked for); else null. */
  readonly logprobs: number | null;
  readonly usage: Usage;
}

export function featuredBody(answer: FeaturedAnswer, usage: unknown): string {
  return JSON.stringify({
    id: answer.id,
    object: 'chat.completion',
    created: answer.created,
    model: answer.model,
    system_fingerprint: 'sandbox',
    choices: answer.choices.map((choice, index) => ({
      index,
      message: message(choice),
      logprobs:
        answer.logprobs === null || choice.content === null
          ? null
          : {
              content: tokenLogprobs(contentPieces(choice.content), 0, answer.logprobs),
              refusal: null,
            },
      finish_reason: choice.finishReason,
    })),
    usage,
  });
}

function message(choice: SandboxChoice): Record<string, unknown> {
  const out: Record<string, unknown> = {
    role: 'assistant',
    content: choice.content,
    refusal: null,
  };
  if (choice.toolCalls.length > 0) {
    out.tool_calls = choice.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return out;
}

/** Every part of the stream but the final `finish` (the provider adds it, with timing). */
export function* featuredStreamParts(
  answer: FeaturedAnswer,
  usage: unknown,
): Generator<ChatStreamPart> {
  const head = `{"id":"${answer.id}","object":"chat.completion.chunk","created":${answer.created},"model":${JSON.stringify(answer.model)},"system_fingerprint":"sandbox","choices":`;
  const chunk = (
    index: number,
    delta: unknown,
    logprobs: unknown = null,
    finish: string | null = null,
  ) => `${head}[${JSON.stringify({ index, delta, logprobs, finish_reason: finish })}]}`;
  for (const [index, choice] of answer.choices.entries()) {
    const first = choice.toolCalls[0];
    if (first === undefined) {
      yield { type: 'chunk', raw: chunk(index, { role: 'assistant', content: '' }) };
    }
    for (const [callIndex, call] of choice.toolCalls.entries()) {
      const header = {
        index: callIndex,
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: '' },
      };
      const delta =
        callIndex === 0
          ? { role: 'assistant', content: null, tool_calls: [header] }
          : { tool_calls: [header] };
      yield toolPart(index, callIndex, call.id, call.name, '', chunk(index, delta));
      const middle = Math.ceil(call.arguments.length / 2);
      for (const piece of [call.arguments.slice(0, middle), call.arguments.slice(middle)]) {
        if (piece.length > 0) {
          const pieceDelta = { tool_calls: [{ index: callIndex, function: { arguments: piece } }] };
          yield toolPart(index, callIndex, undefined, undefined, piece, chunk(index, pieceDelta));
        }
      }
    }
    let position = 0;
    for (const piece of contentPieces(choice.content ?? '')) {
      const logprobs =
        answer.logprobs === null
          ? null
          : { content: tokenLogprobs([piece], position, answer.logprobs), refusal: null };
      position += 1;
      const raw = chunk(index, { content: piece }, logprobs);
      // Only the first choice is the answer the gateway tracks; the others are relayed as chunks.
      yield index === 0 ? { type: 'text-delta', delta: piece, raw } : { type: 'chunk', raw };
    }
    yield { type: 'chunk', raw: chunk(index, {}, null, choice.finishReason) };
  }
  yield { type: 'usage', usage: answer.usage, raw: `${head}[],"usage":${JSON.stringify(usage)}}` };
}

function toolPart(
  choiceIndex: number,
  index: number,
  id: string | undefined,
  name: string | undefined,
  argumentsDelta: string,
  raw: string,
): ChatStreamPart {
  return choiceIndex === 0
    ? { type: 'tool-call-delta', index, id, name, argumentsDelta, raw }
    : { type: 'chunk', raw };
}
