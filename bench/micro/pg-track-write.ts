/**
 * The PostgreSQL server's CPU per tracked row: track_messages (one jsonb parameter per batch)
 * against an `insert … select from unnest($1::uuid[], …) on conflict (id) do nothing` of the same
 * 23 columns and quality score, on a throwaway cluster.
 * CPU of the connection's backend from /proc. `node --import tsx bench/micro/pg-track-write.ts`
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createStore } from '../../src/store/index.ts';
import { startPostgresServer } from '../../test/helpers/postgres-server.ts';
import { cpuMicrosecondsOf } from '../harness/processes.ts';

const server = await startPostgresServer();
try {
  const url = await server.database('track_write');
  const store = await createStore(
    { data_dir: '/tmp/unused', database_url: url },
    { autoMigrate: true },
  );
  await store.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const pid = Number((await client.query('select pg_backend_pid() as pid')).rows[0].pid);
  const row = () => ({
    id: randomUUID(),
    organization_id: 'org',
    campaign_id: 'c',
    lead_id: randomUUID(),
    channel: 'email',
    route: 'outreach',
    message_body: 'Hi there, '.repeat(40),
    subject_line: 'Hello',
    agent_decisions: { framework: 'aida', tone: 'warm' },
    framework: 'aida',
    tone: 'warm',
    model_id: 'bench-model-a',
    model_version: 'v1-baseline',
    variant: 'baseline',
    provider: 'bench',
    request_id: randomUUID(),
    prompt_messages: [{ role: 'user', content: 'Write an outreach email to Ada.' }],
    lead_data: { first_name: 'Ada' },
    cost_usd: 0.0001,
    latency_ms: 4,
    prompt_tokens: 42,
    completion_tokens: 96,
    created_at: new Date().toISOString(),
  });
  const batch = () => Array.from({ length: 500 }, row);
  // Every column track_messages writes, quality_score included (the same constant it computes).
  const columns = [
    'id',
    'organization_id',
    'campaign_id',
    'lead_id',
    'channel',
    'route',
    'message_body',
    'subject_line',
    'agent_decisions',
    'framework',
    'tone',
    'model_id',
    'model_version',
    'variant',
    'provider',
    'request_id',
    'prompt_messages',
    'lead_data',
    'cost_usd',
    'latency_ms',
    'prompt_tokens',
    'completion_tokens',
    'created_at',
  ] as const;
  const jsonColumns = new Set(['agent_decisions', 'prompt_messages', 'lead_data']);
  const unnestSql = `insert into public.outcome_labels (id, organization_id, campaign_id, lead_id, channel, route, message_body, subject_line, agent_decisions, framework, tone, model_id, model_version, variant, provider, request_id, prompt_messages, lead_data, cost_usd, latency_ms, prompt_tokens, completion_tokens, created_at, quality_score)
    select *, public.outcome_quality_score(false, false, false, false, false, false, false, null, null, false, false)
    from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::jsonb[], $18::jsonb[], $19::numeric[], $20::int[], $21::int[], $22::int[], $23::timestamptz[])
    on conflict (id) do nothing`;
  const variants: Record<string, (rows: ReturnType<typeof row>[]) => Promise<unknown>> = {
    track_messages: (rows) =>
      client.query('select public.track_messages(p_rows => $1) as result', [JSON.stringify(rows)]),
    unnest: (rows) =>
      client.query(
        unnestSql,
        columns.map((column) =>
          rows.map((r) => (jsonColumns.has(column) ? JSON.stringify(r[column]) : r[column])),
        ),
      ),
  };
  for (let round = 0; round < 3; round++) {
    for (const [name, write] of Object.entries(variants)) {
      const before = cpuMicrosecondsOf(pid) ?? 0;
      for (let i = 0; i < 8; i++) {
        await write(batch());
      }
      const used = (cpuMicrosecondsOf(pid) ?? 0) - before;
      process.stdout.write(`${name}: ${(used / 4000).toFixed(1)} µs of server CPU per row\n`);
    }
  }
  await client.end();
} finally {
  await server.stop();
}
