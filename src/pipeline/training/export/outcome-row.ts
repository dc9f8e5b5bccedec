import type { LeadData } from './pii-scrubber.ts';

/**
 * One tracked outcome as the export reads it (columns of `outcome_labels`). Values arrive the way
 * the store transports hand them over: numerics may be strings (node-postgres returns `numeric` as
 * text), jsonb may be a parsed value or its JSON text.
 */
export interface OutcomeRow {
  id: string;
  organization_id: string;
  lead_id: string | null;
  /**
   * The OpenAI chat messages sent to generate this message. Null, absent or `[]`: the export builds
   * a prompt from the fields below (`build-row-prompt.ts`).
   */
  prompt_messages: unknown;
  /** The generated message: the assistant turn the model learns. */
  message_body: string | null;
  subject_line: string | null;
  /** The lead record the message was written from: `first_name`, `company`, `email`, … */
  lead_data: LeadData | string | null;
  quality_score: number | string | null;
  created_at: string | Date;
  /** Read only to build a prompt for a row without one. */
  campaign_id?: string | null;
  channel?: string | null;
  framework?: string | null;
  tone?: string | null;
  /** `framework` and `tone` are read from here when their columns are empty. */
  agent_decisions?: Readonly<Record<string, unknown>> | string | null;
}

export type TrainingFormat = 'openai' | 'together';
