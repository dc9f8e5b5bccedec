import type { SqlExecutor } from '../../../src/store/sql-executor.ts';

/**
 * What the console tests look at, written with SQL so every number on a page can be checked
 * against the store (the tests compute their expectations with SQL as well, never by hand):
 *
 *   registry   route `outreach`: baseline v0 (sandbox/outreach-v1, deployed 60 days ago) and
 *              variant v1 (sandbox/outreach-v2, 30 % since 35 days ago); route `cold`: v0 alone
 *   outcomes   per organization, messages over the last 70 days (v1 on every third message
 *              after the deployment; model ids as the gateway stores them, provider/model), with deliveries, opens, clicks, replies with sentiment,
 *              meetings, deals and bounces in fixed patterns; the quality trigger scores them
 *   xss        one `acme` message whose prompt and body hold markup (`lead-xss`)
 *   events     provider events of acme's newest messages (delivered, open, click)
 *   training   a deployed run (every organization) with its state timeline, a failed one (acme)
 */
const seededOrganizations = ['acme', 'globex'] as const;
export const xssLead = 'lead-xss';
export const xssPrompt = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">';
export const xssBody = 'Hi there <script>window.__xss = 3</script> <b>bold?</b>';

export async function seedConsoleData(
  sql: SqlExecutor,
  options: { messages?: Readonly<Record<string, number>> } = {},
): Promise<void> {
  await seedRegistry(sql);
  for (const organization of seededOrganizations) {
    await seedMessages(sql, organization, options.messages?.[organization] ?? 360);
  }
  await seedXss(sql);
  await seedEvents(sql);
  await seedTrainingRuns(sql);
}

async function seedRegistry(sql: SqlExecutor): Promise<void> {
  await sql.exec(`
    select public.register_model(p_route => 'outreach', p_model_id => 'outreach-v1',
      p_provider => 'sandbox', p_model_version => 'v0');
    select public.register_model(p_route => 'outreach', p_model_id => 'outreach-v2',
      p_provider => 'sandbox', p_model_version => 'v1', p_training_stats => '{"examples": 412, "trained_tokens": 90210}');
    select public.set_baseline_model(p_route => 'outreach', p_ref => 'v0', p_actor => 'seed');
    select public.deploy_model(p_route => 'outreach', p_ref => 'v1', p_traffic_percentage => 30,
      p_actor => 'seed');
    update public.model_registry set deployed_at = now() - interval '60 days'
      where route = 'outreach' and model_version = 'v0';
    update public.model_registry set deployed_at = now() - interval '35 days'
      where route = 'outreach' and model_version = 'v1';
    select public.register_model(p_route => 'cold', p_model_id => 'outreach-v1',
      p_provider => 'sandbox', p_model_version => 'cold-v0');
    select public.set_baseline_model(p_route => 'cold', p_ref => 'cold-v0', p_actor => 'seed');
  `);
}

async function seedMessages(sql: SqlExecutor, organization: string, count: number): Promise<void> {
  const org = organization.replace(/'/g, "''");
  await sql.exec(`
    insert into public.outcome_labels (
      organization_id, campaign_id, lead_id, channel, route, message_body, subject_line,
      prompt_messages, model_id, model_version, variant, provider, cost_usd, latency_ms,
      delivered, delivered_at, opened, opened_at, clicked, clicked_at, bounced, bounced_at,
      replied, replied_at, reply_text, reply_sentiment_score, reply_sentiment_label,
      interest_signal, meeting_booked, meeting_booked_at, meeting_time, deal_closed,
      deal_closed_at, deal_value, created_at
    )
    select '${org}', 'camp-' || (i % 5), 'lead-${org}-' || (i % 120), 'email', 'outreach',
      'Hello from ${org}, message #' || i || '. Worth a call?', 'About your pipeline #' || i,
      jsonb_build_array(
        jsonb_build_object('role', 'system', 'content', 'You write short outreach emails.'),
        jsonb_build_object('role', 'user', 'content', 'Write to lead ' || (i % 120) || ' of ${org}.')),
      case when v1 then 'sandbox/outreach-v2' else 'sandbox/outreach-v1' end,
      case when v1 then 'v1' else 'v0' end,
      case when v1 then 'variant' else 'baseline' end,
      'sandbox', 0.0001 * (1 + i % 7), 400 + i % 300,
      i % 10 <> 0, case when i % 10 <> 0 then at + interval '2 minutes' end,
      i % 3 = 0, case when i % 3 = 0 then at + interval '3 hours' end,
      i % 9 = 0, case when i % 9 = 0 then at + interval '4 hours' end,
      i % 50 = 7, case when i % 50 = 7 then at + interval '1 minute' end,
      i % 5 = 0, case when i % 5 = 0 then least(at + interval '1 day', now()) end,
      case when i % 5 = 0 then 'Thanks, tell me more #' || i end,
      case when i % 5 = 0 then ((i * 37) % 100) / 100.0 end,
      case when i % 5 = 0 then
        case when (i * 37) % 100 >= 60 then 'positive' when (i * 37) % 100 >= 30 then 'neutral' else 'negative' end
      end,
      case when i % 5 = 0 and (i * 37) % 100 >= 60 then 'high' end,
      i % 14 = 0, case when i % 14 = 0 then least(at + interval '2 days', now()) end,
      case when i % 14 = 0 then at + interval '9 days' end,
      i % 44 = 0, case when i % 44 = 0 then least(at + interval '3 days', now()) end,
      case when i % 44 = 0 then 1000 + i end,
      at
    from (
      select i, now() - make_interval(mins => 30 + (i * 7919) % (70 * 24 * 60)) as at
      from generate_series(1, ${count}) as i
    ) s,
    lateral (select at > now() - interval '35 days' and i % 3 = 0 as v1) v;
  `);
}

async function seedXss(sql: SqlExecutor): Promise<void> {
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  await sql.exec(`
    insert into public.outcome_labels (organization_id, campaign_id, lead_id, route, message_body,
      subject_line, prompt_messages, model_id, model_version, provider, cost_usd, created_at)
    values ('acme', 'camp-xss', '${xssLead}', 'outreach', ${literal(xssBody)},
      ${literal('<i>subject</i>')},
      jsonb_build_array(jsonb_build_object('role', 'user', 'content', ${literal(xssPrompt)})),
      'sandbox/outreach-v1', 'v0', 'sandbox', 0.0002, now() - interval '2 hours');
  `);
}

async function seedEvents(sql: SqlExecutor): Promise<void> {
  await sql.exec(`
    insert into public.webhook_events (source, event_id, organization_id, outcome_id, event_type,
      occurred_at, payload, status, processed_at)
    select 'sendgrid', 'seed-' || o.id || '-' || e.kind, o.organization_id, o.id, e.kind,
      o.created_at + e.after, jsonb_build_object('event', e.kind), 'applied', now()
    from (
      select id, organization_id, created_at from public.outcome_labels
      where organization_id = 'acme' and lead_id <> '${xssLead}'
      order by created_at desc, id desc limit 5
    ) o
    cross join (values ('delivered', interval '2 minutes'), ('open', interval '3 hours'),
      ('click', interval '4 hours')) as e(kind, after);
  `);
}

async function seedTrainingRuns(sql: SqlExecutor): Promise<void> {
  await sql.exec(`
    with run as (
      insert into public.training_runs (organization_id, route, provider, model_version, base_model,
        status, training_file_id, provider_job_id, provider_status, fine_tuned_model, trained_tokens,
        stats, triggered_by, created_at, updated_at, finished_at)
      values (null, 'outreach', 'openai', 'v1', 'gpt-4o-mini-2024-07-18', 'deployed',
        'file-console-1', 'ftjob-console-1', 'succeeded', 'ft:gpt-4o-mini:acme:console:1', 90210,
        '{"examples": 412}', 'seed', now() - interval '36 days', now() - interval '35 days',
        now() - interval '35 days')
      returning id, created_at
    )
    insert into public.training_run_events (run_id, from_status, to_status, worker, details, created_at)
    select run.id, s.from_status, s.to_status, 'seed-worker', s.details,
      run.created_at + make_interval(mins => s.step * 10)
    from run, (values
      (0, null, 'exporting', '{}'::jsonb),
      (1, 'exporting', 'uploading', '{"examples": 412}'::jsonb),
      (2, 'uploading', 'queued', '{"training_file_id": "file-console-1"}'::jsonb),
      (3, 'queued', 'running', '{"provider_job_id": "ftjob-console-1"}'::jsonb),
      (4, 'running', 'succeeded', '{}'::jsonb),
      (5, 'succeeded', 'registered', '{}'::jsonb),
      (6, 'registered', 'deployed', '{"traffic_percentage": 30}'::jsonb)
    ) as s(step, from_status, to_status, details);
    insert into public.training_runs (organization_id, route, provider, model_version, base_model,
      status, error, triggered_by, created_at, updated_at, finished_at)
    values ('acme', 'outreach', 'together', 'v-acme-failed', 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
      'failed', '{"code": "insufficient_training_data", "message": "only 3 examples"}', 'seed',
      now() - interval '3 days', now() - interval '3 days', now() - interval '3 days');
  `);
}
