import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';
import { bearer, getJson, metricValue, postJson } from './gateway-client.ts';

/**
 * The tracking API (the seed's OutcomeTracker over HTTP) against the gateway process: track a
 * message, then reply (scored by the caller or by the local sentiment fallback), meeting, deal; the
 * OpenAI error envelope for unknown ids and bad bodies; and organizations kept apart by their keys
 * (created with `rekindle keys create --org … --json`).
 */
const postgres = postgresService();
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const labels = { route: 'tracking-api', model_version: 'track-v1' };

describeWithServices([postgres], 'tracking API over HTTP (gateway process, PostgreSQL)', () => {
  let server: PostgresServer;
  let gateway: GatewayProcess;
  let keyA: string;
  let keyB: string;
  const reached = { replied: 0, meeting_booked: 0, deal_closed: 0 };

  beforeAll(async () => {
    server = await startPostgresServer();
    gateway = await startGatewayProcess({
      databaseUrl: await server.database('tracking_api'),
      apiKeys: [{ organizationId: 'org_alpha' }, { organizationId: 'org_beta' }],
    });
    keyA = gateway.apiKeys[0]?.key ?? '';
    keyB = gateway.apiKeys[1]?.key ?? '';
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await server?.stop();
  });

  const url = (path: string) => `${gateway.url}${path}`;
  const track = async (key: string, extra: Record<string, unknown> = {}) => {
    const result = await postJson(
      url('/v1/outcomes'),
      {
        campaign_id: 'camp_q1',
        lead_id: `lead_${randomUUID()}`,
        channel: 'email',
        message_body: 'Hi Dana, would a 15-minute call next week be useful?',
        subject_line: 'Pipeline at Acme',
        agent_decisions: { framework: 'AIDA', tone: 'friendly', personalization_score: 0.8 },
        prompt_messages: [{ role: 'user', content: 'Write to Dana at Acme' }],
        model_id: 'gpt-4o-mini',
        ...labels,
        ...extra,
      },
      bearer(key),
    );
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ outcome_id: expect.stringMatching(uuidPattern) });
    return (result.body as { outcome_id: string }).outcome_id;
  };
  const read = async (id: string, key = keyA) => getJson(url(`/v1/outcomes/${id}`), bearer(key));

  it('POST /v1/outcomes stores the message for the key’s organization', async () => {
    const id = await track(keyA);
    const { status, body } = await read(id);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id,
      organization_id: 'org_alpha',
      campaign_id: 'camp_q1',
      channel: 'email',
      message_body: 'Hi Dana, would a 15-minute call next week be useful?',
      subject_line: 'Pipeline at Acme',
      framework: 'AIDA',
      tone: 'friendly',
      model_id: 'gpt-4o-mini',
      model_version: 'track-v1',
      replied: false,
      quality_score: 0.1,
    });
  });

  it('a reply without a score is classified by the local fallback; a given score is kept', async () => {
    const cases = [
      ['Please remove me from your mailing list.', 'unsubscribe', 'negative'],
      ["I'm out of the office until Monday with limited access to email.", 'out_of_office', null],
      ['This looks great, can we set up a call next Tuesday at 2pm?', 'interested', 'positive'],
      ['Not interested, thanks.', 'not_interested', 'negative'],
    ] as const;
    for (const [replyText, signal, label] of cases) {
      const id = await track(keyA);
      const result = await postJson(
        url(`/v1/outcomes/${id}/reply`),
        { reply_text: replyText },
        bearer(keyA),
      );
      reached.replied += 1;
      expect(result.status).toBe(200);
      const row = result.body as Record<string, unknown>;
      expect(row).toMatchObject({
        id,
        replied: true,
        reply_text: replyText,
        interest_signal: signal,
      });
      expect(row.reply_sentiment_score).toBeGreaterThanOrEqual(0);
      expect(row.reply_sentiment_score).toBeLessThanOrEqual(1);
      expect(['positive', 'neutral', 'negative']).toContain(row.reply_sentiment_label);
      if (label) {
        expect(row.reply_sentiment_label, replyText).toBe(label);
      }
    }
    const scored = await track(keyA);
    const given = await postJson(
      url(`/v1/outcomes/${scored}/reply`),
      {
        reply_text: 'Not now.',
        sentiment_score: 0.9,
        sentiment_label: 'positive',
        interest_signal: 'question',
      },
      bearer(keyA),
    );
    reached.replied += 1;
    expect(given.body).toMatchObject({
      reply_sentiment_score: 0.9,
      reply_sentiment_label: 'positive',
      interest_signal: 'question',
      quality_score: 0.77,
    });
    // A second reply to the same message is recorded but the message does not reply twice.
    const again = await postJson(
      url(`/v1/outcomes/${scored}/reply`),
      { reply_text: 'Actually, yes: Thursday works.' },
      bearer(keyA),
    );
    expect(again).toMatchObject({
      status: 200,
      body: { replied: true, reply_text: 'Actually, yes: Thursday works.' },
    });
  });

  it('/meeting and /deal record the later stages; the quality score follows', async () => {
    const id = await track(keyA);
    const meeting = await postJson(
      url(`/v1/outcomes/${id}/meeting`),
      { meeting_time: '2027-03-02T15:30:00Z' },
      bearer(keyA),
    );
    reached.meeting_booked += 1;
    expect(meeting).toMatchObject({
      status: 200,
      body: { meeting_booked: true, meeting_time: '2027-03-02T15:30:00+00:00', quality_score: 0.9 },
    });
    const deal = await postJson(
      url(`/v1/outcomes/${id}/deal`),
      { deal_value: '15000.50' },
      bearer(keyA),
    );
    reached.deal_closed += 1;
    expect(deal).toMatchObject({
      status: 200,
      body: { deal_closed: true, deal_value: 15000.5, meeting_booked: true, quality_score: 1 },
    });
    // Rescheduled: the new time is kept; the outcome was already at that stage.
    const moved = await postJson(
      url(`/v1/outcomes/${id}/meeting`),
      { meeting_time: '2027-03-04T09:00:00Z' },
      bearer(keyA),
    );
    expect(moved).toMatchObject({
      status: 200,
      body: { meeting_time: '2027-03-04T09:00:00+00:00' },
    });
  });

  it('an unknown or malformed id is a 404 in the OpenAI envelope', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      for (const [path, body] of [
        ['reply', { reply_text: 'Sure, tell me more.' }],
        ['meeting', { meeting_time: '2027-03-02T15:30:00Z' }],
        ['deal', { deal_value: 100 }],
      ] as const) {
        const result = await postJson(url(`/v1/outcomes/${id}/${path}`), body, bearer(keyA));
        expect(result.status, `${path} ${id}`).toBe(404);
        expect(result.body).toEqual({
          error: {
            message: expect.any(String),
            type: 'invalid_request_error',
            param: null,
            code: 'outcome_not_found',
          },
        });
      }
      expect((await read(id)).status).toBe(404);
    }
  });

  it('a bad body is a 400 in the OpenAI envelope naming the field', async () => {
    const id = await track(keyA);
    const cases = [
      ['/v1/outcomes', { campaign_id: 'c', message_body: 'Hi' }, 'lead_id'],
      ['/v1/outcomes', { lead_id: 'l', message_body: '' }, 'message_body'],
      [`/v1/outcomes/${id}/reply`, { reply_text: 'Yes', sentiment_score: 1.5 }, 'sentiment_score'],
      [
        `/v1/outcomes/${id}/reply`,
        { reply_text: 'Yes', sentiment_label: 'ecstatic' },
        'sentiment_label',
      ],
      [`/v1/outcomes/${id}/meeting`, { meeting_time: 'next Tuesday' }, 'meeting_time'],
      [`/v1/outcomes/${id}/deal`, { deal_value: -5 }, 'deal_value'],
    ] as const;
    for (const [path, body, param] of cases) {
      const result = await postJson(url(path), body, bearer(keyA));
      expect(result.status, path).toBe(400);
      expect(result.body).toEqual({
        error: {
          message: expect.any(String),
          type: 'invalid_request_error',
          param,
          code: expect.anything(),
        },
      });
    }
    const notJson = await postJson(url('/v1/outcomes'), '{"lead_id": ', bearer(keyA));
    expect(notJson).toMatchObject({
      status: 400,
      body: { error: { type: 'invalid_request_error', code: 'invalid_json' } },
    });
    // Nothing of that reached the row.
    expect((await read(id)).body).toMatchObject({
      replied: false,
      meeting_booked: false,
      deal_closed: false,
    });
  });

  it('organization B cannot read or update organization A’s outcome', async () => {
    const id = await track(keyA);
    const before = (await read(id)).body;
    expect((await read(id, keyB)).status).toBe(404);
    for (const [path, body] of [
      ['reply', { reply_text: 'Yes please, send the contract.' }],
      ['meeting', { meeting_time: '2027-03-02T15:30:00Z' }],
      ['deal', { deal_value: 99999 }],
    ] as const) {
      const result = await postJson(url(`/v1/outcomes/${id}/${path}`), body, bearer(keyB));
      expect(result.status, path).toBe(404);
    }
    expect((await read(id)).body).toEqual(before);
    // B's own outcomes belong to B.
    const own = await track(keyB);
    expect((await read(own, keyB)).body).toMatchObject({ organization_id: 'org_beta' });
    expect((await read(own, keyA)).status).toBe(404);
    // No key, or a key that does not exist: 401.
    for (const headers of [{}, bearer(`rk_${'x'.repeat(32)}`)]) {
      const result = await postJson(url(`/v1/outcomes/${id}/deal`), { deal_value: 1 }, headers);
      expect(result.status).toBe(401);
      expect(result.body).toMatchObject({ error: { code: 'invalid_api_key' } });
    }
  });

  it('GET /metrics counts the tracked messages and each stage an outcome reached, once', async () => {
    const exposition = await (await fetch(url('/metrics'))).text();
    for (const [event, count] of Object.entries(reached)) {
      expect(metricValue(exposition, 'rekindle_outcomes_total', { ...labels, event }), event).toBe(
        count,
      );
    }
    expect(metricValue(exposition, 'rekindle_messages_sent_total', labels)).toBeGreaterThanOrEqual(
      10,
    );
  });
});
