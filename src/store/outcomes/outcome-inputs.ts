import { z } from 'zod';

/**
 * Bodies of the tracking API (the seed's names), shared by the HTTP routes and OutcomeTracker.
 * POST /v1/outcomes, /v1/outcomes/{id}/reply, /meeting, /deal.
 */
const optionalText = z.string().max(100_000).nullish();

/**
 * POST /v1/outcomes. Without `route` / `model_version`, the store fills them (and `model_id`,
 * `provider`) from the registry row of the given version or model id, else the route is
 * `outreach` (`record_message_sent`). `sg_message_id` is SendGrid's `X-Message-Id` of the sent
 * mail: SendGrid events without the `rekindle_outcome_id` custom arg find the outcome through it.
 */
export const messageSentSchema = z.object({
  campaign_id: z.string().max(256).nullish(),
  lead_id: z.string().min(1).max(256),
  channel: z.string().min(1).max(64).default('email'),
  message_body: z.string().min(1).max(100_000),
  subject_line: optionalText,
  agent_decisions: z.record(z.string(), z.unknown()).nullish(),
  prompt_messages: z.array(z.record(z.string(), z.unknown())).nullish(),
  model_id: z.string().max(256).nullish(),
  model_version: z.string().max(256).nullish(),
  variant: z.string().max(256).nullish(),
  provider: z.string().max(64).nullish(),
  route: z.string().max(128).nullish(),
  framework: z.string().max(128).nullish(),
  tone: z.string().max(128).nullish(),
  lead_data: z.record(z.string(), z.unknown()).nullish(),
  cost_usd: z.number().nonnegative().nullish(),
  latency_ms: z.number().int().nonnegative().nullish(),
  sg_message_id: z.string().trim().min(1).max(500).nullish(),
});

export type MessageSentInput = z.input<typeof messageSentSchema>;

const sentimentLabels = ['positive', 'neutral', 'negative'] as const;
export type SentimentLabel = (typeof sentimentLabels)[number];

export const replySchema = z.object({
  reply_text: z.string().min(1).max(100_000),
  sentiment_score: z.number().min(0).max(1).nullish(),
  sentiment_label: z.enum(sentimentLabels).nullish(),
  interest_signal: z.string().max(256).nullish(),
  replied_at: z.iso.datetime({ offset: true, local: true }).nullish(),
});

export type ReplyInput = z.input<typeof replySchema>;

export const meetingSchema = z.object({
  meeting_time: z.iso.datetime({ offset: true, local: true }),
  booked_at: z.iso.datetime({ offset: true, local: true }).nullish(),
});

export type MeetingInput = z.input<typeof meetingSchema>;

export const dealSchema = z.object({
  deal_value: z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d+(\.\d+)?$/)
        .transform(Number),
    ])
    .pipe(z.number().nonnegative().max(1e12)),
  deal_id: z.string().max(256).nullish(),
  closed_at: z.iso.datetime({ offset: true, local: true }).nullish(),
});

export type DealInput = z.input<typeof dealSchema>;
