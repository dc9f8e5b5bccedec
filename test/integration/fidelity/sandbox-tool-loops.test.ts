import { createOpenAI } from '@ai-sdk/openai';
import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { tool as langchainTool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { stepCountIs, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunningGateway } from '../../../src/main/index.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * Issue 13, Must show 3: with no keys (the sandbox serves `outreach`), a tool loop completes with
 * the openai SDK's `runTools`, the AI SDK's `streamText` with tools (multi-step) and LangChain's
 * `bindTools`: the sandbox calls the tool with arguments valid for its schema, then answers once
 * the tool's result is in.
 */
const LeadLookup = z.object({
  email: z.email(),
  fields: z.array(z.enum(['title', 'company', 'last_reply'])).min(1),
});
type LeadLookup = z.infer<typeof LeadLookup>;
const leadRecord = { name: 'Priya Raman', company: 'Northwind Traders', title: 'VP Sales' };
const prompt =
  'Look up the lead priya@northwind.example, then write her a short first-touch email.';

let gateway: RunningGateway;
let baseURL: string;

beforeAll(async () => {
  gateway = await startTestGateway({ env: {} });
  baseURL = `${gateway.url}/v1`;
});

afterAll(async () => {
  await gateway?.shutdown();
  await closeSharedPglite();
});

describe('tool loops against the keyless sandbox', () => {
  it('openai SDK: runTools calls the tool, sends its result, and gets the final answer', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL, maxRetries: 0 });
    const calls: LeadLookup[] = [];
    const runner = client.chat.completions.runTools({
      model: 'outreach',
      messages: [{ role: 'user', content: prompt }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'lookup_lead',
            description: 'Find a lead by email',
            parameters: z.toJSONSchema(LeadLookup) as Record<string, unknown>,
            parse: (text: string) => LeadLookup.parse(JSON.parse(text)),
            function: (args: LeadLookup) => {
              calls.push(args);
              return leadRecord;
            },
          },
        },
      ],
    });
    const content = await runner.finalContent();
    expect(calls).toHaveLength(1);
    expect(content).toMatch(/^Subject: /);
    const messages = runner.messages;
    expect(messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
  });

  it('openai SDK: a streamed runTools loop completes too', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL, maxRetries: 0 });
    let called = 0;
    const runner = client.chat.completions.runTools({
      model: 'outreach',
      stream: true,
      messages: [{ role: 'user', content: prompt }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'lookup_lead',
            description: 'Find a lead by email',
            parameters: z.toJSONSchema(LeadLookup) as Record<string, unknown>,
            parse: (text: string) => LeadLookup.parse(JSON.parse(text)),
            function: () => {
              called += 1;
              return leadRecord;
            },
          },
        },
      ],
    });
    expect(await runner.finalContent()).toMatch(/^Subject: /);
    expect(called).toBe(1);
  });

  it('AI SDK: streamText with tools runs the tool step, then the answer step', async () => {
    const provider = createOpenAI({ baseURL, apiKey: 'unused' });
    const inputs: LeadLookup[] = [];
    const result = streamText({
      model: provider.chat('outreach'),
      prompt,
      tools: {
        lookup_lead: tool({
          description: 'Find a lead by email',
          inputSchema: LeadLookup,
          execute: async (input) => {
            inputs.push(input);
            return leadRecord;
          },
        }),
      },
      stopWhen: stepCountIs(4),
      maxRetries: 0,
    });
    const text = await result.text;
    const steps = await result.steps;
    expect(inputs).toHaveLength(1);
    expect(steps.map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);
    expect(text).toMatch(/^Subject: /);
  });

  it('LangChain: bindTools, run the tool call, send the ToolMessage, get the answer', async () => {
    const lookup = langchainTool(
      async (input: LeadLookup) => {
        LeadLookup.parse(input);
        return JSON.stringify(leadRecord);
      },
      { name: 'lookup_lead', description: 'Find a lead by email', schema: LeadLookup },
    );
    const model = new ChatOpenAI({
      model: 'outreach',
      apiKey: 'unused',
      configuration: { baseURL },
      maxRetries: 0,
    }).bindTools([lookup]);
    const messages: BaseMessage[] = [new HumanMessage(prompt)];
    const first = await model.invoke(messages);
    expect(first.tool_calls).toHaveLength(1);
    const call = first.tool_calls?.[0];
    expect(call?.name).toBe('lookup_lead');
    expect(LeadLookup.safeParse(call?.args).success).toBe(true);
    messages.push(first);
    messages.push(
      new ToolMessage({
        content: await lookup.invoke(call?.args as LeadLookup),
        tool_call_id: call?.id ?? '',
      }),
    );
    const final = await model.invoke(messages);
    expect(final).toBeInstanceOf(AIMessage);
    expect(final.tool_calls ?? []).toHaveLength(0);
    expect(String(final.content)).toMatch(/^Subject: /);
  });
});
