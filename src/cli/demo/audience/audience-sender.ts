/**
 * Delivers the audience's reactions to the gateway the way the real senders would: SendGrid events
 * in signed batches to `/webhooks/sendgrid` (custom arg `rekindle_outcome_id`), replies through the
 * tracking API `POST /v1/outcomes/{id}/reply` (the gateway classifies their sentiment), meetings and
 * deals as signed CRM events to `/webhooks/crm`. Each event carries its own time; signatures carry
 * the moment of delivery, on the simulated clock.
 */
import { forEachConcurrent } from '../concurrency.ts';
import type { AudienceEvent } from './audience-model.ts';
import { sendGridHeaders, standardWebhookHeaders, type WebhookKeys } from './webhook-signing.ts';

export interface DeliveryCounts {
  sendgrid: number;
  replies: number;
  crm: number;
}

export interface AudienceSenderOptions {
  readonly gatewayUrl: string;
  /** The campaign tool's API key (the tracking API wants a tenant key). */
  readonly apiKey: string;
  readonly keys: WebhookKeys;
  readonly now: () => number;
}

const sendGridBatch = 500;
const crmBatch = 500;

export class AudienceSender {
  readonly delivered: DeliveryCounts = { sendgrid: 0, replies: 0, crm: 0 };
  #webhookSequence = 0;

  constructor(private readonly options: AudienceSenderOptions) {}

  async deliver(events: readonly AudienceEvent[]): Promise<void> {
    const sendGrid = events.filter((event) => event.kind === 'sendgrid');
    const replies = events.filter((event) => event.kind === 'reply');
    const crm = events.filter((event) => event.kind === 'meeting' || event.kind === 'deal');
    for (let start = 0; start < sendGrid.length; start += sendGridBatch) {
      await this.#postSendGrid(sendGrid.slice(start, start + sendGridBatch));
    }
    await forEachConcurrent(replies, 8, (reply) => this.#postReply(reply));
    for (let start = 0; start < crm.length; start += crmBatch) {
      await this.#postCrm(crm.slice(start, start + crmBatch));
    }
  }

  async #postSendGrid(events: ReadonlyArray<Extract<AudienceEvent, { kind: 'sendgrid' }>>) {
    const body = JSON.stringify(
      events.map((event) => ({
        email: event.lead.email,
        timestamp: Math.floor(event.at / 1000),
        event: event.event,
        sg_event_id: `sg-${event.outcomeId}-${event.event}`,
        sg_message_id: `msg-${event.outcomeId}.filter0001`,
        rekindle_outcome_id: event.outcomeId,
        ...(event.event === 'bounce'
          ? { type: 'bounce', reason: '550 5.1.1 mailbox unknown' }
          : {}),
        ...(event.event === 'click' ? { url: 'https://northwind.example/case-study' } : {}),
      })),
    );
    const headers = sendGridHeaders(this.options.keys.sendGridPrivateKey, body, this.#seconds());
    await this.#post('/webhooks/sendgrid', body, headers);
    this.delivered.sendgrid += events.length;
  }

  async #postReply(event: Extract<AudienceEvent, { kind: 'reply' }>) {
    const body = JSON.stringify({
      reply_text: event.text,
      replied_at: new Date(event.at).toISOString(),
    });
    await this.#post(`/v1/outcomes/${event.outcomeId}/reply`, body, {
      authorization: `Bearer ${this.options.apiKey}`,
    });
    this.delivered.replies += 1;
  }

  async #postCrm(events: ReadonlyArray<Extract<AudienceEvent, { kind: 'meeting' | 'deal' }>>) {
    const body = JSON.stringify(
      events.map((event) =>
        event.kind === 'meeting'
          ? {
              event: 'meeting.booked',
              outcome_id: event.outcomeId,
              meeting_time: new Date(event.meetingTime).toISOString(),
              occurred_at: new Date(event.at).toISOString(),
            }
          : {
              event: 'deal.closed',
              outcome_id: event.outcomeId,
              deal_id: event.dealId,
              status: 'closed_won',
              amount: event.amount,
              occurred_at: new Date(event.at).toISOString(),
            },
      ),
    );
    this.#webhookSequence += 1;
    const webhookId = `msg_demo_${this.#webhookSequence}`;
    const headers = standardWebhookHeaders(
      this.options.keys.crmSecret,
      webhookId,
      body,
      this.#seconds(),
    );
    await this.#post('/webhooks/crm', body, headers);
    this.delivered.crm += events.length;
  }

  #seconds(): number {
    return Math.floor(this.options.now() / 1000);
  }

  async #post(path: string, body: string, headers: Record<string, string>): Promise<void> {
    const response = await fetch(`${this.options.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`POST ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    }
  }
}
