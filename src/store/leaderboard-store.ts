import { z } from 'zod';
import { StoreInputError } from './store-errors.ts';
import type { StoreTransport } from './store-transport.ts';

const count = z.coerce.number().int().nonnegative();
const amount = z.coerce.number().nonnegative();

/** One row of `rollout_daily_cohorts()`: a (route, model version, UTC day of sending) cohort. */
const dailyCohortRowSchema = z.object({
  route: z.string(),
  model_version: z.string(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Messages the version's own model served (fallbacks excluded). */
  messages_sent: count,
  /** Messages of this version a fallback model served; not counted anywhere else. */
  fallback_messages: count,
  cost_usd_sum: amount,
  cost_usd_sum_squares: amount,
  replies: count,
  positive_replies: count,
  negative_replies: count,
  bounces: count,
  spam_reports: count,
  unsubscribes: count,
  meetings: count,
  deals: count,
  revenue_usd_sum: amount,
  revenue_usd_sum_squares: amount,
  reply_window_closed: z.boolean(),
  meeting_window_closed: z.boolean(),
  close_window_closed: z.boolean(),
});
export type DailyCohortRow = z.infer<typeof dailyCohortRowSchema>;

export interface DailyCohortQuery {
  readonly route: string;
  /** Only messages sent at or after this instant (the experiment start). */
  readonly since?: Date | null;
  /** Which windows have closed is judged as of this instant (default: the database's now()). */
  readonly now?: Date | null;
  readonly windows?: {
    readonly replyDays: number;
    readonly meetingDays: number;
    readonly closeDays: number;
  };
  readonly organizationId?: string | null;
}

const automationClaimSchema = z.object({
  decision_key: z.string(),
  route: z.string(),
  model_version: z.string(),
  action: z.enum(['promote', 'rollback']),
  status: z.enum(['claimed', 'applied', 'failed']),
  holder: z.string().nullable(),
  attempts: z.coerce.number(),
  details: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  claimed_at: z.string(),
  finished_at: z.string().nullable(),
});
export type AutomationClaim = z.infer<typeof automationClaimSchema>;

export interface ClaimInput {
  readonly decisionKey: string;
  readonly route: string;
  readonly modelVersion: string;
  readonly action: 'promote' | 'rollback';
  /** Who holds the claim (an instance id); only the holder may finish it. */
  readonly holder: string;
  readonly details?: Record<string, unknown>;
  /** A claim left 'claimed' this long (its holder died) may be taken over. */
  readonly staleAfterSeconds?: number;
}

/**
 * Typed client of `…_leaderboard.sql`: daily cohorts for the experiment engine, the
 * `model_leaderboard` view over rpc, and the claims that keep automatic promote/rollback to one
 * action per decision across gateway instances.
 */
export class LeaderboardStore {
  readonly #transport: StoreTransport;

  constructor(transport: StoreTransport) {
    this.#transport = transport;
  }

  async dailyCohorts(query: DailyCohortQuery): Promise<DailyCohortRow[]> {
    if (query.route.trim() === '') {
      throw new StoreInputError('route is required', 'route');
    }
    const rows = await this.#transport.rpc('rollout_daily_cohorts', {
      p_route: query.route,
      p_since: query.since ?? null,
      p_now: query.now ?? null,
      p_reply_window_days: query.windows?.replyDays ?? null,
      p_meeting_window_days: query.windows?.meetingDays ?? null,
      p_close_window_days: query.windows?.closeDays ?? null,
      p_organization_id: query.organizationId ?? null,
    });
    return z.array(dailyCohortRowSchema).parse(rows);
  }

  /** Rows of the `model_leaderboard` view (default windows), optionally for one route. */
  async leaderboardView(route?: string): Promise<Record<string, unknown>[]> {
    const rows = await this.#transport.rpc('list_model_leaderboard', { p_route: route ?? null });
    return z.array(z.record(z.string(), z.unknown())).parse(rows);
  }

  /** The claim when the caller now holds the decision; null when it must not act. */
  async claimAction(input: ClaimInput): Promise<AutomationClaim | null> {
    const row = await this.#transport.rpc('claim_rollout_action', {
      p_decision_key: input.decisionKey,
      p_route: input.route,
      p_model_version: input.modelVersion,
      p_action: input.action,
      p_holder: input.holder,
      p_details: input.details ?? {},
      p_stale_after_seconds: input.staleAfterSeconds ?? 600,
    });
    return row === null ? null : automationClaimSchema.parse(row);
  }

  async finishAction(
    decisionKey: string,
    holder: string,
    outcome: { status: 'applied' } | { status: 'failed'; error: string },
  ): Promise<AutomationClaim | null> {
    const row = await this.#transport.rpc('finish_rollout_action', {
      p_decision_key: decisionKey,
      p_holder: holder,
      p_status: outcome.status,
      p_error: outcome.status === 'failed' ? outcome.error : null,
    });
    return row === null ? null : automationClaimSchema.parse(row);
  }

  async claims(route?: string, limit = 100): Promise<AutomationClaim[]> {
    const rows = await this.#transport.rpc('list_rollout_action_claims', {
      p_route: route ?? null,
      p_limit: limit,
    });
    return z.array(automationClaimSchema).parse(rows);
  }
}
