/**
 * What the simulated OpenAI (or Together) chat answers, as a `chat.completion` JSON body or as
 * `chat.completion.chunk` SSE frames ending in `data: [DONE]`. OpenAI sends usage in a last chunk
 * without choices, and only with `stream_options.include_usage`; Together puts `usage` on its last
 * chunk (or, like the real API, on the chunk with the last text) and `"usage": null` on every other.
 */
import { wordPieces } from './chat-text.ts';

export interface SimulatedToolCall {
  id?: string;
  name: string;
  /** JSON text of the arguments. */
  arguments: string;
}

export interface SimulatedOpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens?: number;
}

export interface OpenAIChatAnswer {
  id: string;
  model: string;
  created: number;
  content: string;
  toolCalls: Array<Required<SimulatedToolCall>>;
  finishReason: string;
  usage: SimulatedOpenAIUsage;
}

export interface StreamShape {
  style: 'openai' | 'together';
  includeUsage: boolean;
  /** Together: text, finish reason and usage in one last chunk. */
  usageOnLastContent: boolean;
}

type Body = Record<string, unknown>;

function usageJson(usage: SimulatedOpenAIUsage) {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.prompt_tokens + usage.completion_tokens,
    prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

export function completionJson(answer: OpenAIChatAnswer) {
  const message: Body = {
    role: 'assistant',
    content: answer.toolCalls.length > 0 && answer.content === '' ? null : answer.content,
    refusal: null,
    annotations: [],
  };
  if (answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: answer.id,
    object: 'chat.completion',
    created: answer.created,
    model: answer.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
    usage: usageJson(answer.usage),
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}

/** The answer as SSE frames, ending with `data: [DONE]`. */
export function streamFrames(answer: OpenAIChatAnswer, shape: StreamShape): string[] {
  const { style, includeUsage } = shape;
  // With include_usage OpenAI adds `"usage": null` to every chunk; Together always does.
  const usageField = includeUsage || style === 'together' ? { usage: null } : {};
  const chunk = (delta: Body, finishReason: string | null = null, extra: Body = {}) =>
    `data: ${JSON.stringify({
      id: answer.id,
      object: 'chat.completion.chunk',
      created: answer.created,
      model: answer.model,
      system_fingerprint: 'fp_fake',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...usageField,
      ...extra,
    })}\n\n`;
  const frames: string[] = [];
  const first = answer.toolCalls[0];
  frames.push(
    first === undefined
      ? chunk({ role: 'assistant', content: '', refusal: null })
      : chunk({
          role: 'assistant',
          content: null,
          tool_calls: [toolCallStart(first, 0)],
          refusal: null,
        }),
  );
  const pieces = wordPieces(answer.content);
  const lastInOne =
    style === 'together' &&
    shape.usageOnLastContent &&
    pieces.length > 0 &&
    answer.toolCalls.length === 0;
  pieces.forEach((piece, index) => {
    frames.push(
      lastInOne && index === pieces.length - 1
        ? chunk({ content: piece }, answer.finishReason, { usage: usageJson(answer.usage) })
        : chunk({ content: piece }),
    );
  });
  answer.toolCalls.forEach((call, index) => {
    if (index > 0) {
      frames.push(chunk({ tool_calls: [toolCallStart(call, index)] }));
    }
    const middle = Math.ceil(call.arguments.length / 2);
    for (const piece of [call.arguments.slice(0, middle), call.arguments.slice(middle)]) {
      if (piece.length > 0) {
        frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      }
    }
  });
  if (lastInOne) {
    frames.push('data: [DONE]\n\n');
    return frames;
  }
  if (style === 'together') {
    frames.push(chunk({}, answer.finishReason, { usage: usageJson(answer.usage) }));
  } else {
    frames.push(chunk({}, answer.finishReason));
    if (includeUsage) {
      const usageChunk = {
        id: answer.id,
        object: 'chat.completion.chunk',
        created: answer.created,
        model: answer.model,
        system_fingerprint: 'fp_fake',
        choices: [],
        usage: usageJson(answer.usage),
      };
      frames.push(`data: ${JSON.stringify(usageChunk)}\n\n`);
    }
  }
  frames.push('data: [DONE]\n\n');
  return frames;
}

function toolCallStart(call: Required<SimulatedToolCall>, index: number) {
  return { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
}
