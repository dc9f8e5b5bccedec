import { describe, expect, it } from 'vitest';
import type { ChatStreamPart } from '../../../../src/providers/chat-model.ts';
import { ProviderError } from '../../../../src/providers/index.ts';
import {
  createSandboxProvider,
  findOutreachFacts,
} from '../../../../src/providers/sandbox/index.ts';
import {
  chatRequest,
  collect,
  lastPart,
  neverAborted,
  rejectionOf,
  textOf,
} from '../stream-helpers.ts';

const prompt = (content: string) =>
  chatRequest(
    {
      messages: [
        { role: 'system', content: 'You are an SDR writing cold emails.' },
        { role: 'user', content },
      ],
    },
    'outreach-v1',
  );

describe('sandbox provider', () => {
  it('answers as sandbox/<model> with outreach text built from the names and company in the prompt', async () => {
    const sandbox = createSandboxProvider();
    const result = await sandbox.generate(
      prompt(
        'Write a first-touch email. Name: Priya Raman. Company: Northwind Traders. Title: VP Sales. Sender: Jordan',
      ),
      neverAborted(),
    );
    expect(result.upstreamModel).toBe('sandbox/outreach-v1');
    expect(result.text).toMatch(/^Subject: /);
    expect(result.text).toContain('Hi Priya,');
    expect(result.text).toContain('Jordan');
    expect(result.text).toContain('Northwind Traders');
    expect(result.text).not.toContain('Northwind Traders. Title');
    expect(result.finishReason).toBe('stop');
    const body = JSON.parse(result.body);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'sandbox/outreach-v1',
      choices: [{ message: { role: 'assistant', content: result.text }, finish_reason: 'stop' }],
    });
    expect(result.usage.completionTokens).toBe(Math.ceil(result.text.length / 4));
    expect(result.usage.promptTokens).toBeGreaterThan(10);
    expect(body.usage.total_tokens).toBe(
      (result.usage.promptTokens ?? 0) + (result.usage.completionTokens ?? 0),
    );
  });

  it('finds facts the way outreach prompts state them', () => {
    expect(
      findOutreachFacts('Write an email to Sam Lee at Globex Corporation about onboarding.'),
    ).toMatchObject({ firstName: 'Sam', company: 'Globex Corporation' });
    expect(findOutreachFacts('lead: Maria\ncompany_name: Initech\nrole: Head of Ops')).toEqual({
      firstName: 'Maria',
      company: 'Initech',
      role: 'Head of Ops',
      sender: undefined,
    });
    expect(findOutreachFacts('Company: Acme Corp. Title: CTO. My name is Dana')).toEqual({
      firstName: undefined,
      company: 'Acme Corp',
      role: 'CTO',
      sender: 'Dana',
    });
    expect(findOutreachFacts('no facts here')).toEqual({
      firstName: undefined,
      company: undefined,
      role: undefined,
      sender: undefined,
    });
  });

  it('is deterministic: same prompt, same text; other prompts vary', async () => {
    const sandbox = createSandboxProvider();
    const first = await sandbox.generate(prompt('Name: Ada. Company: Acme.'), neverAborted());
    const again = await createSandboxProvider().generate(
      prompt('Name: Ada. Company: Acme.'),
      neverAborted(),
    );
    expect(again.text).toBe(first.text);
    const texts = new Set<string>();
    for (let index = 0; index < 12; index++) {
      texts.add(
        (
          await sandbox.generate(
            prompt(`Name: Ada. Company: Acme. Campaign ${index}.`),
            neverAborted(),
          )
        ).text,
      );
    }
    expect(texts.size).toBeGreaterThan(6);
  });

  it('streams the same text as word chunks in the OpenAI chunk format, with usage and finish', async () => {
    const sandbox = createSandboxProvider();
    const request = prompt('Name: Lin. Company: Umbrella.');
    const expected = (await sandbox.generate(request, neverAborted())).text;
    const parts = await collect(
      await sandbox.stream({ ...request, body: { ...request.body, stream: true } }, neverAborted()),
    );
    expect(textOf(parts)).toBe(expected);
    expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(10);
    for (const part of parts) {
      if ('raw' in part) {
        expect(JSON.parse(part.raw)).toMatchObject({
          object: 'chat.completion.chunk',
          model: 'sandbox/outreach-v1',
        });
      }
      if (part.type === 'text-delta') {
        expect(JSON.parse(part.raw).choices[0].delta.content).toBe(part.delta);
      }
    }
    expect(parts.map((part) => part.type).slice(-3)).toEqual(['chunk', 'usage', 'finish']);
    const usage = parts[parts.length - 2] as Extract<ChatStreamPart, { type: 'usage' }>;
    expect(JSON.parse(usage.raw).choices).toEqual([]);
    expect(lastPart(parts)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      upstreamModel: 'sandbox/outreach-v1',
    });
  });

  it('stops at max_tokens with finish reason length', async () => {
    const result = await createSandboxProvider().generate(
      { ...prompt('Name: Ada.'), body: { ...prompt('Name: Ada.').body, max_tokens: 10 } },
      neverAborted(),
    );
    expect(result.finishReason).toBe('length');
    expect(result.text.length).toBe(40);
  });

  it('waits the configured latency before answering (and before the first token)', async () => {
    const sandbox = createSandboxProvider({ latencyMs: 80 });
    const started = performance.now();
    const result = await sandbox.generate(prompt('Name: Ada.'), neverAborted());
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(result.upstreamLatencyMs).toBeGreaterThanOrEqual(75);
    const parts = await collect(await sandbox.stream(prompt('Name: Ada.'), neverAborted()));
    const finish = lastPart(parts);
    expect(finish.type === 'finish' && (finish.timeToFirstTokenMs ?? 0) >= 75).toBe(true);
  });

  it('fails the configured share of calls with a retryable 503, using the injected random source', async () => {
    const draws = [0.05, 0.5, 0.29, 0.3, 0.99];
    const sandbox = createSandboxProvider({ errorRate: 0.3, random: () => draws.shift() ?? 1 });
    const outcomes: string[] = [];
    for (let index = 0; index < 5; index++) {
      try {
        await sandbox.generate(prompt('Name: Ada.'), neverAborted());
        outcomes.push('ok');
      } catch (error) {
        expect(error).toBeInstanceOf(ProviderError);
        expect(error).toMatchObject({ status: 503, isRetryable: true, kind: 'upstream' });
        outcomes.push('503');
      }
    }
    expect(outcomes).toEqual(['503', 'ok', '503', 'ok', 'ok']);
    const streaming = createSandboxProvider({ errorRate: 1, random: () => 0.5 });
    expect(await rejectionOf(streaming.stream(prompt('x'), neverAborted()))).toMatchObject({
      status: 503,
    });
  });

  it('an abort during the simulated latency fails with kind aborted', async () => {
    const sandbox = createSandboxProvider({ latencyMs: 5_000 });
    const controller = new AbortController();
    const pending = sandbox.generate(prompt('Name: Ada.'), controller.signal);
    setTimeout(() => controller.abort(), 10);
    expect(await rejectionOf(pending)).toMatchObject({ kind: 'aborted' });
  });
});
