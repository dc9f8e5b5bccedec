import { z } from 'zod';
import { StoreInputError } from '../store-errors.ts';
import type { StoreTransport } from '../store-transport.ts';
import {
  type DealInput,
  dealSchema,
  type MeetingInput,
  type MessageSentInput,
  meetingSchema,
  messageSentSchema,
  type ReplyInput,
  replySchema,
} from './outcome-inputs.ts';
import {
  isUuid,
  type OutcomeRecord,
  outcomeRecordSchema,
  type TrackedMessageRow,
} from './outcome-record.ts';

export interface TrainingExportOptions {
  organizationId?: string | null;
  /** Default 0.6, the training-ready threshold. */
  minQualityScore?: number;
  /** Keyset cursor: the last id of the previous page. */
  after?: string | null;
  /** Rows per page, 1–10 000 (default 1000). */
  limit?: number;
}

export interface TrainingExportPage {
  readonly rows: OutcomeRecord[];
  /** Pass as `after` for the next page; null on the last one. */
  readonly nextAfter: string | null;
}

/** A stage recorded on an outcome; `reached` is true only for the call that made the transition. */
export interface StageRecorded {
  readonly record: OutcomeRecord;
  readonly reached: boolean;
}

const stageRowSchema = outcomeRecordSchema.extend({ stage_reached: z.boolean() });
const trackResultSchema = z.object({ inserted: z.number(), received: z.number() });
const exportPageSchema = z.object({
  rows: z.array(outcomeRecordSchema),
  next_after: z.string().nullable(),
});

/**
 * outcome_labels through the store functions. Every call is scoped to an organization: an outcome
 * of another organization is "not found" (null), like a missing one.
 */
export class OutcomesStore {
  readonly #transport: StoreTransport;

  constructor(transport: StoreTransport) {
    this.#transport = transport;
  }

  /** One batch insert; rows whose id already exists are skipped, so retries are safe. */
  async trackMessages(rows: readonly TrackedMessageRow[]) {
    if (rows.length === 0) {
      return { inserted: 0, received: 0 };
    }
    return trackResultSchema.parse(await this.#transport.rpc('track_messages', { p_rows: rows }));
  }

  /**
   * A message sent outside the gateway (tracking API); written now, not buffered. Route, model
   * version, model id and provider left out are filled from the registry (see messageSentSchema).
   */
  async recordMessageSent(
    organizationId: string,
    message: MessageSentInput & { id?: string },
  ): Promise<OutcomeRecord> {
    const parsed = parseInput(messageSentSchema, message);
    if (message.id !== undefined && !isUuid(message.id)) {
      throw new StoreInputError('id must be a UUID', 'id');
    }
    const row = await this.#transport.rpc('record_message_sent', {
      p_organization_id: organizationId,
      p_message: { ...parsed, ...(message.id ? { id: message.id } : {}) },
    });
    return outcomeRecordSchema.parse(row);
  }

  async get(organizationId: string, id: string): Promise<OutcomeRecord | null> {
    if (!isUuid(id)) {
      return null;
    }
    return parseRow(
      await this.#transport.rpc('get_outcome', { p_organization_id: organizationId, p_id: id }),
    );
  }

  async recordReply(organizationId: string, id: string, reply: ReplyInput) {
    return (await this.recordReplyStage(organizationId, id, reply))?.record ?? null;
  }

  async recordMeeting(organizationId: string, id: string, meeting: MeetingInput) {
    return (await this.recordMeetingStage(organizationId, id, meeting))?.record ?? null;
  }

  async recordDeal(organizationId: string, id: string, deal: DealInput) {
    return (await this.recordDealStage(organizationId, id, deal))?.record ?? null;
  }

  /** A reply, and whether this call is the one that made the outcome `replied`. */
  async recordReplyStage(
    organizationId: string,
    id: string,
    reply: ReplyInput,
  ): Promise<StageRecorded | null> {
    const parsed = parseInput(replySchema, reply);
    if (!isUuid(id)) {
      return null;
    }
    const row = await this.#transport.rpc('record_reply', {
      p_organization_id: organizationId,
      p_id: id,
      p_reply_text: parsed.reply_text,
      p_sentiment_score: parsed.sentiment_score ?? null,
      p_sentiment_label: parsed.sentiment_label ?? null,
      p_interest_signal: parsed.interest_signal ?? null,
      p_replied_at: parsed.replied_at ?? null,
    });
    return parseStageRow(row);
  }

  async recordMeetingStage(
    organizationId: string,
    id: string,
    meeting: MeetingInput,
  ): Promise<StageRecorded | null> {
    const parsed = parseInput(meetingSchema, meeting);
    if (!isUuid(id)) {
      return null;
    }
    const row = await this.#transport.rpc('record_meeting', {
      p_organization_id: organizationId,
      p_id: id,
      p_meeting_time: parsed.meeting_time,
      p_booked_at: parsed.booked_at ?? null,
    });
    return parseStageRow(row);
  }

  async recordDealStage(
    organizationId: string,
    id: string,
    deal: DealInput,
  ): Promise<StageRecorded | null> {
    const parsed = parseInput(dealSchema, deal);
    if (!isUuid(id)) {
      return null;
    }
    const row = await this.#transport.rpc('record_deal', {
      p_organization_id: organizationId,
      p_id: id,
      p_deal_value: parsed.deal_value,
      p_deal_id: parsed.deal_id ?? null,
      p_closed_at: parsed.closed_at ?? null,
    });
    return parseStageRow(row);
  }

  /**
   * One keyset page of training-ready outcomes (quality ≥ threshold and a message body; a row
   * without prompt messages gets a prompt built by the export).
   */
  async exportTrainingPage(options: TrainingExportOptions = {}): Promise<TrainingExportPage> {
    if (options.after && !isUuid(options.after)) {
      throw new StoreInputError('after must be an outcome id (UUID)', 'after');
    }
    const page = exportPageSchema.parse(
      await this.#transport.rpc('export_training_outcomes', {
        p_organization_id: options.organizationId ?? null,
        p_min_quality_score: options.minQualityScore ?? 0.6,
        p_after: options.after ?? null,
        p_limit: options.limit ?? 1000,
      }),
    );
    return { rows: page.rows, nextAfter: page.next_after };
  }

  /** Every training-ready outcome, page by page (constant memory for any table size). */
  async *exportTrainingReady(
    options: Omit<TrainingExportOptions, 'after'> = {},
  ): AsyncGenerator<OutcomeRecord> {
    let after: string | null = null;
    do {
      const page: TrainingExportPage = await this.exportTrainingPage({ ...options, after });
      yield* page.rows;
      after = page.nextAfter;
    } while (after !== null);
  }

  async countTrainingReady(
    options: { organizationId?: string | null; minQualityScore?: number } = {},
  ): Promise<number> {
    const result = await this.#transport.rpc<{ count: number }>('count_training_ready', {
      p_organization_id: options.organizationId ?? null,
      p_min_quality_score: options.minQualityScore ?? 0.6,
    });
    return result.count;
  }
}

function parseRow(row: unknown): OutcomeRecord | null {
  return row === null ? null : outcomeRecordSchema.parse(row);
}

/** The row without the store function's `stage_reached` flag, and the flag. */
function parseStageRow(row: unknown): StageRecorded | null {
  if (row === null) {
    return null;
  }
  const { stage_reached: reached, ...record } = stageRowSchema.parse(row);
  return { record, reached };
}

function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.map(String).join('.') || null;
    throw new StoreInputError(`${path ?? 'body'}: ${issue?.message ?? 'invalid value'}`, path);
  }
  return result.data;
}
