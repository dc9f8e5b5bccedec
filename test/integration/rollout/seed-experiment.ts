import type { SqlExecutor } from '../../../src/store/sql-executor.ts';

/** Rates as whole per-mille so every count below is exact and can be worked out by hand. */
export interface ArmSeed {
  readonly modelVersion: string;
  readonly modelId: string;
  readonly messages: number;
  readonly replyPerMille: number;
  /** Negative replies (a subset of the replies when ≤ replyPerMille). */
  readonly negativePerMille?: number;
  readonly meetingPerMille: number;
  /** Deals (a subset of the meetings when ≤ meetingPerMille). */
  readonly dealPerMille: number;
  readonly bouncePerMille?: number;
  readonly dealValue?: number;
  readonly costUsd?: number;
}

export interface ExperimentSeed {
  readonly route: string;
  readonly organizationId: string;
  /** Messages are spread evenly over these whole days before now (e.g. 125 → 96 days ago). */
  readonly sentDaysAgo: { readonly from: number; readonly to: number };
  readonly baseline: ArmSeed;
  readonly variant: ArmSeed;
  readonly variantTrafficPercentage: number;
  /** When the variant was deployed (its traffic split took effect), in days before now. */
  readonly deployedDaysAgo: number;
}

/**
 * Registers a baseline and a testing variant through the registry's own SQL functions, backdates
 * the deployment, and inserts messages with outcomes generated from the per-mille rates: message i
 * replied when i mod 1000 < reply‰, met when (7919·i) mod 1000 < meeting‰, and so on.
 */
export async function seedExperiment(sql: SqlExecutor, seed: ExperimentSeed): Promise<void> {
  const route = literal(seed.route);
  await sql.exec(`
    select public.register_model(p_route => ${route}, p_model_id => ${literal(seed.baseline.modelId)},
      p_provider => 'openai', p_model_version => ${literal(seed.baseline.modelVersion)});
    select public.register_model(p_route => ${route}, p_model_id => ${literal(seed.variant.modelId)},
      p_provider => 'openai', p_model_version => ${literal(seed.variant.modelVersion)});
    select public.set_baseline_model(p_route => ${route}, p_ref => ${literal(seed.baseline.modelVersion)});
    select public.deploy_model(p_route => ${route}, p_ref => ${literal(seed.variant.modelVersion)},
      p_traffic_percentage => ${seed.variantTrafficPercentage});
    update public.model_registry
      set deployed_at = now() - interval '${seed.deployedDaysAgo + 60} days'
      where route = ${route} and model_version = ${literal(seed.baseline.modelVersion)};
    update public.model_registry
      set deployed_at = now() - interval '${seed.deployedDaysAgo} days'
      where route = ${route} and model_version = ${literal(seed.variant.modelVersion)};
  `);
  for (const arm of [seed.baseline, seed.variant]) {
    await insertMessages(sql, seed, arm);
  }
}

async function insertMessages(sql: SqlExecutor, seed: ExperimentSeed, arm: ArmSeed): Promise<void> {
  const span = seed.sentDaysAgo.from - seed.sentDaysAgo.to + 1;
  const meetingDraw = '((i * 7919) % 1000)';
  const bounceDraw = '((i * 104729 + 13) % 1000)';
  await sql.exec(`
    insert into public.outcome_labels (organization_id, route, model_version, model_id, provider,
      message_body, created_at, cost_usd, replied, reply_sentiment_label, meeting_booked,
      deal_closed, deal_value, bounced)
    select ${literal(seed.organizationId)}, ${literal(seed.route)}, ${literal(arm.modelVersion)},
      ${literal(arm.modelId)}, 'openai', 'message ' || i,
      date_trunc('day', now()) - interval '${seed.sentDaysAgo.from} days'
        + (i % ${span}) * interval '1 day' + interval '6 hours',
      ${arm.costUsd ?? 0.002},
      (i % 1000) < ${arm.replyPerMille},
      case when (i % 1000) < ${arm.negativePerMille ?? 0} then 'negative'
           when (i % 1000) < ${arm.replyPerMille} then 'positive' end,
      ${meetingDraw} < ${arm.meetingPerMille},
      ${meetingDraw} < ${arm.dealPerMille},
      case when ${meetingDraw} < ${arm.dealPerMille} then ${arm.dealValue ?? 1000} end,
      ${bounceDraw} < ${arm.bouncePerMille ?? 0}
    from generate_series(0, ${arm.messages - 1}) as i
  `);
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
