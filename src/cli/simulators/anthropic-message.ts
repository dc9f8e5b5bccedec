/**
 * What the simulated Anthropic Messages API answers: a `Message`, or the real event sequence of a
 * stream — `message_start`, `content_block_start`, `ping`, `content_block_delta` (`text_delta`,
 * `input_json_delta`), `content_block_stop`, `message_delta` (stop_reason, cumulative usage),
 * `message_stop` — each as `event: <type>` + `data: <json>`; and the request checks the API makes.
 */
import { wordPieces } from './chat-text.ts';
import { structuredDefaultBlock } from './structured-answers.ts';

type SimulatedAnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id?: string; name: string; input: unknown };

interface SimulatedAnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: Array<
    { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown }
  >;
  stop_reason: string;
  stop_sequence: null;
  usage: SimulatedAnthropicUsage & {
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
  };
}

export interface AnthropicAnswer {
  content?: SimulatedAnthropicBlock[];
  stopReason?: string;
  usage?: SimulatedAnthropicUsage;
  model?: string;
}

type Body = Record<string, unknown>;

export function anthropicError(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}

/** Why the API would refuse this body (400), or undefined. */
export function anthropicRequestProblem(body: Body | undefined): string | undefined {
  if (typeof body !== 'object' || body === null) {
    return 'request body must be JSON';
  }
  if (typeof body.max_tokens !== 'number') {
    return 'max_tokens: Field required';
  }
  if (!Array.isArray(body.messages)) {
    return 'messages: Field required';
  }
  for (const [index, message] of (body.messages as Body[]).entries()) {
    if (message.role !== 'user' && message.role !== 'assistant') {
      return `messages.${index}.role: Input should be 'user' or 'assistant'`;
    }
  }
  if (typeof body.temperature === 'number' && (body.temperature < 0 || body.temperature > 1)) {
    return 'temperature: Input should be less than or equal to 1';
  }
  return undefined;
}

export function anthropicMessage(
  body: Body,
  answer: AnthropicAnswer | undefined,
  sequence: number,
  answerText: (model: string, messages: unknown) => string,
): AnthropicMessage {
  const model = answer?.model ?? String(body.model);
  // Unscripted, a forced tool or `output_config.format` is answered as the real API would.
  const blocks = answer?.content ?? [
    structuredDefaultBlock(body, sequence) ?? {
      type: 'text',
      text: answerText(model, body.messages),
    },
  ];
  const content = blocks.map((block, index) =>
    block.type === 'text'
      ? block
      : {
          type: 'tool_use' as const,
          id: block.id ?? `toolu_fake_${sequence}_${index}`,
          name: block.name,
          input: block.input,
        },
  );
  const hasTool = content.some((block) => block.type === 'tool_use');
  const outputWords = content.reduce(
    (total, block) => total + (block.type === 'text' ? wordPieces(block.text).length : 10),
    0,
  );
  const usage = answer?.usage ?? {
    input_tokens: Math.ceil(JSON.stringify([body.system ?? '', body.messages]).length / 4),
    output_tokens: outputWords,
  };
  return {
    id: `msg_fake${sequence}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: answer?.stopReason ?? (hasTool ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...usage },
  };
}

function anthropicFrame(type: string, data: Body): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

export function anthropicStreamFrames(message: AnthropicMessage): string[] {
  const frame = anthropicFrame;
  const frames = [
    frame('message_start', {
      message: {
        ...message,
        content: [],
        stop_reason: null,
        usage: { ...message.usage, output_tokens: 1 },
      },
    }),
  ];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      frames.push(
        frame('content_block_start', { index, content_block: { type: 'text', text: '' } }),
      );
      if (index === 0) {
        frames.push(frame('ping', {}));
      }
      for (const piece of wordPieces(block.text)) {
        frames.push(
          frame('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }),
        );
      }
    } else {
      frames.push(
        frame('content_block_start', {
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        }),
      );
      const json = JSON.stringify(block.input);
      const middle = Math.ceil(json.length / 2);
      for (const piece of ['', json.slice(0, middle), json.slice(middle)]) {
        frames.push(
          frame('content_block_delta', {
            index,
            delta: { type: 'input_json_delta', partial_json: piece },
          }),
        );
      }
    }
    frames.push(frame('content_block_stop', { index }));
  });
  frames.push(
    frame('message_delta', {
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: { output_tokens: message.usage.output_tokens },
    }),
  );
  frames.push(frame('message_stop', {}));
  return frames;
}
