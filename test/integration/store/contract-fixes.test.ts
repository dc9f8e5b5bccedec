import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseSendGridWebhook,
  toWebhookEventInput,
} from '../../../src/pipeline/outcomes/events/index.ts';
import { snapshotOfRegistry } from '../../../src/pipeline/rollout/registry/index.ts';
import {
  builtPromptSystemMessage,
  exportTrainingJsonl,
  type OutcomeRow,
} from '../../../src/pipeline/training/export/index.ts';
import { type Store, transportOf } from '../../../src/store/create-store.ts';
import type { ModelRegistryStore, RegistryRow } from '../../../src/store/model-registry-store.ts';
import { describeWithServices } from '../../helpers/services.ts';
import { stopTransportServices, type TransportCase, transportCases } from './store-transports.ts';

/**
 * The store contract fixes (first 20261128001500_contract_fixes.sql, now in the baseline's
 * …000500_outcomes, …000800_model_registry and …000900_leaderboard) through every transport
 * (PGlite, PGlite in its worker, PostgreSQL, Supabase rpc): the tracking API fills route and
 * version from the registry and stores sg_message_id, the registry functions default the route and
 * keep the baseline at the rest, rows without a route count on the leaderboard, rows without a
 * prompt are training-ready.
 */
afterAll(stopTransportServices);

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

class LineSink extends Writable {
  readonly chunks: string[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void) {
    this.chunks.push(chunk.toString('utf8'));
    callback();
  }
  lines(): Array<{ messages: Array<{ role: string; content: string }> }> {
    return this.chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line));
  }
}

function contractSuite(transportCase: TransportCase) {
  const organization = `org_cf_${transportCase.name}`;
  let store: Store;
  let registry: ModelRegistryStore;

  beforeAll(async () => {
    store = await transportCase.open();
    registry = store.registry;
  });
  afterAll(async () => {
    await store?.close();
  });

  it('fills route, version, model id and provider of a tracked message from the registry', async () => {
    await registry.register({
      route: 'cf_fill',
      model_id: 'ft:gpt-4o-mini:acme:cf:abc123',
      provider: 'openai',
      model_version: 'cf-fill-v1',
    });
    await registry.register({
      route: 'cf_fill',
      model_id: 'meta-llama/Llama-cf',
      provider: 'together',
      model_version: 'cf-fill-v2',
    });
    // The same base model on two routes: the live one (the baseline of cf_live) wins.
    await registry.register({
      route: 'cf_idle',
      model_id: 'gpt-cf-shared',
      provider: 'openai',
      model_version: 'cf-idle-v1',
    });
    await registry.register({
      route: 'cf_live',
      model_id: 'gpt-cf-shared',
      provider: 'openai',
      model_version: 'cf-live-v1',
    });
    await registry.setBaseline('cf_live', 'cf-live-v1');
    const base = { lead_id: 'lead_cf', message_body: 'Hi Dana' };
    const send = (fields: Record<string, unknown>) =>
      store.outcomes.recordMessageSent(organization, { ...base, ...fields });

    expect(await send({ model_id: 'ft:gpt-4o-mini:acme:cf:abc123' })).toMatchObject({
      route: 'cf_fill',
      model_version: 'cf-fill-v1',
      provider: 'openai',
    });
    expect(await send({ model_id: 'together/meta-llama/Llama-cf' })).toMatchObject({
      route: 'cf_fill',
      model_version: 'cf-fill-v2',
      model_id: 'together/meta-llama/Llama-cf',
      provider: 'together',
    });
    expect(await send({ model_version: 'cf-fill-v2' })).toMatchObject({
      route: 'cf_fill',
      model_id: 'meta-llama/Llama-cf',
      provider: 'together',
    });
    expect(await send({ model_id: 'gpt-cf-shared' })).toMatchObject({
      route: 'cf_live',
      model_version: 'cf-live-v1',
    });
    expect(await send({ model_id: 'gpt-cf-shared', route: 'cf_idle' })).toMatchObject({
      route: 'cf_idle',
      model_version: 'cf-idle-v1',
    });
    // What the caller says is kept.
    expect(
      await send({
        model_id: 'ft:gpt-4o-mini:acme:cf:abc123',
        route: 'cf_custom',
        model_version: 'cf-given',
        provider: 'azure',
      }),
    ).toMatchObject({ route: 'cf_custom', model_version: 'cf-given', provider: 'azure' });
    // Unknown to the registry, or no model at all: the default route.
    expect(await send({ model_id: 'claude-cf-unknown' })).toMatchObject({
      route: 'outreach',
      model_version: null,
      model_id: 'claude-cf-unknown',
      provider: null,
    });
    expect(await send({})).toMatchObject({ route: 'outreach', model_version: null });
  });

  it('stores sg_message_id, and a SendGrid event without the custom arg finds the outcome by it', async () => {
    const sent = await store.outcomes.recordMessageSent(organization, {
      lead_id: 'lead_cf_sg',
      message_body: 'Hi Sam',
      sg_message_id: `cfmsg${transportCase.name}.abc`,
    });
    expect(sent.sg_message_id).toBe(`cfmsg${transportCase.name}.abc`);
    const events = parseSendGridWebhook(
      JSON.stringify([
        {
          email: 'sam@example.com',
          event: 'open',
          timestamp: Math.floor(Date.now() / 1000),
          sg_event_id: `cf-open-${transportCase.name}`,
          sg_message_id: `cfmsg${transportCase.name}.abc.filter0001.16648.5515E0B88.0`,
        },
      ]),
    );
    const result = await store.webhookEvents.ingest('sendgrid', events.map(toWebhookEventInput));
    expect(result).toMatchObject({ applied: 1, unmatched: 0 });
    expect(await store.outcomes.get(organization, sent.id)).toMatchObject({
      opened: true,
      delivered: true,
    });
  });

  it('registry operations default the route and leave the baseline the rest of the traffic', async () => {
    const rpc = (name: string, args: Record<string, unknown>) => transportOf(store).rpc(name, args);
    for (const version of ['cf-out-v1', 'cf-out-v2', 'cf-out-v3']) {
      await rpc('register_model', {
        p_model_id: `gpt-${version}`,
        p_provider: 'openai',
        p_model_version: version,
      });
    }
    await rpc('set_baseline_model', { p_ref: 'cf-out-v1' });
    await rpc('deploy_model', { p_ref: 'cf-out-v2', p_traffic_percentage: 10 });
    const outreach = async () => (await registry.list('outreach')).filter(isLive);
    const isLive = (row: RegistryRow) => row.status === 'active' || row.status === 'testing';
    const total = (rows: readonly RegistryRow[]) =>
      rows.reduce((sum, row) => sum + row.traffic_percentage, 0);
    let rows = await outreach();
    expect(rows.map((row) => [row.model_version, row.traffic_percentage])).toEqual([
      ['cf-out-v1', 90],
      ['cf-out-v2', 10],
    ]);
    expect(total(rows)).toBe(100);
    // The router still counts the baseline as "the rest", not 90 more on top of the variants.
    expect(snapshotOfRegistry(rows).trafficShares('outreach')).toEqual([
      { modelVersion: 'cf-out-v1', share: 0.9 },
      { modelVersion: 'cf-out-v2', share: 0.1 },
    ]);

    // The TypeScript callers, with the route named.
    await registry.deploy('outreach', 'cf-out-v3', 25, 'C');
    expect(total(await outreach())).toBe(100);
    expect((await outreach()).find((row) => row.is_baseline)?.traffic_percentage).toBe(65);
    await registry.deprecate('outreach', 'cf-out-v3', { reason: 'enough' });
    expect((await outreach()).find((row) => row.is_baseline)?.traffic_percentage).toBe(90);
    const promoted = await registry.promote('outreach', 'cf-out-v2');
    expect(promoted).toMatchObject({ is_baseline: true, traffic_percentage: 100 });
    await registry.deploy('outreach', 'cf-out-v3', 30, null);
    const back = await rpc('rollback_model', {});
    expect(back).toMatchObject({ model_version: 'cf-out-v1', traffic_percentage: 70 });
    rows = await outreach();
    expect(total(rows)).toBe(100);
    expect(snapshotOfRegistry(rows).trafficShares('outreach')).toEqual([
      { modelVersion: 'cf-out-v1', share: 0.7 },
      { modelVersion: 'cf-out-v3', share: 0.3 },
    ]);
    const board = await store.leaderboard.leaderboardView('outreach');
    expect(
      board
        .filter((row) => row.status === 'active' || row.status === 'testing')
        .map((row) => [row.model_version, Number(row.traffic_percentage)]),
    ).toEqual([
      ['cf-out-v1', 70],
      ['cf-out-v3', 30],
    ]);
  });

  it('counts outcomes written without a route on the leaderboard and in the daily cohorts', async () => {
    await registry.register({
      route: 'cf_board',
      model_id: 'ft:gpt-4o-mini:acme:board',
      provider: 'openai',
      model_version: 'cf-board-v1',
    });
    await registry.setBaseline('cf_board', 'cf-board-v1');
    // The seed's columns only, no route (track_messages writes exactly what it is given); two
    // rows name the version, two only the model. 40 days old: the reply window has closed.
    const ids = [0, 1, 2, 3].map(() => randomUUID());
    await store.outcomes.trackMessages(
      ids.map((id, index) => ({
        id,
        organization_id: organization,
        lead_id: `lead_board_${index}`,
        message_body: 'Hello',
        model_id: 'ft:gpt-4o-mini:acme:board',
        model_version: index < 2 ? 'cf-board-v1' : null,
        created_at: daysAgo(40),
      })),
    );
    await store.outcomes.recordReply(organization, ids[0] ?? '', {
      reply_text: 'yes',
      sentiment_label: 'positive',
      replied_at: daysAgo(39),
    });
    const board = await store.leaderboard.leaderboardView('cf_board');
    expect(board).toHaveLength(1);
    expect(board[0]).toMatchObject({ model_version: 'cf-board-v1', total_messages_sent: 4 });
    expect(Number(board[0]?.reply_rate)).toBe(0.25);
    const cohorts = await store.leaderboard.dailyCohorts({
      route: 'cf_board',
      organizationId: organization,
    });
    expect(cohorts.reduce((sum, cohort) => sum + cohort.messages_sent, 0)).toBe(4);
    expect(cohorts.reduce((sum, cohort) => sum + cohort.replies, 0)).toBe(1);
  });

  it('exports an outcome without prompt messages, with a prompt built from the row', async () => {
    const exportOrganization = `${organization}_export`;
    const sent = await store.outcomes.recordMessageSent(exportOrganization, {
      campaign_id: 'q4-expansion',
      lead_id: 'lead_export',
      channel: 'email',
      message_body: 'Hi Dana, quick idea for Initech.',
      subject_line: 'Initech and Rekindle',
      agent_decisions: { framework: 'AIDA', tone: 'warm' },
      lead_data: { first_name: 'Dana', company: 'Initech', email: 'dana@initech.example' },
    });
    await store.outcomes.recordReply(exportOrganization, sent.id, {
      reply_text: 'Tell me more',
      sentiment_label: 'positive',
    });
    expect(await store.outcomes.countTrainingReady({ organizationId: exportOrganization })).toBe(1);
    const train = new LineSink();
    const stats = await exportTrainingJsonl(
      store.outcomes.exportTrainingReady({
        organizationId: exportOrganization,
      }) as AsyncIterable<OutcomeRow>,
      { train },
      { format: 'together', minExamples: 1 },
    );
    expect(stats).toMatchObject({ written: { total: 1 }, built_prompts: 1 });
    expect(train.lines()[0]?.messages).toEqual([
      { role: 'system', content: builtPromptSystemMessage },
      {
        role: 'user',
        content: [
          'Write an outreach message.',
          'Channel: email',
          'Campaign: q4-expansion',
          'Framework: AIDA',
          'Tone: warm',
          // Issue 16 item 7: company names are found without being told, the sender's as well.
          'Subject line: {{company}} and {{company}}',
          'Lead:',
          '- company: {{company}}',
          '- first_name: {{first_name}}',
        ].join('\n'),
      },
      { role: 'assistant', content: 'Hi {{first_name}}, quick idea for {{company}}.' },
    ]);
  });
}

describe.each(transportCases())('contract fixes over $name', (transportCase) => {
  describeWithServices(transportCase.services, 'the same behaviour', () =>
    contractSuite(transportCase),
  );
});
