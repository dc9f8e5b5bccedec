import type { SqlExecutor } from '../../src/store/sql-executor.ts';

/** The organizations the seeded outcomes belong to, with each one's share of the rows. */
export const benchOrganizations = [
  { id: 'bench-north', share: 0.8 },
  { id: 'bench-south', share: 0.2 },
] as const;

/**
 * `count` tracked messages as the gateway stores them, written with SQL in batches (the quality
 * trigger scores each one, as for tracked traffic): spread over the last 120 days so every window
 * of the Overview and all twelve weeks of the flywheel have rows, two model versions, and the
 * funnel a production store shows — deliveries, opens, clicks, bounces, replies with sentiment,
 * meetings and deals — in fixed patterns. Then ANALYZE, as autovacuum would after such a load.
 */
export async function seedOutcomes(sql: SqlExecutor, count: number): Promise<void> {
  const batch = 20_000;
  for (let first = 1; first <= count; first += batch) {
    const last = Math.min(count, first + batch - 1);
    await sql.exec(insertBatch(first, last, count));
  }
  await sql.exec('analyze public.outcome_labels');
}

function insertBatch(first: number, last: number, count: number): string {
  const northRows = Math.round(count * (benchOrganizations[0]?.share ?? 1));
  return `
    insert into public.outcome_labels (
      organization_id, campaign_id, lead_id, channel, route, message_body, subject_line,
      prompt_messages, model_id, model_version, variant, provider, cost_usd, latency_ms,
      delivered, delivered_at, opened, opened_at, clicked, clicked_at, bounced, bounced_at,
      replied, replied_at, reply_text, reply_sentiment_score, reply_sentiment_label,
      interest_signal, meeting_booked, meeting_booked_at, deal_closed, deal_closed_at,
      deal_value, created_at
    )
    select org, 'camp-' || (i % 40), 'lead-' || (i % 25000), 'email', 'outreach',
      'Hi, I noticed your team is hiring again. Message #' || i || ' — worth a short call?',
      'About your pipeline #' || i,
      jsonb_build_array(
        jsonb_build_object('role', 'system', 'content', 'You write short outreach emails.'),
        jsonb_build_object('role', 'user', 'content', 'Write to lead ' || (i % 25000) || '.')),
      case when v1 then 'ft:gpt-4o-mini:bench:outreach:1' else 'gpt-4o-mini' end,
      case when v1 then 'v1.0.0' else 'v0' end,
      case when v1 then 'variant' else 'baseline' end,
      'openai', 0.0001 * (1 + i % 7), 400 + i % 300,
      i % 10 <> 0, case when i % 10 <> 0 then at + interval '2 minutes' end,
      i % 3 = 0, case when i % 3 = 0 then at + interval '3 hours' end,
      i % 9 = 0, case when i % 9 = 0 then at + interval '4 hours' end,
      i % 50 = 7, case when i % 50 = 7 then at + interval '1 minute' end,
      i % 8 = 0, case when i % 8 = 0 then least(at + interval '1 day', now()) end,
      case when i % 8 = 0 then 'Thanks, tell me more #' || i end,
      case when i % 8 = 0 then ((i * 37) % 100) / 100.0 end,
      case when i % 8 = 0 then
        case when (i * 37) % 100 >= 60 then 'positive' when (i * 37) % 100 >= 30 then 'neutral'
          else 'negative' end
      end,
      case when i % 8 = 0 and (i * 37) % 100 >= 60 then 'high' end,
      i % 24 = 0, case when i % 24 = 0 then least(at + interval '2 days', now()) end,
      i % 72 = 0, case when i % 72 = 0 then least(at + interval '5 days', now()) end,
      case when i % 72 = 0 then 1000 + i % 9000 end,
      at
    from (
      select i,
        case when i <= ${northRows} then '${benchOrganizations[0]?.id}'
          else '${benchOrganizations[1]?.id}' end as org,
        now() - make_interval(mins => 5 + (i * 7919) % (120 * 24 * 60)) as at
      from generate_series(${first}, ${last}) as i
    ) s,
    lateral (select at > now() - interval '30 days' and i % 5 = 0 as v1) v
  `;
}
