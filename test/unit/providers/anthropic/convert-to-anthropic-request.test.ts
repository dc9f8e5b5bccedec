import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../src/errors/index.ts';
import { convertToAnthropicRequest } from '../../../../src/providers/anthropic/index.ts';
import type { ChatRequestBody } from '../../../../src/providers/chat-model.ts';

const options = { upstreamModel: 'claude-3-5-haiku-latest', defaultMaxTokens: 4096, stream: false };
const convert = (body: Record<string, unknown>, overrides: Partial<typeof options> = {}) =>
  convertToAnthropicRequest(
    {
      model: 'claude-3-5-haiku',
      messages: [{ role: 'user', content: 'Hi' }],
      ...body,
    } as ChatRequestBody,
    { ...options, ...overrides },
  );

function conversionError(body: Record<string, unknown>): GatewayError {
  try {
    convert(body);
  } catch (error) {
    if (GatewayError.isInstance(error)) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the conversion to fail');
}

describe('convertToAnthropicRequest', () => {
  it('moves system and developer messages to `system` and merges consecutive same-role turns', () => {
    const request = convert({
      messages: [
        { role: 'system', content: 'You write outreach emails.' },
        { role: 'developer', content: [{ type: 'text', text: 'Keep it short.' }] },
        { role: 'user', content: 'Lead: Ada at Acme.' },
        { role: 'user', content: [{ type: 'text', text: 'Tone: warm.' }] },
        { role: 'assistant', content: 'Draft one.' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'Shorter please.' },
      ],
    });
    expect(request.system).toBe('You write outreach emails.\n\nKeep it short.');
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Lead: Ada at Acme.' },
          { type: 'text', text: 'Tone: warm.' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Draft one.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Shorter please.' }] },
    ]);
    expect(request.model).toBe('claude-3-5-haiku-latest');
    expect(request.stream).toBeUndefined();
  });

  it('uses max_completion_tokens, then max_tokens, then the configured default', () => {
    expect(convert({}).max_tokens).toBe(4096);
    expect(convert({}, { defaultMaxTokens: 512 }).max_tokens).toBe(512);
    expect(convert({ max_tokens: 300 }).max_tokens).toBe(300);
    expect(convert({ max_tokens: 300, max_completion_tokens: 200 }).max_tokens).toBe(200);
  });

  it('clamps temperature to [0, 1] and passes top_p; stop becomes stop_sequences', () => {
    expect(convert({ temperature: 1.7 }).temperature).toBe(1);
    expect(convert({ temperature: -1 }).temperature).toBe(0);
    expect(convert({ temperature: 0.4, top_p: 0.9 })).toMatchObject({
      temperature: 0.4,
      top_p: 0.9,
    });
    expect(convert({ stop: 'END' }).stop_sequences).toEqual(['END']);
    expect(convert({ stop: ['A', 'B'] }).stop_sequences).toEqual(['A', 'B']);
    expect(convert({ stop: null }).stop_sequences).toBeUndefined();
  });

  it('converts tools and every tool_choice, with parallel_tool_calls: false', () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'lookup_lead',
          description: 'Find a lead',
          parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        },
      },
      { type: 'function', function: { name: 'ping' } },
    ];
    const request = convert({ tools });
    expect(request.tools).toEqual([
      {
        name: 'lookup_lead',
        description: 'Find a lead',
        input_schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      },
      { name: 'ping', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(request.tool_choice).toBeUndefined();
    expect(convert({ tools, tool_choice: 'auto' }).tool_choice).toEqual({ type: 'auto' });
    expect(convert({ tools, tool_choice: 'none' }).tool_choice).toEqual({ type: 'none' });
    expect(convert({ tools, tool_choice: 'required' }).tool_choice).toEqual({ type: 'any' });
    expect(
      convert({ tools, tool_choice: { type: 'function', function: { name: 'ping' } } }).tool_choice,
    ).toEqual({ type: 'tool', name: 'ping' });
    expect(convert({ tools, parallel_tool_calls: false }).tool_choice).toEqual({
      type: 'auto',
      disable_parallel_tool_use: true,
    });
    expect(
      convert({ tools, tool_choice: 'required', parallel_tool_calls: false }).tool_choice,
    ).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(convert({ tool_choice: 'required' }).tool_choice).toBeUndefined();
  });

  it('turns assistant tool_calls into tool_use and tool messages into tool_result in a user turn', () => {
    const request = convert({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":"Paris"}' },
            },
            {
              id: 'call_2',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":"Rome"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '24°C' }] },
        { role: 'user', content: 'Thanks, summarise.' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: '24°C' },
          { type: 'text', text: 'Thanks, summarise.' },
        ],
      },
    ]);
  });

  it('converts image parts: data URLs to base64 sources, http(s) URLs to url sources', () => {
    const request = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe these.' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            {
              type: 'image_url',
              image_url: { url: 'https://example.com/logo.jpg', detail: 'low' },
            },
          ],
        },
      ],
    });
    expect(request.messages[0]?.content).toEqual([
      { type: 'text', text: 'Describe these.' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/logo.jpg' } },
    ]);
  });

  it('maps user to metadata.user_id, sets stream, and drops fields Anthropic lacks', () => {
    const request = convert(
      {
        user: 'lead-42',
        seed: 1,
        presence_penalty: 0.5,
        metadata: { lead_id: 'x' },
        logprobs: false,
      },
      { stream: true },
    );
    expect(request.metadata).toEqual({ user_id: 'lead-42' });
    expect(request.stream).toBe(true);
    expect(Object.keys(request).sort()).toEqual([
      'max_tokens',
      'messages',
      'metadata',
      'model',
      'stream',
    ]);
  });

  it('refuses what cannot be translated with a 400 naming the param', () => {
    expect(conversionError({ n: 2 })).toMatchObject({
      status: 400,
      param: 'n',
      isRetryable: false,
    });
    expect(conversionError({ logprobs: true })).toMatchObject({
      status: 400,
      code: 'unsupported_for_provider',
      param: 'logprobs',
    });
    expect(conversionError({ top_logprobs: 3 })).toMatchObject({ param: 'top_logprobs' });
    expect(
      conversionError({
        messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }],
      }),
    ).toMatchObject({ status: 400, param: 'messages[0].content' });
    expect(
      conversionError({
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] },
        ],
      }),
    ).toMatchObject({ status: 400, param: 'messages[0].content[0].image_url' });
    expect(
      conversionError({
        messages: [
          {
            role: 'assistant',
            tool_calls: [
              { id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } },
            ],
          },
        ],
      }),
    ).toMatchObject({ status: 400, param: 'messages[0].tool_calls[0]' });
    expect(conversionError({ tools: [{ type: 'custom', custom: { name: 'x' } }] })).toMatchObject({
      param: 'tools[0]',
    });
    expect(
      conversionError({ messages: [{ role: 'function', name: 'f', content: 'x' }] }),
    ).toMatchObject({
      param: 'messages[0].role',
    });
  });
});
