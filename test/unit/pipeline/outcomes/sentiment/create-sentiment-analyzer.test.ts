import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClassifyReply,
  createSentimentAnalyzer,
  type SentimentFallbackReason,
} from '../../../../../src/pipeline/outcomes/sentiment/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../../../fakes/openai-fake.ts';

/**
 * The LLM path against a real HTTP server speaking OpenAI's Chat Completions wire format; `classify`
 * is what the gateway does with its own router: POST the messages, return the message content.
 */
let fake: OpenAIFake;

function classifyOver(baseUrl: string): ClassifyReply {
  return async (messages, { signal }) => {
    const response = await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages,
        temperature: 0,
        response_format: { type: 'json_object' },
      }),
      signal,
    });
    if (!response.ok) {
      throw new Error(`upstream answered ${response.status}`);
    }
    const completion = (await response.json()) as {
      choices: { message: { content: string } }[];
    };
    return completion.choices[0]?.message.content ?? '';
  };
}

function analyzerWithLog(timeoutMs = 2000) {
  const fallbacks: SentimentFallbackReason[] = [];
  const analyzer = createSentimentAnalyzer({
    classify: classifyOver(fake.url),
    timeoutMs,
    onFallback: (reason) => fallbacks.push(reason),
  });
  return { analyzer, fallbacks };
}

beforeAll(async () => {
  fake = await startOpenAIFake();
});

afterAll(async () => {
  await fake.close();
});

describe('createSentimentAnalyzer with a model', () => {
  it("uses the model's validated JSON answer and sends the reply and original message", async () => {
    fake.enqueue({
      kind: 'answer',
      content:
        '{"sentiment_score":0.92,"sentiment_label":"positive","interest_signal":"interested","reason":"asks for a call"}',
    });
    const { analyzer, fallbacks } = analyzerWithLog();
    const before = fake.chatRequests().length;
    const result = await analyzer.analyzeReply(
      'Sounds good, Tuesday?',
      'Hi Ana, worth a call next week?',
    );
    expect(result).toEqual({
      sentiment_score: 0.92,
      sentiment_label: 'positive',
      interest_signal: 'interested',
      source: 'llm',
    });
    expect(fallbacks).toEqual([]);
    const sent = fake.chatRequests()[before]?.body as {
      messages: { role: string; content: string }[];
    };
    expect(sent.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(sent.messages[0]?.content).toContain('"interest_signal"');
    expect(sent.messages[1]?.content).toContain('Sounds good, Tuesday?');
    expect(sent.messages[1]?.content).toContain('Hi Ana, worth a call next week?');
  });

  it('accepts an answer wrapped in a code fence', async () => {
    fake.enqueue({
      kind: 'answer',
      content:
        'Here you go:\n```json\n{"sentiment_score":0.1,"sentiment_label":"negative","interest_signal":"unsubscribe"}\n```',
    });
    const { analyzer } = analyzerWithLog();
    expect(await analyzer.analyzeReply('take me off your list')).toMatchObject({
      interest_signal: 'unsubscribe',
      source: 'llm',
    });
  });

  it('falls back to the local classifier on an invalid answer', async () => {
    fake.enqueue(
      { kind: 'answer', content: 'The reply seems positive.' },
      {
        kind: 'answer',
        content:
          '{"sentiment_score":7,"sentiment_label":"positive","interest_signal":"interested"}',
      },
      {
        kind: 'answer',
        content: '{"sentiment_score":0.5,"sentiment_label":"meh","interest_signal":"interested"}',
      },
    );
    const { analyzer, fallbacks } = analyzerWithLog();
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await analyzer.analyzeReply('Please remove me from your mailing list.')).toMatchObject(
        {
          interest_signal: 'unsubscribe',
          source: 'local',
        },
      );
    }
    expect(fallbacks).toEqual(['invalid_output', 'invalid_output', 'invalid_output']);
  });

  it('falls back on an upstream error', async () => {
    fake.enqueue({ kind: 'status', status: 500 });
    const { analyzer, fallbacks } = analyzerWithLog();
    const result = await analyzer.analyzeReply('How much does it cost for ten seats?');
    expect(result).toMatchObject({ interest_signal: 'question', source: 'local' });
    expect(fallbacks).toEqual(['error']);
  });

  it('falls back on a timeout and aborts the upstream call', async () => {
    fake.enqueue({ kind: 'hang' });
    const { analyzer, fallbacks } = analyzerWithLog(150);
    const before = fake.chatRequests().length;
    const startedAt = Date.now();
    const result = await analyzer.analyzeReply('I am out of the office until Monday.');
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(result).toMatchObject({ interest_signal: 'out_of_office', source: 'local' });
    expect(fallbacks).toEqual(['timeout']);
    const hung = fake.chatRequests()[before];
    const disconnected = await Promise.race([
      hung?.clientDisconnected.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000)),
    ]);
    expect(disconnected).toBe(true);
  });
});

describe('createSentimentAnalyzer without a model', () => {
  it('classifies locally', async () => {
    const analyzer = createSentimentAnalyzer();
    expect(await analyzer.analyzeReply("Let's set up a call next week.")).toMatchObject({
      interest_signal: 'interested',
      sentiment_label: 'positive',
      source: 'local',
    });
  });

  it('refuses a non-positive timeout', () => {
    expect(() => createSentimentAnalyzer({ timeoutMs: 0 })).toThrow(RangeError);
  });
});
