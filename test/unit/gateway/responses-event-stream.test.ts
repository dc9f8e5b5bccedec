import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors/index.ts';
import { newResponseIds } from '../../../src/gateway/responses/response-object.ts';
import {
  ResponsesEventStream,
  responsesSse,
} from '../../../src/gateway/responses/responses-event-stream.ts';
import type { ChatStreamPart } from '../../../src/providers/index.ts';

/**
 * Chat stream parts as OpenAI's Responses events (issue 12): text, then a function call, in
 * OpenAI's order and with consecutive sequence numbers; a failure after the first event ends the
 * stream with `response.failed`.
 */
const usage = { promptTokens: 12, completionTokens: 7, cachedPromptTokens: null };

async function events(parts: ChatStreamPart[]): Promise<Array<Record<string, unknown>>> {
  const ids = newResponseIds(1_767_225_600_000);
  const translator = new ResponsesEventStream(
    ids,
    'gpt-4o-mini',
    (state) => ({ id: ids.id, status: state.status, output: state.output }),
    () => 1_767_225_601_000,
  );
  async function* source() {
    yield* parts;
  }
  const { stream } = responsesSse(source(), translator);
  const text = await new Response(stream).text();
  return text
    .trim()
    .split('\n\n')
    .map((frame) => {
      const [event, data] = frame.split('\n');
      const parsed = JSON.parse((data ?? '').slice('data: '.length)) as Record<string, unknown>;
      expect(event).toBe(`event: ${String(parsed.type)}`);
      return parsed;
    });
}

const finish = (finishReason: 'stop' | 'tool_calls'): ChatStreamPart => ({
  type: 'finish',
  finishReason,
  usage,
  upstreamModel: 'gpt-4o-mini',
  timeToFirstTokenMs: 1,
  upstreamLatencyMs: 2,
});

describe('Responses events from chat stream parts', () => {
  it('gives a message item, then a function call item, in order, numbered from 0', async () => {
    const got = await events([
      { type: 'text-delta', delta: 'Looking', raw: '' },
      { type: 'text-delta', delta: ' up.', raw: '' },
      {
        type: 'tool-call-delta',
        index: 0,
        id: 'call_1',
        name: 'lookup_lead',
        argumentsDelta: '{"email":',
        raw: '',
      },
      {
        type: 'tool-call-delta',
        index: 0,
        id: undefined,
        name: undefined,
        argumentsDelta: '"a@b.c"}',
        raw: '',
      },
      finish('tool_calls'),
    ]);
    expect(got.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(got.map((event) => event.sequence_number)).toEqual(got.map((_, index) => index));
    expect(got[6]).toMatchObject({ text: 'Looking up.', output_index: 0, content_index: 0 });
    expect(got[12]).toMatchObject({
      name: 'lookup_lead',
      arguments: '{"email":"a@b.c"}',
      output_index: 1,
    });
    expect(got[13]).toMatchObject({
      item: {
        type: 'function_call',
        call_id: 'call_1',
        name: 'lookup_lead',
        arguments: '{"email":"a@b.c"}',
        status: 'completed',
      },
    });
    const completed = got.at(-1)?.response as { output: unknown[]; status: string };
    expect(completed.status).toBe('completed');
    expect(completed.output).toHaveLength(2);
  });

  it('ends with response.failed and nothing after it when the stream fails', async () => {
    const failure = new GatewayError('internal_error', 'upstream went away');
    const got = await events([
      { type: 'text-delta', delta: 'Hi', raw: '' },
      { type: 'error', error: failure },
    ]);
    const types = got.map((event) => event.type);
    expect(types.at(-1)).toBe('response.failed');
    expect(types).not.toContain('response.completed');
    expect(got.at(-1)?.response).toMatchObject({ status: 'failed' });
  });
});
