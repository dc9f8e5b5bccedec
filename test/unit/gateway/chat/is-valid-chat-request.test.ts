import { describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema } from '../../../../src/gateway/chat/chat-completion-request.ts';
import { isValidChatRequest } from '../../../../src/gateway/chat/is-valid-chat-request.ts';
import { parseChatCompletionRequest } from '../../../../src/gateway/chat/parse-chat-completion-request.ts';

const base = {
  model: 'outreach',
  messages: [
    { role: 'system', content: 'You write emails.' },
    { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function' }] },
  ],
  stream: false,
  stream_options: { include_usage: true },
  metadata: { lead_id: 'lead-1', score: 0.4, vip: true, none: null },
  tools: [{ type: 'function', function: { name: 'lookup' } }],
  max_tokens: 200,
  max_completion_tokens: null,
  temperature: 0.7,
  top_p: 1,
  n: 1,
  seed: 42,
  response_format: { type: 'json_object' },
};

const valid: unknown[] = [
  base,
  { model: 'm', messages: [{ role: 'user' }] },
  { model: 'm', messages: [{ role: 'tool', content: 'x', tool_call_id: 't' }], stream: null },
  { model: 'm', messages: [{ role: 'developer', content: '' }], temperature: 0, top_p: 0, n: 128 },
  { model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 2, stream: true },
  { model: 'm', messages: [{ role: 'user', content: 'x' }], metadata: {}, tools: [] },
];

const invalid: unknown[] = [
  null,
  [],
  'text',
  {},
  { model: '', messages: [{ role: 'user' }] },
  { model: 1, messages: [{ role: 'user' }] },
  { model: 'm', messages: [] },
  { model: 'm', messages: {} },
  { model: 'm', messages: [{ role: 'robot' }] },
  { model: 'm', messages: [{ role: 'user', content: 5 }] },
  { model: 'm', messages: [{ role: 'user', content: [{ text: 'no type' }] }] },
  { model: 'm', messages: [null] },
  { model: 'm', messages: [{ role: 'user' }], stream: 'yes' },
  { model: 'm', messages: [{ role: 'user' }], stream_options: { include_usage: 'yes' } },
  { model: 'm', messages: [{ role: 'user' }], stream_options: { include_usage: null } },
  { model: 'm', messages: [{ role: 'user' }], stream_options: [] },
  { model: 'm', messages: [{ role: 'user' }], metadata: { nested: { a: 1 } } },
  { model: 'm', messages: [{ role: 'user' }], metadata: [] },
  { model: 'm', messages: [{ role: 'user' }], tools: [{}] },
  { model: 'm', messages: [{ role: 'user' }], tools: {} },
  { model: 'm', messages: [{ role: 'user' }], max_tokens: 0 },
  { model: 'm', messages: [{ role: 'user' }], max_tokens: 1.5 },
  { model: 'm', messages: [{ role: 'user' }], max_completion_tokens: -3 },
  { model: 'm', messages: [{ role: 'user' }], temperature: 2.01 },
  { model: 'm', messages: [{ role: 'user' }], temperature: '1' },
  { model: 'm', messages: [{ role: 'user' }], top_p: 1.5 },
  { model: 'm', messages: [{ role: 'user' }], n: 0 },
  { model: 'm', messages: [{ role: 'user' }], n: 129 },
  { model: 'm', messages: [{ role: 'user' }], n: 2.5 },
];

/** Small deterministic PRNG so the fuzz cases are the same on every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const pool: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'user',
  'function',
  0,
  -1,
  1,
  1.5,
  2,
  2.5,
  128,
  129,
  1e20,
  true,
  false,
  [],
  [{}],
  [{ type: 'text' }],
  [{ role: 'user' }],
  {},
  { type: 'x' },
  { include_usage: false },
  { a: 'b' },
  { a: { b: 1 } },
];

const paths: string[][] = [
  ['model'],
  ['messages'],
  ['messages', '0'],
  ['messages', '0', 'role'],
  ['messages', '1', 'content'],
  ['messages', '1', 'content', '0'],
  ['messages', '1', 'content', '0', 'type'],
  ['stream'],
  ['stream_options'],
  ['stream_options', 'include_usage'],
  ['metadata'],
  ['metadata', 'lead_id'],
  ['tools'],
  ['tools', '0'],
  ['tools', '0', 'type'],
  ['max_tokens'],
  ['max_completion_tokens'],
  ['temperature'],
  ['top_p'],
  ['n'],
];

function mutate(next: () => number): unknown {
  const body = structuredClone(base) as Record<string, unknown>;
  const changes = 1 + Math.floor(next() * 3);
  for (let change = 0; change < changes; change++) {
    const path = paths[Math.floor(next() * paths.length)] as string[];
    const value = structuredClone(pool[Math.floor(next() * pool.length)]);
    let target: Record<string, unknown> | undefined = body;
    for (const key of path.slice(0, -1)) {
      const child: unknown = target?.[key];
      target =
        typeof child === 'object' && child !== null
          ? (child as Record<string, unknown>)
          : undefined;
    }
    if (target) {
      const last = path[path.length - 1] as string;
      if (value === undefined) {
        delete target[last];
      } else {
        target[last] = value;
      }
    }
  }
  return body;
}

describe('isValidChatRequest', () => {
  it('accepts the bodies the schema accepts on the hot path', () => {
    for (const body of valid) {
      expect(chatCompletionRequestSchema.safeParse(body).success).toBe(true);
      expect(isValidChatRequest(body)).toBe(true);
    }
  });

  it('never accepts a body the schema refuses', () => {
    for (const body of invalid) {
      expect(chatCompletionRequestSchema.safeParse(body).success).toBe(false);
      expect(isValidChatRequest(body)).toBe(false);
    }
  });

  it('agrees with the schema over 5,000 mutated bodies', () => {
    const next = random(8);
    let acceptedByBoth = 0;
    let refusedByBoth = 0;

    for (let index = 0; index < 5_000; index++) {
      const body = mutate(next);
      const schema = chatCompletionRequestSchema.safeParse(body).success;
      const fast = isValidChatRequest(body);
      // Looser would forward bodies the schema refuses; stricter would only cost the slow path.
      // Over these cases the two agree exactly.
      expect(fast, JSON.stringify(body)).toBe(schema);
      acceptedByBoth += fast && schema ? 1 : 0;
      refusedByBoth += !fast && !schema ? 1 : 0;
    }
    // Both sides are exercised, and the fast check is not just refusing everything.
    expect(acceptedByBoth).toBeGreaterThan(300);
    expect(refusedByBoth).toBeGreaterThan(300);
  });

  it('parses to what the schema would return, and words errors as the schema does', () => {
    for (const body of valid) {
      expect(parseChatCompletionRequest(JSON.stringify(body))).toEqual(
        chatCompletionRequestSchema.parse(body),
      );
    }
    expect(() => parseChatCompletionRequest('{"model":"m","messages":[],"n":0}')).toThrow(
      "Invalid 'messages': Too small: expected array to have >=1 items",
    );
  });
});
