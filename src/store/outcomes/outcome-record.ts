import { z } from 'zod';

/**
 * An outcome_labels row as the store functions return it (to_jsonb of the row: numerics as JSON
 * numbers, timestamps as ISO strings). Validated loosely — the fields code relies on — so columns
 * added by later migrations pass through.
 */
export const outcomeRecordSchema = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    campaign_id: z.string().nullable(),
    lead_id: z.string().nullable(),
    channel: z.string(),
    route: z.string().nullable(),
    message_body: z.string().nullable(),
    subject_line: z.string().nullable(),
    agent_decisions: z.record(z.string(), z.unknown()),
    framework: z.string().nullable(),
    tone: z.string().nullable(),
    model_id: z.string().nullable(),
    model_version: z.string().nullable(),
    variant: z.string().nullable(),
    provider: z.string().nullable(),
    request_id: z.string().nullable(),
    prompt_messages: z.unknown(),
    lead_data: z.record(z.string(), z.unknown()),
    delivered: z.boolean(),
    opened: z.boolean(),
    clicked: z.boolean(),
    bounced: z.boolean(),
    spam_reported: z.boolean(),
    unsubscribed: z.boolean(),
    replied: z.boolean(),
    reply_text: z.string().nullable(),
    reply_sentiment_score: z.number().nullable(),
    reply_sentiment_label: z.string().nullable(),
    interest_signal: z.string().nullable(),
    meeting_booked: z.boolean(),
    meeting_time: z.string().nullable(),
    deal_closed: z.boolean(),
    deal_value: z.number().nullable(),
    quality_score: z.number().nullable(),
    cost_usd: z.number().nullable(),
    latency_ms: z.number().nullable(),
    prompt_tokens: z.number().nullable(),
    completion_tokens: z.number().nullable(),
    sg_message_id: z.string().nullish(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .loose();

export type OutcomeRecord = z.infer<typeof outcomeRecordSchema>;

/**
 * What the gateway knows about a generated message at request time: one row for track_messages.
 * `id` is minted up front (UUIDv7) so it can be returned in x-rekindle-outcome-id before the row
 * is written; `organization_id` comes from the API key.
 */
export interface TrackedMessageRow {
  id: string;
  organization_id: string;
  campaign_id?: string | null;
  lead_id?: string | null;
  channel?: string | null;
  route?: string | null;
  message_body?: string | null;
  subject_line?: string | null;
  agent_decisions?: Readonly<Record<string, unknown>> | null;
  framework?: string | null;
  tone?: string | null;
  model_id?: string | null;
  /** The model the arm (model_version) assigned; model_id differs when a fallback served. */
  assigned_model_id?: string | null;
  model_version?: string | null;
  variant?: string | null;
  provider?: string | null;
  request_id?: string | null;
  prompt_messages?: unknown;
  lead_data?: Readonly<Record<string, unknown>> | null;
  cost_usd?: number | null;
  latency_ms?: number | null;
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  /** ISO timestamp; the database's now() when absent. */
  created_at?: string | null;
  /**
   * How the generation ended: `completed` (the default), or for a stream whose outcome id was
   * already sent, `failed` (an error after the first byte), `cancelled` (the client went away) or
   * `interrupted` (the gateway stopped mid-stream; written from the journal).
   */
  generation_status?: GenerationStatus | null;
}

type GenerationStatus = 'completed' | 'failed' | 'cancelled' | 'interrupted';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
