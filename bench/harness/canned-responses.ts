/**
 * What every target is asked and what the fixed upstream answers. The request looks like an outreach
 * call (system + user message, metadata); the answers are a `chat.completion` with usage and an SSE
 * stream of content chunks, a finish chunk, a usage chunk and `data: [DONE]`.
 */
export const benchModel = 'bench-model-a';
export const variantModel = 'bench-model-b';

export function chatRequestBody(stream: boolean): string {
  return JSON.stringify({
    model: 'outreach',
    messages: [
      { role: 'system', content: 'You write short, friendly B2B sales follow-up emails.' },
      {
        role: 'user',
        content:
          'Write a follow-up to Ada Lovelace, CTO at Acme Analytics, about last week’s demo of our pipeline tool.',
      },
    ],
    max_tokens: 200,
    temperature: 0.7,
    metadata: { campaign_id: 'bench-campaign', framework: 'AIDA', tone: 'friendly' },
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}

/** The same outreach call as a Responses request (`POST /v1/responses`), the AI SDK's default. */
export function responsesRequestBody(stream: boolean): string {
  return JSON.stringify({
    model: 'outreach',
    instructions: 'You write short, friendly B2B sales follow-up emails.',
    input:
      'Write a follow-up to Ada Lovelace, CTO at Acme Analytics, about last week’s demo of our pipeline tool.',
    max_output_tokens: 200,
    temperature: 0.7,
    store: false,
    metadata: { campaign_id: 'bench-campaign', framework: 'AIDA', tone: 'friendly' },
    ...(stream ? { stream: true } : {}),
  });
}

const created = 1_767_225_600;
const completionText =
  'Subject: Following up on the Acme demo\n\nHi Ada,\n\nThanks again for your time last week. Happy to set up a pilot whenever suits you.\n\nBest,\nSam';

export const cannedCompletion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created,
  model: benchModel,
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: completionText, refusal: null },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 52, completion_tokens: 38, total_tokens: 90 },
  system_fingerprint: 'fp_bench',
});

function chunk(delta: Record<string, unknown>, finishReason: string | null): string {
  return JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created,
    model: benchModel,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
}

const streamFrames = [
  chunk({ role: 'assistant', content: '' }, null),
  ...(completionText.match(/.{1,24}/gs) ?? []).map((piece) => chunk({ content: piece }, null)),
  chunk({}, 'stop'),
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created,
    model: benchModel,
    choices: [],
    usage: { prompt_tokens: 52, completion_tokens: 38, total_tokens: 90 },
  }),
  '[DONE]',
];

export const cannedStream = streamFrames.map((frame) => `data: ${frame}\n\n`).join('');
