import { z } from 'zod';
import { outcomeRecordSchema } from './outcomes/outcome-record.ts';
import { StoreInputError } from './store-errors.ts';
import type { StoreTransport } from './store-transport.ts';

const count = z.coerce.number().int().nonnegative();
const nullableNumber = z.coerce.number().nullable();

const consoleSessionSchema = z.object({
  id_hash: z.string(),
  kind: z.enum(['admin', 'key', 'open']),
  organization_id: z.string().nullable(),
  api_key_id: z.string().nullable(),
  credential_hash: z.string().nullable(),
  created_at: z.string(),
  last_seen_at: z.string(),
  expires_at: z.string(),
});
export type ConsoleSessionRow = z.infer<typeof consoleSessionSchema>;

export interface CreateConsoleSessionInput {
  /** SHA-256 (hex) of the random session id the cookie carries; the id itself is never stored. */
  readonly idHash: string;
  readonly kind: ConsoleSessionRow['kind'];
  /** Null only for an admin session (every organization). */
  readonly organizationId: string | null;
  readonly apiKeyId: string | null;
  readonly credentialHash: string | null;
  readonly ttlSeconds: number;
}

const consoleOverviewSchema = z.object({
  outcomes: count,
  training_ready: count,
  delivered: count,
  opened: count,
  clicked: count,
  replies: count,
  positive_replies: count,
  meetings: count,
  deals: count,
  revenue: z.coerce.number(),
  cost_usd: z.coerce.number(),
  avg_quality: nullableNumber,
  avg_sentiment: nullableNumber,
});
export type ConsoleOverview = z.infer<typeof consoleOverviewSchema>;

const flywheelWeekSchema = z.object({
  week_start: z.string(),
  iso_week: z.string(),
  outcomes: count,
  training_examples: count,
  replies: count,
  avg_sentiment: nullableNumber,
  sentiment_change: nullableNumber,
});
export type FlywheelWeek = z.infer<typeof flywheelWeekSchema>;

const outcomeSummarySchema = z.object({
  id: z.string(),
  organization_id: z.string(),
  campaign_id: z.string().nullable(),
  lead_id: z.string().nullable(),
  channel: z.string(),
  route: z.string().nullable(),
  model_id: z.string().nullable(),
  model_version: z.string().nullable(),
  variant: z.string().nullable(),
  provider: z.string().nullable(),
  subject_line: z.string().nullable(),
  preview: z.string().nullable(),
  delivered: z.boolean(),
  opened: z.boolean(),
  clicked: z.boolean(),
  bounced: z.boolean(),
  replied: z.boolean(),
  reply_sentiment_label: z.string().nullable(),
  meeting_booked: z.boolean(),
  deal_closed: z.boolean(),
  deal_value: nullableNumber,
  quality_score: nullableNumber,
  cost_usd: nullableNumber,
  created_at: z.string(),
});
export type OutcomeSummary = z.infer<typeof outcomeSummarySchema>;

/** Where the next page starts: the last row's exact `created_at` text (microseconds kept) and id. */
const outcomeCursorSchema = z.object({ created_at: z.string(), id: z.string() });
export type OutcomeCursor = z.infer<typeof outcomeCursorSchema>;

const searchPageSchema = z.object({
  rows: z.array(outcomeSummarySchema),
  matches: count,
  capped: z.boolean(),
  next: outcomeCursorSchema.nullable(),
});
export type OutcomeSearchPage = z.infer<typeof searchPageSchema>;

export interface OutcomeSearch {
  /** Null: every organization (admin sessions only). */
  readonly organizationId: string | null;
  readonly leadId?: string | undefined;
  readonly campaignId?: string | undefined;
  readonly outcomeId?: string | undefined;
  readonly modelVersion?: string | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  readonly before?: OutcomeCursor | undefined;
  readonly limit?: number | undefined;
}

const outcomeEventSchema = z.object({
  id: z.coerce.number(),
  source: z.string(),
  event_type: z.string(),
  occurred_at: z.string().nullable(),
  received_at: z.string(),
  status: z.string(),
});

const outcomeDetailSchema = z.object({
  outcome: outcomeRecordSchema,
  events: z.array(outcomeEventSchema),
});
export type OutcomeDetail = z.infer<typeof outcomeDetailSchema>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const instantPattern =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * Typed client of `…_console.sql`: the operator console's sessions and the reads its pages make.
 * Every read takes the organization explicitly (null = every organization, for admin sessions).
 */
export class ConsoleStore {
  readonly #transport: StoreTransport;

  constructor(transport: StoreTransport) {
    this.#transport = transport;
  }

  async createSession(input: CreateConsoleSessionInput): Promise<ConsoleSessionRow> {
    return consoleSessionSchema.parse(
      await this.#transport.rpc('create_console_session', {
        p_id_hash: input.idHash,
        p_kind: input.kind,
        p_organization_id: input.organizationId,
        p_api_key_id: input.apiKeyId,
        p_credential_hash: input.credentialHash,
        p_ttl_seconds: input.ttlSeconds,
      }),
    );
  }

  /** The live session, or null (unknown, expired, idle too long, or its API key revoked). */
  async session(idHash: string, idleSeconds: number): Promise<ConsoleSessionRow | null> {
    const row = await this.#transport.rpc('get_console_session', {
      p_id_hash: idHash,
      p_idle_seconds: idleSeconds,
    });
    return row === null ? null : consoleSessionSchema.parse(row);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#transport.rpc('delete_console_session', { p_id_hash: idHash });
  }

  async overview(query: {
    organizationId: string | null;
    since: Date | null;
    until: Date | null;
    minQualityScore?: number;
  }): Promise<ConsoleOverview> {
    return consoleOverviewSchema.parse(
      await this.#transport.rpc('console_overview', {
        p_organization_id: query.organizationId,
        p_since: query.since,
        p_until: query.until,
        p_min_quality_score: query.minQualityScore ?? 0.6,
      }),
    );
  }

  async flywheelWeekly(query: {
    organizationId: string | null;
    weeks: number;
    until: Date;
    minQualityScore?: number;
  }): Promise<FlywheelWeek[]> {
    return z.array(flywheelWeekSchema).parse(
      await this.#transport.rpc('console_flywheel_weekly', {
        p_organization_id: query.organizationId,
        p_weeks: query.weeks,
        p_until: query.until,
        p_min_quality_score: query.minQualityScore ?? 0.6,
      }),
    );
  }

  async searchOutcomes(search: OutcomeSearch): Promise<OutcomeSearchPage> {
    for (const [name, value] of [
      ['id', search.outcomeId],
      ['before', search.before?.id],
    ] as const) {
      if (value !== undefined && !uuidPattern.test(value)) {
        throw new StoreInputError(`${name} must be an outcome id (UUID)`, name);
      }
    }
    if (search.before && !instantPattern.test(search.before.created_at)) {
      throw new StoreInputError('before must start at a timestamp with its time zone', 'before');
    }
    return searchPageSchema.parse(
      await this.#transport.rpc('console_search_outcomes', {
        p_organization_id: search.organizationId,
        p_lead_id: search.leadId ?? null,
        p_campaign_id: search.campaignId ?? null,
        p_outcome_id: search.outcomeId ?? null,
        p_model_version: search.modelVersion ?? null,
        p_from: search.from ?? null,
        p_to: search.to ?? null,
        p_before_created_at: search.before?.created_at ?? null,
        p_before_id: search.before?.id ?? null,
        p_limit: search.limit ?? 50,
      }),
    );
  }

  /** The outcome and its provider events; null when not found in the organization. */
  async outcomeDetail(organizationId: string | null, id: string): Promise<OutcomeDetail | null> {
    if (!uuidPattern.test(id)) {
      return null;
    }
    const row = await this.#transport.rpc('console_outcome_detail', {
      p_organization_id: organizationId,
      p_id: id,
    });
    return row === null ? null : outcomeDetailSchema.parse(row);
  }
}
