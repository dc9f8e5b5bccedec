import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyCache } from '../../../src/store/api-key-cache.ts';
import { hashApiKey } from '../../../src/store/api-keys/api-key-material.ts';
import type { Store } from '../../../src/store/create-store.ts';
import type { TrackedMessageRow } from '../../../src/store/outcomes/outcome-record.ts';
import { StoreInputError } from '../../../src/store/store-errors.ts';
import { describeWithServices } from '../../helpers/services.ts';
import { stopTransportServices, type TransportCase, transportCases } from './store-transports.ts';

afterAll(stopTransportServices);

/** UUIDv7-shaped ids in ascending order, so keyset order is predictable. */
function outcomeId(prefix: number, index: number): string {
  const hex = (prefix * 1000 + index).toString(16).padStart(12, '0');
  return `01900000-0000-7000-8000-${hex}`;
}

function trackedRow(organizationId: string, id: string, extra: Partial<TrackedMessageRow> = {}) {
  return {
    id,
    organization_id: organizationId,
    campaign_id: 'camp_1',
    lead_id: `lead_${id.slice(-4)}`,
    channel: 'email',
    route: 'outreach',
    message_body: `Hello from ${id}`,
    subject_line: 'Quick question',
    agent_decisions: { framework: 'AIDA', tone: 'friendly', personalization_score: 0.8 },
    model_id: 'gpt-4o-mini',
    model_version: 'v1.0.0',
    variant: 'baseline',
    provider: 'openai',
    request_id: `req_${id.slice(-4)}`,
    prompt_messages: [
      { role: 'system', content: 'You write outreach.' },
      { role: 'user', content: 'Write to Dana.' },
    ],
    lead_data: { company: 'Acme' },
    cost_usd: 0.000125,
    latency_ms: 420,
    prompt_tokens: 30,
    completion_tokens: 60,
    ...extra,
  } satisfies TrackedMessageRow;
}

async function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function storeSuite(transportCase: TransportCase) {
  const orgA = `org_${transportCase.name}_a`;
  const orgB = `org_${transportCase.name}_b`;
  let store: Store;

  beforeAll(async () => {
    store = await transportCase.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('says which transport it is, answers ping, and reaches every typed store as a property', async () => {
    expect(store.kind).toBe(transportCase.name === 'pglite_worker' ? 'pglite' : transportCase.name);
    await expect(store.ping()).resolves.toBeUndefined();
    expect(await store.registry.list(`no_route_${transportCase.name}`)).toEqual([]);
    expect(await store.trainingRuns.list({ route: `no_route_${transportCase.name}` })).toEqual([]);
    expect(await store.leaderboard.leaderboardView(`no_route_${transportCase.name}`)).toEqual([]);
    expect(await store.webhookEvents.reconcileUnmatched()).toMatchObject({
      reconciled: expect.any(Number),
    });
    // LISTEN where Postgres is reached directly; Supabase's rpc has none (caches poll instead).
    expect(typeof store.listen).toBe(transportCase.name === 'supabase' ? 'undefined' : 'function');
  });

  it('ensures organizations idempotently and lists them', async () => {
    const created = await store.organizations.ensure(orgA);
    expect(created).toMatchObject({ id: orgA, name: null });
    const renamed = await store.organizations.ensure(orgA, 'Org A');
    expect(renamed).toMatchObject({ id: orgA, name: 'Org A' });
    expect((await store.organizations.ensure(orgA)).name).toBe('Org A');
    const ids = (await store.organizations.list()).map((organization) => organization.id);
    expect(ids).toContain(orgA);
  });

  it('creates a key shown once, stores only its hash, lists and revokes it', async () => {
    const { key, record } = await store.apiKeys.create({
      organizationId: orgB,
      rpmLimit: 250,
      name: 'ci',
    });
    expect(key).toMatch(/^rk_[A-Za-z0-9_-]{32}$/);
    expect(record).toMatchObject({ organization_id: orgB, rpm_limit: 250, name: 'ci' });
    expect(record.key_prefix).toBe(key.slice(0, 11));
    expect(JSON.stringify(record)).not.toContain(key);
    expect(record).not.toHaveProperty('key_hash');

    const active = await store.apiKeys.listActive();
    const stored = active.keys.find((candidate) => candidate.id === record.id);
    expect(stored?.key_hash).toBe(hashApiKey(key));

    const listed = await store.apiKeys.list({ organizationId: orgB });
    expect(listed.map((row) => row.id)).toEqual([record.id]);

    const revoked = await store.apiKeys.revoke(record.key_prefix);
    expect(revoked?.id).toBe(record.id);
    expect(revoked?.revoked_at).not.toBeNull();
    const again = await store.apiKeys.revoke(record.id);
    expect(again?.revoked_at).toBe(revoked?.revoked_at);
    expect(await store.apiKeys.revoke('rk_notakey')).toBeNull();
    expect(await store.apiKeys.list({ organizationId: orgB })).toEqual([]);
    const withRevoked = await store.apiKeys.list({ organizationId: orgB, includeRevoked: true });
    expect(withRevoked).toHaveLength(1);
    const afterRevoke = await store.apiKeys.listActive();
    expect(afterRevoke.keys.some((candidate) => candidate.id === record.id)).toBe(false);
    expect(afterRevoke.revokedCount).toBeGreaterThanOrEqual(1);
  });

  it('authenticates keys from memory and drops a revoked key after the change is announced', async () => {
    const cache = new ApiKeyCache({ apiKeys: store.apiKeys, notifications: store });
    await cache.start(60_000);
    try {
      const { key, record } = await store.apiKeys.create({ organizationId: orgA, rpmLimit: 7 });
      if (store.listen) {
        await waitFor(() => cache.authenticate(key) !== null);
      } else {
        await cache.refresh();
      }
      expect(cache.authenticate(key)).toEqual({
        organizationId: orgA,
        keyId: record.id,
        rpmLimit: 7,
      });
      expect(cache.authenticate(`Bearer ${key}`)?.keyId).toBe(record.id);
      expect(cache.authenticate(`${key.slice(0, -1)}x`)).toBeNull();
      expect(cache.authenticate('not-a-key')).toBeNull();
      expect(cache.hasKeys()).toBe(true);

      await store.apiKeys.revoke(record.id);
      if (store.listen) {
        await waitFor(() => cache.authenticate(key) === null);
      } else {
        await cache.refresh();
      }
      expect(cache.authenticate(key)).toBeNull();
      expect(cache.hasKeys()).toBe(true);
      // Usage is written back after the new key set is swapped in: let that refresh finish.
      await cache.refresh();
      const [used] = await store.apiKeys.list({ organizationId: orgA, includeRevoked: true });
      expect(used?.last_used_at).not.toBeNull();
    } finally {
      await cache.stop();
    }
  });

  it('inserts tracked messages in one batch, idempotently on id', async () => {
    const rows = [1, 2, 3].map((index) => trackedRow(orgA, outcomeId(1, index)));
    expect(await store.outcomes.trackMessages(rows)).toEqual({ inserted: 3, received: 3 });
    expect(await store.outcomes.trackMessages(rows)).toEqual({ inserted: 0, received: 3 });
    const stored = await store.outcomes.get(orgA, outcomeId(1, 2));
    expect(stored).toMatchObject({
      id: outcomeId(1, 2),
      organization_id: orgA,
      message_body: `Hello from ${outcomeId(1, 2)}`,
      prompt_messages: rows[1]?.prompt_messages,
      model_id: 'gpt-4o-mini',
      model_version: 'v1.0.0',
      provider: 'openai',
      framework: 'AIDA',
      tone: 'friendly',
      cost_usd: 0.000125,
      latency_ms: 420,
      replied: false,
      quality_score: 0.1,
    });
    expect(await store.outcomes.get(orgB, outcomeId(1, 2))).toBeNull();
    expect(await store.outcomes.get(orgA, 'not-a-uuid')).toBeNull();
  });

  it('records reply, meeting and deal; the quality score follows the furthest stage', async () => {
    const id = outcomeId(2, 1);
    await store.outcomes.trackMessages([trackedRow(orgA, id)]);
    const reply = await store.outcomes.recordReply(orgA, id, {
      reply_text: 'Sounds great, tell me more',
      sentiment_score: 0.9,
      sentiment_label: 'positive',
      interest_signal: 'high',
    });
    expect(reply).toMatchObject({
      replied: true,
      reply_text: 'Sounds great, tell me more',
      reply_sentiment_score: 0.9,
      reply_sentiment_label: 'positive',
      interest_signal: 'high',
      quality_score: 0.77,
    });
    const meeting = await store.outcomes.recordMeeting(orgA, id, {
      meeting_time: '2026-12-01T15:00:00Z',
    });
    expect(meeting?.meeting_booked).toBe(true);
    expect(Date.parse(meeting?.meeting_time ?? '')).toBe(Date.parse('2026-12-01T15:00:00Z'));
    expect(meeting?.quality_score).toBe(0.9);
    const deal = await store.outcomes.recordDeal(orgA, id, { deal_value: 12_500.5 });
    expect(deal).toMatchObject({ deal_closed: true, deal_value: 12_500.5, quality_score: 1 });

    expect(await store.outcomes.recordReply(orgB, id, { reply_text: 'x' })).toBeNull();
    expect(
      await store.outcomes.recordMeeting(orgA, outcomeId(2, 999), {
        meeting_time: '2026-12-01T15:00:00Z',
      }),
    ).toBeNull();
    expect(await store.outcomes.recordDeal(orgA, 'nope', { deal_value: 1 })).toBeNull();
    await expect(
      store.outcomes.recordReply(orgA, id, { reply_text: 'x', sentiment_score: 2 }),
    ).rejects.toBeInstanceOf(StoreInputError);
  });

  it('records a message sent elsewhere through the tracking API', async () => {
    const row = await store.outcomes.recordMessageSent(orgA, {
      campaign_id: 'camp_api',
      lead_id: 'lead_api',
      channel: 'linkedin',
      message_body: 'Hi from the API',
      prompt_messages: [{ role: 'user', content: 'write' }],
      model_id: 'ft:gpt-4o-mini:rekindle',
    });
    expect(row).toMatchObject({
      organization_id: orgA,
      campaign_id: 'camp_api',
      lead_id: 'lead_api',
      channel: 'linkedin',
      message_body: 'Hi from the API',
      model_id: 'ft:gpt-4o-mini:rekindle',
      quality_score: 0.1,
    });
    expect((await store.outcomes.get(orgA, row.id))?.id).toBe(row.id);
  });

  it('exports training-ready outcomes in keyset pages', async () => {
    const orgExport = `org_${transportCase.name}_export`;
    const rows = Array.from({ length: 7 }, (_, index) =>
      trackedRow(orgExport, outcomeId(3, index), index === 5 ? { prompt_messages: null } : {}),
    );
    await store.outcomes.trackMessages(rows);
    const ready = [0, 2, 3, 5, 6];
    for (const index of ready) {
      await store.outcomes.recordReply(orgExport, outcomeId(3, index), {
        reply_text: 'yes',
        sentiment_label: 'positive',
      });
    }
    // Index 5 has no prompt: training-ready all the same (the export builds one from the row).
    const expected = ready.map((index) => outcomeId(3, index));
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await store.outcomes.exportTrainingPage({
        organizationId: orgExport,
        after,
        limit: 2,
      });
      seen.push(...page.rows.map((row) => row.id));
      after = page.nextAfter;
      pages += 1;
    } while (after !== null && pages < 10);
    expect(seen).toEqual(expected);
    const streamed: string[] = [];
    for await (const row of store.outcomes.exportTrainingReady({ organizationId: orgExport })) {
      streamed.push(row.id);
    }
    expect(streamed).toEqual(expected);
    expect(await store.outcomes.countTrainingReady({ organizationId: orgExport })).toBe(5);
    const loose = await store.outcomes.exportTrainingPage({
      organizationId: orgExport,
      minQualityScore: 0.05,
    });
    expect(loose.rows).toHaveLength(7);
    expect(loose.nextAfter).toBeNull();
  });
}

describe.each(transportCases())('store over $name', (transportCase) => {
  describeWithServices(transportCase.services, 'the same behaviour', () =>
    storeSuite(transportCase),
  );
});
