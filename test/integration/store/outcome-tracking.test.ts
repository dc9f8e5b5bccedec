import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/metrics/index.ts';
import { OutcomeTracker } from '../../../src/pipeline/outcomes/outcome-tracker.ts';
import { TrackingBuffer } from '../../../src/pipeline/outcomes/tracking-buffer.ts';
import { type Store, storeOverTransport } from '../../../src/store/create-store.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';

/** OutcomeTracker and TrackingBuffer over a real (PGlite) store. */
let store: Store;

beforeAll(async () => {
  const transport = await sharedPglite();
  store = storeOverTransport(transport, transport.executor);
});
afterAll(closeSharedPglite);

describe('OutcomeTracker', () => {
  it('tracks a message and records reply, meeting and deal for its organization only', async () => {
    const tracker = new OutcomeTracker({ outcomes: store.outcomes, organizationId: 'tracker_org' });
    const id = await tracker.trackMessage({
      campaign_id: 'camp',
      lead_id: 'lead_1',
      channel: 'email',
      message_body: 'Hi Dana',
      subject_line: 'Hello',
      agent_decisions: { framework: 'PAS' },
      prompt_messages: [{ role: 'user', content: 'write to Dana' }],
      model_id: 'gpt-4o-mini',
    });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await tracker.getOutcome(id)).toMatchObject({
      subject_line: 'Hello',
      framework: 'PAS',
      quality_score: 0.1,
    });

    const other = tracker.forOrganization('someone_else');
    expect(await other.recordReply(id, { reply_text: 'hi', sentiment_score: 1 })).toBeNull();
    expect(await other.getOutcome(id)).toBeNull();

    const reply = await tracker.recordReply(id, {
      reply_text: 'Interested!',
      sentiment_score: 0.95,
      sentiment_label: 'positive',
    });
    expect(reply).toMatchObject({ replied: true, reply_sentiment_score: 0.95 });
    expect(await tracker.recordMeeting(id, { meeting_time: '2026-12-02T10:00:00Z' })).toMatchObject(
      {
        meeting_booked: true,
        quality_score: 0.9,
      },
    );
    expect(await tracker.recordDeal(id, { deal_value: 5000 })).toMatchObject({
      deal_closed: true,
      deal_value: 5000,
      quality_score: 1,
    });
    expect(
      await tracker.recordDeal('01900000-0000-7000-8000-00000000dead', { deal_value: 1 }),
    ).toBeNull();
  });

  it('classifies an unscored reply through analyzeReply, with the original message', async () => {
    const seen: Array<[string, string | null]> = [];
    const tracker = new OutcomeTracker({
      outcomes: store.outcomes,
      organizationId: 'tracker_org',
      analyzeReply: async (replyText, originalMessage) => {
        seen.push([replyText, originalMessage]);
        return { sentiment_score: 0.85, sentiment_label: 'positive', interest_signal: 'meeting' };
      },
    });
    const id = await tracker.trackMessage({ lead_id: 'lead_2', message_body: 'Original pitch' });
    const reply = await tracker.recordReply(id, { reply_text: 'Let us talk' });
    expect(seen).toEqual([['Let us talk', 'Original pitch']]);
    expect(reply).toMatchObject({
      reply_sentiment_score: 0.85,
      reply_sentiment_label: 'positive',
      interest_signal: 'meeting',
      quality_score: 0.755,
    });

    const scored = await tracker.recordReply(id, { reply_text: 'again', sentiment_score: 0.1 });
    expect(seen).toHaveLength(1);
    expect(scored?.reply_sentiment_score).toBe(0.1);
  });

  it('still records the reply when classification fails', async () => {
    const tracker = new OutcomeTracker({
      outcomes: store.outcomes,
      organizationId: 'tracker_org',
      analyzeReply: async () => {
        throw new Error('classifier down');
      },
    });
    const id = await tracker.trackMessage({ lead_id: 'lead_3', message_body: 'Hello' });
    const reply = await tracker.recordReply(id, { reply_text: 'ok' });
    expect(reply).toMatchObject({ replied: true, reply_sentiment_score: null, quality_score: 0.5 });
  });
});

describe('TrackingBuffer over the store', () => {
  it('writes 1,000 tracked messages with prompt, output, model and cost, drained by close()', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const buffer = new TrackingBuffer({
      store: store.outcomes,
      batchSize: 500,
      flushIntervalMs: 50,
      metrics,
    }).start();
    const ids: string[] = [];
    for (let index = 0; index < 1_000; index += 1) {
      const id = `01900000-0000-7000-8001-${index.toString(16).padStart(12, '0')}`;
      ids.push(id);
      buffer.push({
        id,
        organization_id: 'buffer_org',
        lead_id: `lead_${index}`,
        route: 'outreach',
        message_body: `output ${index}`,
        prompt_messages: [{ role: 'user', content: `prompt ${index}` }],
        model_id: 'sandbox/outreach-v1',
        model_version: 'sandbox-v1',
        provider: 'sandbox',
        cost_usd: 0.0001,
        created_at: new Date().toISOString(),
      });
    }
    const stats = await buffer.close();
    expect(stats).toMatchObject({ written: 1_000, dropped: 0, buffered: 0 });
    const [counts] =
      (await store.executor?.query<{ total: number; complete: number }>(
        `select count(*)::int as total,
              count(*) filter (where prompt_messages is not null and message_body is not null
                and model_id is not null and cost_usd is not null)::int as complete
       from public.outcome_labels where organization_id = 'buffer_org'`,
      )) ?? [];
    expect(counts).toEqual({ total: 1_000, complete: 1_000 });
    const sample = await store.outcomes.get('buffer_org', ids[999] ?? '');
    expect(sample).toMatchObject({
      message_body: 'output 999',
      prompt_messages: [{ role: 'user', content: 'prompt 999' }],
      model_id: 'sandbox/outreach-v1',
      cost_usd: 0.0001,
    });
  });
});
