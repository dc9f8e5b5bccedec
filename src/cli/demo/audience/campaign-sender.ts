/**
 * The simulated SDR tool: it asks the gateway for one email per lead — route `outreach`, the
 * official `openai` SDK, the lead's id and details in `metadata` — and hands each sent message to
 * the audience, which plans its reactions on the simulated clock. The reactions depend on the model
 * version the gateway chose (`x-rekindle-model-version`), never on anything the demo decides.
 */
import OpenAI from 'openai';
import { forEachConcurrent } from '../concurrency.ts';
import type { Random } from '../random.ts';
import { planReactions, profileFor, type SentMessage, type VariantLift } from './audience-model.ts';
import type { EventQueue } from './event-queue.ts';
import { campaignMessages, makeLead } from './leads.ts';

export interface CampaignSenderOptions {
  readonly gatewayUrl: string;
  readonly apiKey: string;
  readonly random: Random;
  readonly queue: EventQueue;
  readonly lift: VariantLift;
  /** The untrained base model's version: its messages get the baseline's response rates. */
  readonly baseVersion: string;
  readonly now: () => number;
  readonly concurrency?: number;
}

export interface VersionExample {
  readonly modelVersion: string;
  readonly leadIndex: number;
  readonly model: string;
  readonly subject: string | null;
  readonly body: string;
}

const frameworks = ['AIDA', 'PAS', 'BAB'];
const tones = ['friendly', 'direct', 'consultative'];

export class CampaignSender {
  /** Messages sent per model version. */
  readonly sentByVersion = new Map<string, number>();
  /** The message each version wrote to its first lead, for the report. */
  readonly examples = new Map<string, VersionExample>();
  #nextLead = 0;
  readonly #client: OpenAI;

  constructor(private readonly options: CampaignSenderOptions) {
    this.#client = new OpenAI({
      baseURL: `${options.gatewayUrl}/v1`,
      apiKey: options.apiKey,
      // Explicit nulls: the SDK would otherwise read OPENAI_ORG_ID / OPENAI_PROJECT_ID itself.
      organization: null,
      project: null,
      maxRetries: 2,
      timeout: 30_000,
    });
  }

  /** Sends one email to each of `count` new leads; `onSent` after each one. */
  async send(count: number, campaign: string, onSent: () => void): Promise<SentMessage[]> {
    const first = this.#nextLead;
    this.#nextLead += count;
    const sent: SentMessage[] = [];
    const indexes = Array.from({ length: count }, (_, offset) => first + offset);
    await forEachConcurrent(indexes, this.options.concurrency ?? 8, async (index) => {
      sent.push(await this.#sendOne(index, campaign));
      onSent();
    });
    return sent;
  }

  async #sendOne(index: number, campaign: string): Promise<SentMessage> {
    const { random } = this.options;
    const lead = makeLead(random.fork(`lead:${index}`), index);
    const style = random.fork(`style:${index}`);
    const { data, response } = await this.#client.chat.completions
      .create({
        model: 'outreach',
        messages: campaignMessages(lead, campaign),
        metadata: {
          campaign_id: campaign,
          lead_id: lead.id,
          lead_first_name: lead.firstName,
          lead_last_name: lead.lastName,
          lead_company: lead.company,
          lead_email: lead.email,
          framework: style.pick(frameworks),
          tone: style.pick(tones),
        },
      })
      .withResponse();
    const outcomeId = response.headers.get('x-rekindle-outcome-id');
    const modelVersion = response.headers.get('x-rekindle-model-version') ?? 'unknown';
    if (!outcomeId) {
      throw new Error('the gateway did not track the message (no x-rekindle-outcome-id)');
    }
    this.sentByVersion.set(modelVersion, (this.sentByVersion.get(modelVersion) ?? 0) + 1);
    // The lowest lead index per version, so the same seed shows the same example every run.
    if ((this.examples.get(modelVersion)?.leadIndex ?? Number.POSITIVE_INFINITY) > index) {
      this.examples.set(modelVersion, example(modelVersion, index, response.headers, data));
    }
    const message: SentMessage = { outcomeId, lead, sentAt: this.options.now(), modelVersion };
    const profile = profileFor(modelVersion, this.options.baseVersion, this.options.lift);
    this.options.queue.push(planReactions(message, profile, random.fork(`react:${lead.id}`)));
    return message;
  }
}

function example(
  modelVersion: string,
  leadIndex: number,
  headers: Headers,
  completion: OpenAI.Chat.Completions.ChatCompletion,
): VersionExample {
  const text = completion.choices[0]?.message.content ?? '';
  const subject = /^\s*subject:\s*(.+)\r?\n+/i.exec(text);
  return {
    modelVersion,
    leadIndex,
    model: headers.get('x-rekindle-model') ?? completion.model,
    subject: subject?.[1]?.trim() ?? null,
    body: subject ? text.slice(subject[0].length) : text,
  };
}
