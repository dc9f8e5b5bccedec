/**
 * The load tests' set-up and checks: outcomes created through the gateway (tracked chat completions
 * and the tracking API), then the database compared with the reference model column by column and
 * every stored event counted.
 */
import { outcomeColumns } from '../../helpers/webhook-ingest-model.ts';
import { bearer, getJson, trackOutcome } from './gateway-client.ts';
import type { LoadEvent, LoadOutcome } from './sendgrid-load.ts';

export type Query = (
  sql: string,
  params?: readonly unknown[],
) => Promise<ReadonlyArray<Record<string, unknown>>>;

/**
 * `count` outcomes in one organization: half are chat completions with a lead id (tracked
 * write-behind; the model version comes from the response headers), half are `POST /v1/outcomes`
 * (some with their own route and version). Resolves once every one is readable.
 */
export async function createLoadOutcomes(
  baseUrl: string,
  apiKey: string,
  organizationId: string,
  count: number,
): Promise<LoadOutcome[]> {
  const outcomes: LoadOutcome[] = new Array(count);
  const create = async (index: number) => {
    if (index % 2 === 0) {
      const response = await fetch(`${baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-rekindle-lead-id': `lead_${index}`,
          'x-rekindle-campaign-id': 'camp_load',
          ...bearer(apiKey),
        },
        body: JSON.stringify({
          model: 'outreach',
          messages: [{ role: 'user', content: `Write a short first email to lead ${index}.` }],
        }),
      });
      await response.text();
      const id = response.headers.get('x-rekindle-outcome-id');
      const modelVersion = response.headers.get('x-rekindle-model-version');
      if (response.status !== 200 || !id || !modelVersion) {
        throw new Error(`chat completion for lead_${index}: ${response.status}`);
      }
      outcomes[index] = { id, organizationId, route: 'outreach', modelVersion };
      return;
    }
    const labelled = index % 4 === 1;
    const id = await trackOutcome(baseUrl, apiKey, {
      campaign_id: 'camp_load',
      lead_id: `lead_${index}`,
      message_body: `Hi lead ${index}, a quick question about your pipeline.`,
      ...(labelled ? { route: 'sequencer', model_version: 'ext-v2' } : {}),
    });
    outcomes[index] = {
      id,
      organizationId,
      route: labelled ? 'sequencer' : 'outreach',
      modelVersion: labelled ? 'ext-v2' : 'unknown',
    };
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        await create(next++);
      }
    }),
  );
  // Tracked chat messages are written behind the response (batched); wait until each one exists.
  const deadline = Date.now() + 20_000;
  for (const outcome of outcomes) {
    for (;;) {
      const found = await getJson(`${baseUrl}/v1/outcomes/${outcome.id}`, bearer(apiKey));
      if (found.status === 200) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`outcome ${outcome.id} was never written`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return outcomes;
}

/** Column-by-column differences between outcome_labels and the model (empty = equal). */
export async function outcomeMismatches(
  query: Query,
  outcomes: readonly LoadOutcome[],
  expected: ReadonlyMap<string, Record<string, unknown>>,
): Promise<string[]> {
  const rows = await query(
    `select ${outcomeColumns.join(', ')}, quality_score, replied
     from public.outcome_labels where id = any($1::uuid[])`,
    [outcomes.map((outcome) => outcome.id)],
  );
  const byId = new Map(rows.map((row) => [String(row.id), row]));
  const mismatches: string[] = [];
  for (const outcome of outcomes) {
    const row = byId.get(outcome.id);
    if (!row) {
      mismatches.push(`${outcome.id}: missing`);
      continue;
    }
    const wanted = expected.get(outcome.id) ?? {};
    for (const [column, value] of Object.entries(wanted)) {
      if (normalize(row[column]) !== normalize(value)) {
        mismatches.push(`${outcome.id}.${column}: ${String(row[column])} != ${String(value)}`);
      }
    }
    const quality = expectedQualityScore(wanted);
    if (row.replied !== false || Number(row.quality_score) !== quality) {
      mismatches.push(`${outcome.id}.quality_score: ${String(row.quality_score)} != ${quality}`);
    }
  }
  return mismatches;
}

/**
 * ARCHITECTURE §6: the weight of the furthest stage reached, 0 after a bounce, spam report or
 * unsubscribe. Rows of the load never get a reply, so the reply stage does not apply.
 */
function expectedQualityScore(row: Readonly<Record<string, unknown>>): number {
  if (row.bounced || row.spam_reported || row.unsubscribed) {
    return 0;
  }
  const stages: Array<[string, number]> = [
    ['deal_closed', 1],
    ['meeting_booked', 0.9],
    ['clicked', 0.4],
    ['opened', 0.3],
    ['delivered', 0.2],
  ];
  return stages.find(([flag]) => row[flag] === true)?.[1] ?? 0.1;
}

export interface StoredEvent {
  readonly copies: number;
  readonly status: string;
  readonly eventType: string;
}

/** webhook_events rows of this load, by test key. */
export async function storedEvents(query: Query, tag: string): Promise<Map<string, StoredEvent>> {
  const rows = await query(
    `select payload ->> 'test_event_key' as key, count(*)::int as copies, min(status) as status,
       min(event_type) as event_type
     from public.webhook_events
     where source = 'sendgrid' and payload ->> 'test_event_key' like $1
     group by 1`,
    [`${tag}-%`],
  );
  return new Map(
    rows.map((row) => [
      String(row.key),
      { copies: Number(row.copies), status: String(row.status), eventType: String(row.event_type) },
    ]),
  );
}

/** Events stored more or less than once, or with another status or type than expected. */
export function eventMismatches(
  events: readonly LoadEvent[],
  stored: ReadonlyMap<string, StoredEvent>,
): string[] {
  const mismatches: string[] = [];
  for (const event of events) {
    const found = stored.get(event.key);
    if (!found) {
      mismatches.push(`${event.key}: not stored`);
    } else if (
      found.copies !== 1 ||
      found.status !== event.expectedStatus ||
      found.eventType !== event.type
    ) {
      mismatches.push(
        `${event.key}: ${found.copies}× ${found.eventType}/${found.status}, expected 1× ${event.type}/${event.expectedStatus}`,
      );
    }
  }
  if (stored.size !== events.length) {
    mismatches.push(`${stored.size} distinct events stored, ${events.length} sent`);
  }
  return mismatches;
}

/** The webhook metric each (event, result) must show after every batch was posted exactly twice. */
export function expectedWebhookCounts(events: readonly LoadEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (event: string, result: string) => {
    const key = `${event}|${result}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (const event of events) {
    add(event.type, event.expectedStatus);
    add(event.type, 'duplicate');
  }
  return counts;
}

/**
 * rekindle_outcomes_total per route|model_version|event: each outcome counts once for every stage
 * (outcome_labels flag) it ends up in, however many events set it: the model's final rows say which.
 */
export function expectedOutcomeCounts(
  outcomes: readonly LoadOutcome[],
  expected: ReadonlyMap<string, Record<string, unknown>>,
): Map<string, number> {
  const stages = [
    'delivered',
    'opened',
    'clicked',
    'bounced',
    'spam_reported',
    'unsubscribed',
    'meeting_booked',
    'deal_closed',
  ];
  const counts = new Map<string, number>();
  for (const outcome of outcomes) {
    const row = expected.get(outcome.id) ?? {};
    for (const stage of stages.filter((flag) => row[flag] === true)) {
      const key = `${outcome.route}|${outcome.modelVersion}|${stage}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

function normalize(value: unknown): unknown {
  if (value instanceof Date) {
    return value.toISOString();
  }
  return value ?? null;
}
