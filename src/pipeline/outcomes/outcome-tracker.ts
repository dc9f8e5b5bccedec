import { v7 as uuidv7 } from 'uuid';
import type { Logger } from '../../metrics/index.ts';
import type {
  DealInput,
  MeetingInput,
  MessageSentInput,
  OutcomeRecord,
  OutcomesStore,
  ReplyInput,
  SentimentLabel,
  StageRecorded,
} from '../../store/index.ts';

/** Classifies a reply when the caller did not send a sentiment (wired to the sentiment module). */
export type AnalyzeReply = (
  replyText: string,
  originalMessage: string | null,
) => Promise<{
  sentiment_score: number;
  sentiment_label: SentimentLabel;
  interest_signal: string | null;
}>;

export interface OutcomeTrackerOptions {
  outcomes: Pick<
    OutcomesStore,
    'recordMessageSent' | 'recordReplyStage' | 'recordMeetingStage' | 'recordDealStage' | 'get'
  >;
  organizationId: string;
  analyzeReply?: AnalyzeReply;
  logger?: Logger;
  /** Outcome ids; UUIDv7 (time-ordered) by default. */
  mintId?: () => string;
}

/**
 * The seed's OutcomeTracker over the store, scoped to one organization (from the API key): track a
 * message, then record what happened to it. Writes go straight to the store (the tracking API
 * answers after the row exists); the gateway's own generated messages go through TrackingBuffer.
 * Methods that update an outcome return the updated row, or null when this organization has no
 * outcome with that id.
 */
export class OutcomeTracker {
  readonly organizationId: string;
  readonly #outcomes: OutcomeTrackerOptions['outcomes'];
  readonly #analyzeReply: AnalyzeReply | undefined;
  readonly #logger: Logger | undefined;
  readonly #mintId: () => string;

  constructor(options: OutcomeTrackerOptions) {
    this.organizationId = options.organizationId;
    this.#outcomes = options.outcomes;
    this.#analyzeReply = options.analyzeReply;
    this.#logger = options.logger;
    this.#mintId = options.mintId ?? uuidv7;
  }

  /** The same tracker for another organization (one per request is cheap). */
  forOrganization(organizationId: string): OutcomeTracker {
    return new OutcomeTracker({
      outcomes: this.#outcomes,
      organizationId,
      ...(this.#analyzeReply ? { analyzeReply: this.#analyzeReply } : {}),
      ...(this.#logger ? { logger: this.#logger } : {}),
      mintId: this.#mintId,
    });
  }

  /** Records a message sent (generated here or elsewhere); resolves to its outcome id. */
  async trackMessage(message: MessageSentInput): Promise<string> {
    const row = await this.#outcomes.recordMessageSent(this.organizationId, {
      ...message,
      id: this.#mintId(),
    });
    return row.id;
  }

  async getOutcome(outcomeId: string): Promise<OutcomeRecord | null> {
    return this.#outcomes.get(this.organizationId, outcomeId);
  }

  /**
   * A reply. Without a sentiment score, and with an analyzeReply hook, the reply is classified
   * first (against the original message); if classification fails the reply is still recorded.
   */
  async recordReply(outcomeId: string, reply: ReplyInput): Promise<OutcomeRecord | null> {
    return (await this.recordReplyStage(outcomeId, reply))?.record ?? null;
  }

  /** recordReply, and whether this call made the outcome `replied` (for counting transitions). */
  async recordReplyStage(outcomeId: string, reply: ReplyInput): Promise<StageRecorded | null> {
    let enriched: ReplyInput = reply;
    const unscored = reply.sentiment_score === undefined || reply.sentiment_score === null;
    if (
      this.#analyzeReply &&
      unscored &&
      typeof reply.reply_text === 'string' &&
      reply.reply_text
    ) {
      const original = await this.#outcomes.get(this.organizationId, outcomeId);
      if (!original) {
        return null;
      }
      try {
        const analysis = await this.#analyzeReply(reply.reply_text, original.message_body);
        enriched = {
          ...reply,
          sentiment_score: analysis.sentiment_score,
          sentiment_label: reply.sentiment_label ?? analysis.sentiment_label,
          interest_signal: reply.interest_signal ?? analysis.interest_signal,
        };
      } catch (error) {
        this.#logger?.warn('reply sentiment analysis failed; recording the reply without it', {
          error,
          outcome_id: outcomeId,
        });
      }
    }
    return this.#outcomes.recordReplyStage(this.organizationId, outcomeId, enriched);
  }

  async recordMeeting(outcomeId: string, meeting: MeetingInput): Promise<OutcomeRecord | null> {
    return (await this.recordMeetingStage(outcomeId, meeting))?.record ?? null;
  }

  async recordMeetingStage(outcomeId: string, meeting: MeetingInput) {
    return this.#outcomes.recordMeetingStage(this.organizationId, outcomeId, meeting);
  }

  async recordDeal(outcomeId: string, deal: DealInput): Promise<OutcomeRecord | null> {
    return (await this.recordDealStage(outcomeId, deal))?.record ?? null;
  }

  async recordDealStage(outcomeId: string, deal: DealInput) {
    return this.#outcomes.recordDealStage(this.organizationId, outcomeId, deal);
  }
}
