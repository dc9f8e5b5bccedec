import type { GatewayError } from '../../errors/index.ts';
import type { ChatStreamPart, FinishReason, ToolCall, Usage } from '../../providers/index.ts';
import { toGatewayError } from '../error-handler.ts';
import {
  callItemId,
  finalStatus,
  functionCallItem,
  messageItem,
  messageItemId,
  outputTextPart,
  type ResponseIds,
  type ResponseState,
} from './response-object.ts';
import type { ResponseItem } from './responses-input.ts';

const encoder = new TextEncoder();

type ResponsesStreamOutcome =
  | {
      kind: 'finish';
      text: string;
      toolCalls: ToolCall[];
      usage: Usage;
      state: ResponseState;
    }
  | { kind: 'error'; error: GatewayError }
  | { kind: 'cancelled' };

type OpenItem =
  | { kind: 'message'; outputIndex: number; id: string; text: string }
  | { kind: 'call'; outputIndex: number; id: string; chatIndex: number; call: ToolCall };

/**
 * Chat stream parts as OpenAI's typed Responses events, in OpenAI's order: `response.created`,
 * `response.in_progress`, then per output item `output_item.added`, (`content_part.added`,
 * `output_text.delta`…, `output_text.done`, `content_part.done`) or
 * (`function_call_arguments.delta`…, `.done`), `output_item.done`, and finally
 * `response.completed` (or `response.incomplete`) with usage. A failure after the first event ends
 * the stream with `response.failed` and nothing after it. Every event has a `sequence_number`.
 */
export class ResponsesEventStream {
  private sequence = 0;
  private readonly output: ResponseItem[] = [];
  private open: OpenItem | null = null;
  private text = '';
  private readonly toolCalls: ToolCall[] = [];
  private pending: Uint8Array[] = [];

  constructor(
    private readonly ids: ResponseIds,
    private readonly model: string,
    private readonly render: (state: ResponseState) => Record<string, unknown>,
    private readonly now: () => number,
  ) {}

  /** `response.created` and `response.in_progress`. */
  start(): Uint8Array[] {
    const response = this.render({
      status: 'in_progress',
      output: [],
      usage: null,
      model: this.model,
    });
    this.emit('response.created', { response });
    this.emit('response.in_progress', { response });
    return this.flush();
  }

  /** The events one part gives (none for parts the Responses wire has no event for). */
  part(part: ChatStreamPart): { events: Uint8Array[]; outcome?: ResponsesStreamOutcome } {
    switch (part.type) {
      case 'text-delta':
        this.textDelta(part.delta);
        return { events: this.flush() };
      case 'tool-call-delta':
        this.toolCallDelta(part);
        return { events: this.flush() };
      case 'chunk':
      case 'usage':
        return { events: [] };
      case 'finish':
        return this.finish(part.finishReason, part.usage);
      case 'error':
        return this.fail(part.error);
    }
  }

  fail(error: unknown): { events: Uint8Array[]; outcome: ResponsesStreamOutcome } {
    const failure = toGatewayError(error);
    this.open = null;
    const response = this.render({
      status: 'failed',
      output: this.output,
      usage: null,
      model: this.model,
      error: failure,
    });
    this.emit('response.failed', { response });
    return { events: this.flush(), outcome: { kind: 'error', error: failure } };
  }

  private finish(
    finishReason: FinishReason | null,
    usage: Usage,
  ): { events: Uint8Array[]; outcome: ResponsesStreamOutcome } {
    const status = finalStatus(finishReason);
    this.close(status === 'completed' ? 'completed' : 'incomplete');
    const state: ResponseState = {
      status,
      output: this.output,
      usage,
      model: this.model,
      finishReason,
      completedAt: Math.floor(this.now() / 1000),
    };
    const response = this.render(state);
    this.emit(status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
    return {
      events: this.flush(),
      outcome: { kind: 'finish', text: this.text, toolCalls: this.toolCalls, usage, state },
    };
  }

  private textDelta(delta: string): void {
    let open = this.open;
    if (open?.kind !== 'message') {
      this.close('completed');
      open = {
        kind: 'message',
        outputIndex: this.output.length,
        id: messageItemId(this.ids, this.output.length),
        text: '',
      };
      this.open = open;
      this.output.push(messageItem(open.id, '', 'in_progress'));
      const where = { item_id: open.id, output_index: open.outputIndex };
      this.emit('response.output_item.added', {
        output_index: open.outputIndex,
        item: messageItem(open.id, '', 'in_progress'),
      });
      this.emit('response.content_part.added', {
        ...where,
        content_index: 0,
        part: outputTextPart(''),
      });
    }
    open.text += delta;
    this.text += delta;
    this.emit('response.output_text.delta', {
      item_id: open.id,
      output_index: open.outputIndex,
      content_index: 0,
      delta,
      logprobs: [],
    });
  }

  private toolCallDelta(part: Extract<ChatStreamPart, { type: 'tool-call-delta' }>): void {
    let open = this.open;
    if (open?.kind !== 'call' || open.chatIndex !== part.index) {
      this.close('completed');
      const outputIndex = this.output.length;
      const call: ToolCall = {
        id: part.id ?? `call_${this.ids.hex.slice(0, 24)}_${outputIndex}`,
        name: part.name ?? '',
        arguments: '',
      };
      open = {
        kind: 'call',
        outputIndex,
        id: callItemId(this.ids, outputIndex),
        chatIndex: part.index,
        call,
      };
      this.open = open;
      this.output.push(functionCallItem(open.id, call, 'in_progress'));
      this.emit('response.output_item.added', {
        output_index: outputIndex,
        item: functionCallItem(open.id, call, 'in_progress'),
      });
    }
    if (part.argumentsDelta.length > 0) {
      open.call.arguments += part.argumentsDelta;
      this.emit('response.function_call_arguments.delta', {
        item_id: open.id,
        output_index: open.outputIndex,
        delta: part.argumentsDelta,
      });
    }
  }

  /** Ends the open item: its `.done` events and `response.output_item.done`. */
  private close(status: 'completed' | 'incomplete'): void {
    const open = this.open;
    if (open === null) {
      return;
    }
    this.open = null;
    const where = { item_id: open.id, output_index: open.outputIndex };
    let item: ResponseItem;
    if (open.kind === 'message') {
      this.emit('response.output_text.done', {
        ...where,
        content_index: 0,
        text: open.text,
        logprobs: [],
      });
      this.emit('response.content_part.done', {
        ...where,
        content_index: 0,
        part: outputTextPart(open.text),
      });
      item = messageItem(open.id, open.text, status);
    } else {
      this.toolCalls.push(open.call);
      this.emit('response.function_call_arguments.done', {
        ...where,
        name: open.call.name,
        arguments: open.call.arguments,
      });
      item = functionCallItem(open.id, open.call, status);
    }
    this.output[open.outputIndex] = item;
    this.emit('response.output_item.done', { output_index: open.outputIndex, item });
  }

  private emit(type: string, fields: Record<string, unknown>): void {
    const event = { type, ...fields, sequence_number: this.sequence };
    this.sequence += 1;
    this.pending.push(encoder.encode(`event: ${type}\ndata: ${JSON.stringify(event)}\n\n`));
  }

  private flush(): Uint8Array[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }
}

/**
 * The events as a byte stream, one upstream part per pull (back-pressure reaches the upstream);
 * `ended` settles with the first of finish, failure or cancellation.
 */
export function responsesSse(
  parts: AsyncIterable<ChatStreamPart>,
  events: ResponsesEventStream,
): { stream: ReadableStream<Uint8Array>; ended: Promise<ResponsesStreamOutcome> } {
  const iterator = parts[Symbol.asyncIterator]();
  let end: (outcome: ResponsesStreamOutcome) => void = () => {};
  const ended = new Promise<ResponsesStreamOutcome>((resolve) => {
    end = resolve;
  });
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        for (const event of events.start()) {
          controller.enqueue(event);
        }
        return;
      }
      // Each pull must enqueue or close: a pull that returns empty-handed is not called again.
      for (;;) {
        let step: { events: Uint8Array[]; outcome?: ResponsesStreamOutcome };
        try {
          const next = await iterator.next();
          step = next.done
            ? { events: [], outcome: { kind: 'cancelled' } }
            : events.part(next.value);
        } catch (error) {
          step = events.fail(error);
        }
        for (const event of step.events) {
          controller.enqueue(event);
        }
        if (step.outcome) {
          controller.close();
          end(step.outcome);
          return;
        }
        if (step.events.length > 0) {
          return;
        }
      }
    },
    async cancel() {
      end({ kind: 'cancelled' });
      await iterator.return?.();
    },
  });
  return { stream, ended };
}
