import { z } from 'zod';
import {
  columnId,
  columnNumber,
  idString,
  maxIdLength,
  storableString,
} from '../input/column-bounds.ts';
import { rfc3339Instant } from '../input/instant.ts';

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
  campaign_id: columnId('outcome_labels', 'campaign_id').nullish(),
  lead_id: columnId('outcome_labels', 'lead_id'),
  channel: idString(64).default('email'),
  message_body: z.string().min(1).max(100_000),
  subject_line: optionalText,
  agent_decisions: z.record(z.string(), z.unknown()).nullish(),
  prompt_messages: z.array(z.record(z.string(), z.unknown())).nullish(),
  model_id: idString(maxIdLength).nullish(),
  model_version: columnId('outcome_labels', 'model_version').nullish(),
  variant: storableString(maxIdLength).nullish(),
  provider: idString(64).nullish(),
  route: columnId('outcome_labels', 'route').nullish(),
  framework: storableString(128).nullish(),
  tone: storableString(128).nullish(),
  lead_data: z.record(z.string(), z.unknown()).nullish(),
  cost_usd: columnNumber('outcome_labels', 'cost_usd').nonnegative().nullish(),
  latency_ms: columnNumber('outcome_labels', 'latency_ms').nonnegative().nullish(),
  sg_message_id: z.string().trim().pipe(columnId('outcome_labels', 'sg_message_id')).nullish(),
});

export type MessageSentInput = z.input<typeof messageSentSchema>;

const sentimentLabels = ['positive', 'neutral', 'negative'] as const;
export type SentimentLabel = (typeof sentimentLabels)[number];

export const replySchema = z.object({
  reply_text: z.string().min(1).max(100_000),
  sentiment_score: z.number().min(0).max(1).nullish(),
  sentiment_label: z.enum(sentimentLabels).nullish(),
  interest_signal: storableString(256).nullish(),
  replied_at: rfc3339Instant.nullish(),
});

export type ReplyInput = z.input<typeof replySchema>;

export const meetingSchema = z.object({
  meeting_time: rfc3339Instant,
  booked_at: rfc3339Instant.nullish(),
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
    .pipe(columnNumber('outcome_labels', 'deal_value').nonnegative()),
  deal_id: columnId('outcome_labels', 'deal_id').nullish(),
  closed_at: rfc3339Instant.nullish(),
});

export type DealInput = z.input<typeof dealSchema>;
