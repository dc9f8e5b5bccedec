import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChatStreamPart } from '../../../../src/providers/chat-model.ts';
import { createSandboxProvider } from '../../../../src/providers/sandbox/index.ts';
import { chatRequest, collect, lastPart, neverAborted, rejectionOf } from '../stream-helpers.ts';

/**
 * Issue 13: the sandbox honours what a client develops against — tools and tool_choice, a final
 * answer after a tool result, response_format, stop, n, max_tokens, logprobs — streamed and not.
 */
const ajv = new Ajv2020({ strict: false });
addFormats.default(ajv);

const sandbox = createSandboxProvider();
const ask = 'Write to Priya Raman at Northwind Traders. Title: VP Sales. Sender: Jordan';
const user = [{ role: 'user', content: ask }];

const meetingTool = {
  type: 'function',
  function: {
    name: 'book_meeting',
    description: 'Book a meeting with a lead',
    parameters: z.toJSONSchema(
      z.object({
        lead_email: z.email(),
        day: z.enum(['monday', 'tuesday']),
        minutes: z.number().int().min(15).max(60),
      }),
    ),
  },
};
const lookupTool = {
  type: 'function',
  function: { name: 'lookup_company', parameters: { type: 'object', properties: {} } },
};

type Completion = {
  choices: Array<{
    message: {
      content: string | null;
      tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
    };
    finish_reason: string;
    logprobs: {
      content: Array<{ token: string; logprob: number; top_logprobs: unknown[] }>;
    } | null;
  }>;
};

async function generate(body: Record<string, unknown>): Promise<Completion> {
  const result = await sandbox.generate(
    chatRequest({ messages: user, ...body }, 'outreach-v1'),
    neverAborted(),
  );
  return JSON.parse(result.body) as Completion;
}

/** A stream reassembled the way the openai SDK does: content and tool calls per choice index. */
async function streamed(body: Record<string, unknown>) {
  const parts = await collect(
    await sandbox.stream(
      chatRequest({ messages: user, stream: true, ...body }, 'outreach-v1'),
      neverAborted(),
    ),
  );
  const choices = new Map<
    number,
    {
      content: string;
      args: string[];
      names: string[];
      finish?: string | undefined;
      logprobs: number;
    }
  >();
  for (const part of parts) {
    if (part.type === 'finish' || part.type === 'error' || part.type === 'usage') {
      continue;
    }
    const chunk = JSON.parse(part.raw) as {
      choices: Array<{
        index: number;
        delta: {
          content?: string | null;
          tool_calls?: Array<{ index: number; function: { name?: string; arguments?: string } }>;
        };
        finish_reason: string | null;
        logprobs: { content: unknown[] } | null;
      }>;
    };
    for (const choice of chunk.choices) {
      const entry = choices.get(choice.index) ?? { content: '', args: [], names: [], logprobs: 0 };
      entry.content += choice.delta.content ?? '';
      for (const call of choice.delta.tool_calls ?? []) {
        entry.args[call.index] = (entry.args[call.index] ?? '') + (call.function.arguments ?? '');
        if (call.function.name) {
          entry.names[call.index] = call.function.name;
        }
      }
      entry.finish = choice.finish_reason ?? entry.finish;
      entry.logprobs += choice.logprobs?.content.length ?? 0;
      choices.set(choice.index, entry);
    }
  }
  return { choices, parts };
}

describe('sandbox tools', () => {
  it('calls the tool with arguments valid against its schema, then answers after the tool result', async () => {
    const first = await generate({
      tools: [lookupTool, meetingTool],
      tool_choice: 'auto',
      messages: [{ role: 'user', content: `${ask}. Please book meeting.` }],
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(first.choices[0]?.message.content).toBeNull();
    // The tool the user mentions (`book meeting`) is chosen over the first one.
    expect(call?.function.name).toBe('book_meeting');
    const args = JSON.parse(call?.function.arguments ?? '');
    expect(ajv.validate(meetingTool.function.parameters, args)).toBe(true);

    const again = await generate({
      tools: [lookupTool, meetingTool],
      tool_choice: 'auto',
      messages: [{ role: 'user', content: `${ask}. Please book meeting.` }],
    });
    expect(again.choices[0]?.message.tool_calls?.[0]?.function.arguments).toBe(
      call?.function.arguments,
    );

    const final = await generate({
      tools: [lookupTool, meetingTool],
      messages: [
        { role: 'user', content: ask },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: call?.id, type: 'function', function: call?.function }],
        },
        { role: 'tool', tool_call_id: call?.id, content: '{"booked":true}' },
      ],
    });
    expect(final.choices[0]?.finish_reason).toBe('stop');
    expect(final.choices[0]?.message.content).toMatch(/^Subject: /);
  });

  it('honours tool_choice: required, a named function, and none; refuses non-function tools', async () => {
    const named = await generate({
      tools: [lookupTool, meetingTool],
      tool_choice: { type: 'function', function: { name: 'lookup_company' } },
    });
    expect(named.choices[0]?.message.tool_calls?.[0]?.function).toEqual({
      name: 'lookup_company',
      arguments: '{}',
    });
    const required = await generate({ tools: [meetingTool], tool_choice: 'required' });
    expect(required.choices[0]?.finish_reason).toBe('tool_calls');
    const none = await generate({ tools: [meetingTool], tool_choice: 'none' });
    expect(none.choices[0]?.message.tool_calls).toBeUndefined();
    expect(none.choices[0]?.message.content).toMatch(/^Subject: /);
    expect(
      await rejectionOf(
        sandbox.generate(
          chatRequest({ tools: [{ type: 'custom', custom: { name: 'x' } }] }),
          neverAborted(),
        ),
      ),
    ).toMatchObject({ status: 400, param: 'tools[0]' });
  });

  it('streams a tool call: header first (no empty content delta), then the arguments', async () => {
    const { choices, parts } = await streamed({ tools: [meetingTool], tool_choice: 'required' });
    const first = JSON.parse((parts[0] as { raw: string }).raw);
    expect(first.choices[0].delta).toMatchObject({ role: 'assistant', content: null });
    expect(first.choices[0].delta.tool_calls[0]).toMatchObject({
      index: 0,
      type: 'function',
      function: { name: 'book_meeting', arguments: '' },
    });
    const choice = choices.get(0);
    expect(choice?.finish).toBe('tool_calls');
    expect(ajv.validate(meetingTool.function.parameters, JSON.parse(choice?.args[0] ?? ''))).toBe(
      true,
    );
    expect(parts.filter((part) => part.type === 'tool-call-delta').length).toBeGreaterThan(1);
    expect(lastPart(parts)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
  });
});

describe('sandbox structured output', () => {
  const schema = z.toJSONSchema(
    z.object({
      subject: z.string(),
      body: z.string(),
      first_name: z.string(),
      follow_up_days: z.number().int().min(1).max(14),
      channels: z.array(z.enum(['email', 'linkedin'])).min(1),
    }),
  );
  const format = { type: 'json_schema', json_schema: { name: 'draft', strict: true, schema } };

  it('answers JSON valid against the schema, filled from the prompt, the same every time', async () => {
    const answer = await generate({ response_format: format });
    const content = answer.choices[0]?.message.content ?? '';
    const value = JSON.parse(content);
    expect(ajv.validate(schema, value)).toBe(true);
    expect(value.first_name).toBe('Priya');
    expect(value.body).toContain('Northwind Traders');
    expect((await generate({ response_format: format })).choices[0]?.message.content).toBe(content);

    const { choices } = await streamed({ response_format: format });
    expect(choices.get(0)?.content).toBe(content);
  });

  it('answers json_object with the email as an object', async () => {
    const answer = await generate({ response_format: { type: 'json_object' } });
    expect(JSON.parse(answer.choices[0]?.message.content ?? '')).toMatchObject({
      subject: expect.any(String),
      body: expect.stringContaining('Priya'),
    });
  });
});

describe('sandbox options', () => {
  it('n gives that many different choices, streamed per index', async () => {
    const answer = await generate({ n: 3 });
    const texts = answer.choices.map((choice) => choice.message.content);
    expect(texts).toHaveLength(3);
    expect(new Set(texts).size).toBe(3);
    const { choices } = await streamed({ n: 3 });
    expect([...choices.keys()]).toEqual([0, 1, 2]);
    expect([0, 1, 2].map((index) => choices.get(index)?.content)).toEqual(texts);
  });

  it('stop cuts before the first stop sequence; max_tokens ends with length', async () => {
    const plain = (await generate({ n: 1, stop: 'never-there' })).choices[0]?.message.content ?? '';
    const cut = await generate({ stop: ['\n\n'] });
    expect(cut.choices[0]?.message.content).toBe(plain.slice(0, plain.indexOf('\n\n')));
    expect(cut.choices[0]?.finish_reason).toBe('stop');
    const short = await generate({ stop: ['zzz'], max_completion_tokens: 5 });
    expect(short.choices[0]).toMatchObject({ finish_reason: 'length' });
    expect(short.choices[0]?.message.content).toHaveLength(20);
    const { choices } = await streamed({ stop: ['zzz'], max_tokens: 5 });
    expect(choices.get(0)).toMatchObject({
      finish: 'length',
      content: short.choices[0]?.message.content,
    });
  });

  it('logprobs with top_logprobs are deterministic, one per streamed piece', async () => {
    const answer = await generate({ logprobs: true, top_logprobs: 3 });
    const logprobs = answer.choices[0]?.logprobs?.content ?? [];
    expect(logprobs.map((entry) => entry.token).join('')).toBe(answer.choices[0]?.message.content);
    for (const entry of logprobs) {
      expect(entry.logprob).toBeLessThanOrEqual(0);
      expect(entry.top_logprobs).toHaveLength(3);
    }
    expect((await generate({ logprobs: true, top_logprobs: 3 })).choices[0]?.logprobs).toEqual(
      answer.choices[0]?.logprobs,
    );
    const { choices } = await streamed({ logprobs: true, top_logprobs: 2 });
    expect(choices.get(0)?.logprobs).toBe(logprobs.length);
  });

  it('keeps the plain answer when nothing special is asked (the plain path)', async () => {
    const plain = await sandbox.generate(
      chatRequest({ messages: user }, 'outreach-v1'),
      neverAborted(),
    );
    const withStop = await generate({ stop: 'never-there' });
    expect(withStop.choices[0]?.message.content).toBe(plain.text);
    const parts: ChatStreamPart[] = await collect(
      await sandbox.stream(
        chatRequest({ messages: user, stream: true }, 'outreach-v1'),
        neverAborted(),
      ),
    );
    expect(JSON.parse((parts[0] as { raw: string }).raw).choices[0].delta).toEqual({
      role: 'assistant',
      content: '',
    });
  });
});
