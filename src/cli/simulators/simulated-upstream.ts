/**
 * The demo's vendor: the OpenAI chat simulator (also Together's OpenAI-compatible chat) with the
 * vendor's fine-tuning routes on the same base URL, a key it insists on, and models that write
 * outreach emails. What a model writes depends on the model, so the report can show how a version
 * writes: the base model the sandbox's long generic email, a fine-tuned OpenAI model (`ft:…`) a
 * short one on the lead's signal and pain, a fine-tuned Together model a question-led one.
 * Fine-tuning jobs stay `running` a few polls, as real ones stay a while.
 */
import { findOutreachFacts, type WritingStyle, writeOutreachEmail } from '../../providers/index.ts';
import { lastUserText } from './chat-text.ts';
import { startOpenAIChatSimulator } from './openai-chat-simulator.ts';
import { createOpenAIFineTuningRoutes } from './openai-fine-tuning-routes.ts';
import { createTogetherFineTuningRoutes } from './together-fine-tuning-routes.ts';

type SimulatedVendor = 'openai' | 'together';

export interface SimulatedUpstream {
  readonly vendor: SimulatedVendor;
  /** Base URL with `/v1`, for `OPENAI_BASE_URL` / `TOGETHER_BASE_URL`. */
  readonly url: string;
  readonly apiKey: string;
  /** Chat completions served, per model. */
  readonly completions: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

export interface SimulatedUpstreamOptions {
  vendor: SimulatedVendor;
  apiKey: string;
  /** Account name in fine-tuned model ids (`ft:…:<organization>:…`, `<organization>/…`). */
  organization: string;
  seed: string;
  now: () => number;
}

const models = ['gpt-4o-mini', 'gpt-4o', 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference'];

/** Fine-tuned OpenAI models write concisely, our Together fine-tunes lead with a question. */
function writingStyleOf(model: string): WritingStyle {
  if (model.startsWith('ft:')) {
    return 'concise';
  }
  return model.includes('/') && model.includes('rekindle') ? 'question' : 'generic';
}

/**
 * The email a simulated model writes, from the user's turn only: the system turn names the sender's
 * own company ("an SDR at Northwind Analytics"), which would pass for the lead's.
 */
function writeSimulatedOutreach(model: string, messages: unknown): string {
  const request = lastUserText(messages);
  return writeOutreachEmail(request, findOutreachFacts(request), writingStyleOf(model));
}

export async function startSimulatedUpstream(
  options: SimulatedUpstreamOptions,
): Promise<SimulatedUpstream> {
  const { vendor, apiKey, organization } = options;
  const routeOptions = {
    apiKey,
    organization,
    seed: `${vendor}:${options.seed}`,
    clock: options.now,
    runningPolls: vendor === 'openai' ? 4 : 3,
  };
  const fineTuning =
    vendor === 'openai'
      ? createOpenAIFineTuningRoutes(routeOptions)
      : createTogetherFineTuningRoutes(routeOptions);
  const chat = await startOpenAIChatSimulator({
    style: vendor,
    apiKey,
    models,
    routes: [fineTuning.handle],
    answerText: writeSimulatedOutreach,
    recordRequests: false,
  });
  return { vendor, url: chat.url, apiKey, completions: chat.completions, close: chat.close };
}
