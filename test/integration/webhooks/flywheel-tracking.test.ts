import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * Issue 16, items 8, 11 and 12, through a whole gateway on PGlite: each reply class gets its
 * score from the tracking API's local classifier (auto-replies, objections and referrals below
 * the training threshold); a body `organization_id` that is not the key's is refused; the
 * deployment guide's SendGrid test body (no timestamp, `spam_report`) is applied, and the answer
 * says which events were ignored and why.
 */
let gateway: RunningGateway;
let sql: SqlExecutor;
let key: string;

beforeAll(async () => {
  sql = (await sharedPglite()).executor;
  gateway = await startTestGateway({ file: { rate_limit: { default_rpm: 100_000 } } });
  key = (await gateway.store.apiKeys.create({ organizationId: 'org_flywheel' })).key;
}, 60_000);

afterAll(async () => {
  await gateway?.shutdown();
  await closeSharedPglite();
});

async function post(path: string, body: unknown, withKey = true) {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(withKey ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let leads = 0;
async function track(extra: Record<string, unknown> = {}): Promise<string> {
  leads += 1;
  const result = await post('/v1/outcomes', {
    lead_id: `flywheel-lead-${leads}`,
    message_body: `Hi, a short note about onboarding (${leads}).`,
    ...extra,
  });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return String(result.body.outcome_id);
}

async function trainingReady(id: string): Promise<boolean> {
  const rows = await sql.query('select 1 from public.training_ready_outcomes where id = $1', [id]);
  return rows.length === 1;
}

describe('item 8: replies that are not interest stay out of the training data', () => {
  const classes = [
    {
      text: "I'm out of the office until Monday, Dec 8 with limited access to email. For urgent matters contact my colleague.",
      signal: 'out_of_office',
      quality: 0.2,
      ready: false,
    },
    {
      text: 'Automatic reply: Thank you for your message. I am currently on parental leave and will respond when I return.',
      signal: 'out_of_office',
      quality: 0.2,
      ready: false,
    },
    {
      text: 'We already use Outreach and are locked into a contract until next year.',
      signal: 'objection',
      quality: 0.5,
      ready: false,
    },
    {
      text: "I'm not the right person for this. Please reach out to our VP of Sales instead.",
      signal: 'referral',
      quality: 0.55,
      ready: false,
    },
    {
      text: 'Not interested, thanks.',
      signal: 'not_interested',
      quality: 0.45,
      ready: false,
    },
    { text: 'Please remove me from your list.', signal: 'unsubscribe', quality: 0, ready: false },
    {
      text: 'Sounds interesting, can we talk Tuesday at 2pm?',
      signal: 'interested',
      quality: 0.755,
      ready: true,
    },
  ] as const;

  for (const { text, signal, quality, ready } of classes) {
    it(`a ${signal.replaceAll('_', ' ')} reply scores ${quality} (${ready ? '' : 'not '}training-ready)`, async () => {
      const id = await track();
      const reply = await post(`/v1/outcomes/${id}/reply`, { reply_text: text });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ interest_signal: signal, quality_score: quality });
      expect(await trainingReady(id)).toBe(ready);
    });
  }

  it('a signal the client states decides too, over a positive label', async () => {
    const id = await track();
    const reply = await post(`/v1/outcomes/${id}/reply`, {
      reply_text: 'Thanks! I am away until the 9th.',
      sentiment_score: 0.9,
      sentiment_label: 'positive',
      interest_signal: 'out_of_office',
    });
    expect(reply.body).toMatchObject({ quality_score: 0.2 });
    expect(await trainingReady(id)).toBe(false);
  });

  it('a meeting booked after an objection is still a meeting (0.9)', async () => {
    const id = await track();
    await post(`/v1/outcomes/${id}/reply`, {
      reply_text: 'Budget is tight this quarter, we cannot afford another tool right now.',
    });
    const meeting = await post(`/v1/outcomes/${id}/meeting`, {
      meeting_time: '2026-12-10T15:00:00Z',
    });
    expect(meeting.body).toMatchObject({ interest_signal: 'objection', quality_score: 0.9 });
  });
});

describe('item 11: POST /v1/outcomes refuses another organization in the body', () => {
  it('answers 400 organization_mismatch naming the field, and stores nothing', async () => {
    const before = await sql.query<{ count: number }>(
      "select count(*)::int as count from public.outcome_labels where lead_id = 'mismatch-lead'",
    );
    const result = await post('/v1/outcomes', {
      organization_id: 'org_someone_else',
      lead_id: 'mismatch-lead',
      message_body: 'Hello there.',
    });
    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      error: {
        message: expect.stringMatching(/organization_id .*org_someone_else.*org_flywheel/),
        type: 'invalid_request_error',
        param: 'organization_id',
        code: 'organization_mismatch',
      },
    });
    const after = await sql.query<{ count: number }>(
      "select count(*)::int as count from public.outcome_labels where lead_id = 'mismatch-lead'",
    );
    expect(after).toEqual(before);
  });

  it('accepts the key’s own organization in the body', async () => {
    const id = await track({ organization_id: 'org_flywheel' });
    const rows = await sql.query(
      'select organization_id from public.outcome_labels where id = $1',
      [id],
    );
    expect(rows).toEqual([{ organization_id: 'org_flywheel' }]);
  });

  it('refuses the mismatch on the reply, meeting and deal bodies too', async () => {
    const id = await track();
    for (const [path, body] of [
      ['reply', { reply_text: 'Yes please.' }],
      ['meeting', { meeting_time: '2026-12-10T15:00:00Z' }],
      ['deal', { deal_value: 1000 }],
    ] as const) {
      const result = await post(`/v1/outcomes/${id}/${path}`, {
        ...body,
        organization_id: 'org_other',
      });
      expect(result.status, path).toBe(400);
      expect(result.body).toMatchObject({ error: { code: 'organization_mismatch' } });
    }
  });
});

describe('item 12: the guide’s SendGrid test body', () => {
  const stored = (id: string) =>
    sql.query<{ event_type: string; status: string; occurred_at: string | null }>(
      `select event_type, status, occurred_at from public.webhook_events
       where outcome_id = $1 order by received_at`,
      [id],
    );

  it('applies spam_report without a timestamp as SendGrid’s spamreport, at the time received', async () => {
    const id = await track();
    const started = Date.now();
    const result = await post(
      '/webhooks/sendgrid',
      [{ email: 'dana@initech.example', event: 'spam_report', rekindle_outcome_id: id }],
      false,
    );
    expect(result).toEqual({ status: 200, body: { status: 'processed', events: 1 } });
    const [row] = await sql.query<{ spam_reported: boolean; quality_score: number }>(
      'select spam_reported, quality_score::float8 as quality_score from public.outcome_labels where id = $1',
      [id],
    );
    expect(row).toEqual({ spam_reported: true, quality_score: 0 });
    const [event] = await stored(id);
    expect(event).toMatchObject({ event_type: 'spamreport', status: 'applied' });
    expect(new Date(event?.occurred_at ?? 0).getTime()).toBeGreaterThanOrEqual(started - 1000);
  });

  it('says which events were ignored and why, next to status and events', async () => {
    const id = await track();
    const now = Math.floor(Date.now() / 1000);
    const result = await post(
      '/webhooks/sendgrid',
      [
        { event: 'delivered', timestamp: now, rekindle_outcome_id: id, sg_event_id: 'fw-1' },
        { event: 'processed', timestamp: now, rekindle_outcome_id: id, sg_event_id: 'fw-2' },
        {
          event: 'open',
          timestamp: now,
          sg_machine_open: true,
          rekindle_outcome_id: id,
          sg_event_id: 'fw-3',
        },
        { event: 'bounce', timestamp: now, sg_event_id: 'fw-4' },
        { event: 'reopened', timestamp: now, rekindle_outcome_id: id, sg_event_id: 'fw-5' },
        { email: 'no-event@example.com', timestamp: now, sg_event_id: 'fw-6' },
      ],
      false,
    );
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      status: 'processed',
      events: 6,
      ignored: [
        {
          index: 1,
          event: 'processed',
          sg_event_id: 'fw-2',
          reason: expect.stringMatching(/no effect/),
        },
        {
          index: 2,
          event: 'open',
          sg_event_id: 'fw-3',
          reason: expect.stringMatching(/machine open/),
        },
        {
          index: 3,
          event: 'bounce',
          sg_event_id: 'fw-4',
          reason: expect.stringMatching(/rekindle_outcome_id.*sg_message_id/),
        },
        {
          index: 4,
          event: 'reopened',
          sg_event_id: 'fw-5',
          reason: expect.stringMatching(/unknown event/),
        },
        { index: 5, event: null, sg_event_id: 'fw-6', reason: expect.stringMatching(/event/) },
      ],
    });
    const [row] = await sql.query<{ delivered: boolean }>(
      'select delivered from public.outcome_labels where id = $1',
      [id],
    );
    expect(row).toEqual({ delivered: true });
  });
});
