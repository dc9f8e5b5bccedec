/**
 * What the webhook tests do to a gateway process over HTTP (tracking API, signed webhook posts) and
 * how they look at its PostgreSQL afterwards. Plain fetch: the tests speak the wire, not our code.
 */
import type { KeyObject } from 'node:crypto';
import type pg from 'pg';
import { sendGridSignedHeaders, standardWebhookHeaders } from '../../helpers/webhook-signing.ts';

export interface HttpResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export async function postJson(
  url: string,
  body: string | Uint8Array | unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const payload =
    typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: payload,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Left as text: the assertion shows it.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export async function getJson(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** POST /v1/outcomes with an API key; resolves to the outcome id. */
export async function trackOutcome(
  baseUrl: string,
  key: string,
  message: Record<string, unknown>,
): Promise<string> {
  const result = await postJson(`${baseUrl}/v1/outcomes`, message, bearer(key));
  const outcomeId = (result.body as { outcome_id?: unknown }).outcome_id;
  if (result.status !== 200 || typeof outcomeId !== 'string') {
    throw new Error(`POST /v1/outcomes: ${result.status} ${JSON.stringify(result.body)}`);
  }
  return outcomeId;
}

export function postSendGrid(
  baseUrl: string,
  privateKey: KeyObject,
  body: string,
  timestampSeconds?: number,
): Promise<HttpResult> {
  return postJson(
    `${baseUrl}/webhooks/sendgrid`,
    body,
    sendGridSignedHeaders(privateKey, body, timestampSeconds),
  );
}

export function postCrm(
  baseUrl: string,
  secrets: string | readonly string[],
  webhookId: string,
  body: string,
  options: { query?: string; timestampSeconds?: number } = {},
): Promise<HttpResult> {
  return postJson(
    `${baseUrl}/webhooks/crm${options.query ?? ''}`,
    body,
    standardWebhookHeaders(secrets, webhookId, body, options.timestampSeconds),
  );
}

/**
 * A fingerprint of everything a webhook can change: every outcome_labels row and every
 * webhook_events row, whole. Equal before and after a request = the request changed nothing.
 */
export async function databaseFingerprint(pool: pg.Pool): Promise<Record<string, unknown>> {
  const result = await pool.query<Record<string, unknown>>(`
    select
      (select count(*)::int from public.outcome_labels) as outcomes,
      (select md5(coalesce(string_agg(to_jsonb(o)::text, '|' order by o.id), ''))
         from public.outcome_labels o) as outcome_rows,
      (select count(*)::int from public.webhook_events) as events,
      (select md5(coalesce(string_agg(to_jsonb(w)::text, '|' order by w.id), ''))
         from public.webhook_events w) as event_rows`);
  return result.rows[0] ?? {};
}

/** One sample of a Prometheus text exposition, or 0 when the series is absent. */
export function metricValue(
  exposition: string,
  name: string,
  labels: Readonly<Record<string, string>>,
): number {
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`)) {
      continue;
    }
    const close = line.lastIndexOf('}');
    const found = parseLabels(line.slice(name.length + 1, close));
    const wanted = Object.entries(labels);
    if (
      wanted.length === Object.keys(found).length &&
      wanted.every(([key, value]) => found[key] === value)
    ) {
      return Number(line.slice(close + 1).trim());
    }
  }
  return 0;
}

/** Every sample of one metric: labels and value. */
export function metricSamples(
  exposition: string,
  name: string,
): Array<{ labels: Record<string, string>; value: number }> {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .map((line) => {
      const close = line.lastIndexOf('}');
      return {
        labels: parseLabels(line.slice(name.length + 1, close)),
        value: Number(line.slice(close + 1).trim()),
      };
    });
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
    labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, (_all, char: string) =>
      char === 'n' ? '\n' : char,
    );
  }
  return labels;
}
