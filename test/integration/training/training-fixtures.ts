/**
 * What the training tests share: leads whose names, emails and phone numbers end up in prompts
 * and messages, outcomes seeded through the tracking API with stages that give known quality
 * scores, the vendor fakes (chat and fine-tuning on one base URL), and small HTTP helpers.
 */

import {
  createOpenAIFineTuningRoutes,
  createTogetherFineTuningRoutes,
  type FakeAdvanceMode,
  type FakeClock,
} from '../../fakes/fine-tuning-fake.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';

export const adminToken = 'admin-secret-for-tests';
export const adminHeaders = { authorization: `Bearer ${adminToken}` };

const firstNames = ['Dana', 'Priya', 'Marcus', 'Sofia', 'Kenji', 'Amara', 'Lukas', 'Chloe'];
const lastNames = ['Whitfield', 'Raman', 'Okafor', 'Lindqvist', 'Tanaka', 'Mensah', 'Brenner'];
const companies = ['Acme Robotics Inc.', 'Northwind Traders', 'Globex GmbH', 'Initech LLC'];

export interface Lead {
  first_name: string;
  last_name: string;
  full_name: string;
  company: string;
  email: string;
  phone: string;
}

function leadFor(index: number): Lead {
  const first = firstNames[index % firstNames.length] ?? 'Dana';
  const last = `${lastNames[index % lastNames.length] ?? 'Smith'}son${index}`;
  return {
    first_name: first,
    last_name: last,
    full_name: `${first} ${last}`,
    company: companies[index % companies.length] ?? 'Acme',
    email: `${first.toLowerCase()}.${last.toLowerCase()}@example${index}.com`,
    phone: `+1 (415) 555-${String(1000 + index).padStart(4, '0')}`,
  };
}

/**
 * The furthest stage outcome `index` reaches, and the quality score the store's trigger gives it
 * (see …_quality_score.sql): six kinds in turn, four of them training-ready at 0.6, one exactly on
 * the threshold.
 */
type Stage =
  | { kind: 'sent'; quality: 0.1 }
  | { kind: 'reply'; sentiment_score: number; sentiment_label: string; quality: number }
  | { kind: 'meeting'; quality: 0.9 }
  | { kind: 'deal'; quality: 1 };

function stageFor(index: number): Stage {
  switch (index % 6) {
    case 0:
      return { kind: 'sent', quality: 0.1 };
    case 1:
      return { kind: 'reply', sentiment_score: 0.1, sentiment_label: 'negative', quality: 0.53 };
    case 2:
      // A positive label lifts 0.5 + 0.3 × 0.1 to the 0.6 floor: exactly on the threshold.
      return { kind: 'reply', sentiment_score: 0.1, sentiment_label: 'positive', quality: 0.6 };
    case 3:
      return { kind: 'reply', sentiment_score: 0.5, sentiment_label: 'neutral', quality: 0.65 };
    case 4:
      return { kind: 'meeting', quality: 0.9 };
    default:
      return { kind: 'deal', quality: 1 };
  }
}

/** A marker in each message that survives scrubbing, so an example can be traced to its outcome. */
const referenceOf = (index: number) => `ref-${String(index).padStart(4, '0')}`;

export interface SeededOutcome {
  index: number;
  outcomeId: string;
  lead: Lead;
  stage: Stage;
  reference: string;
}

async function post(url: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`POST ${url}: ${response.status} ${text}`);
  }
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Outcomes `from`…`from + count - 1` through the tracking API (`POST /v1/outcomes`, then reply,
 * meeting or deal): the prompt and the message name the lead, as real outreach does.
 */
export async function seedOutcomes(
  baseUrl: string,
  options: { from?: number; count: number; headers?: Record<string, string> },
): Promise<SeededOutcome[]> {
  const headers = options.headers ?? {};
  const seeded: SeededOutcome[] = [];
  const from = options.from ?? 0;
  for (let index = from; index < from + options.count; index += 1) {
    const lead = leadFor(index);
    const stage = stageFor(index);
    const reference = referenceOf(index);
    const created = await post(
      `${baseUrl}/v1/outcomes`,
      {
        campaign_id: 'q4-reactivation',
        lead_id: `lead-${index}`,
        channel: 'email',
        subject_line: `Quick follow-up, ${lead.first_name}`,
        message_body: `Hi ${lead.first_name}, following up on ${lead.company}'s rollout (${reference}). I'll call you at ${lead.phone} on Tuesday, or reply to ${lead.email}. — Sam`,
        prompt_messages: [
          { role: 'system', content: 'You write concise B2B follow-up emails.' },
          {
            role: 'user',
            content: `Lead: ${lead.full_name}, Head of Ops at ${lead.company}. Email ${lead.email}, phone ${lead.phone}. Topic ${reference}.`,
          },
        ],
        lead_data: lead,
      },
      headers,
    );
    const outcomeId = String(created.outcome_id);
    const base = `${baseUrl}/v1/outcomes/${outcomeId}`;
    if (stage.kind === 'reply') {
      await post(
        `${base}/reply`,
        {
          reply_text: `Thanks ${lead.first_name} here — noted.`,
          sentiment_score: stage.sentiment_score,
          sentiment_label: stage.sentiment_label,
        },
        headers,
      );
    } else if (stage.kind === 'meeting') {
      await post(`${base}/meeting`, { meeting_time: '2026-12-01T15:00:00Z' }, headers);
    } else if (stage.kind === 'deal') {
      await post(`${base}/deal`, { deal_value: 12_000 + index }, headers);
    }
    seeded.push({ index, outcomeId, lead, stage, reference });
  }
  return seeded;
}

/** Every way a lead's own values could appear in text (case-insensitive checks use these). */
export function piiOf(lead: Lead): string[] {
  const digits = lead.phone.replace(/\D/g, '');
  return [
    lead.first_name,
    lead.last_name,
    lead.full_name,
    lead.email,
    lead.email.split('@')[0] ?? lead.email,
    lead.phone,
    digits,
    digits.slice(1),
  ];
}

export interface VendorFakes {
  openai: OpenAIFake;
  together: OpenAIFake;
  openaiTuning: ReturnType<typeof createOpenAIFineTuningRoutes>;
  togetherTuning: ReturnType<typeof createTogetherFineTuningRoutes>;
  close(): Promise<void>;
}

/** OpenAI and Together: chat completions and fine-tuning on one base URL each. */
export async function startVendorFakes(
  options: { clock?: FakeClock; advance?: FakeAdvanceMode } = {},
): Promise<VendorFakes> {
  const routeOptions = {
    organization: 'rekindle-test',
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.advance ? { advance: options.advance } : {}),
  };
  const openaiTuning = createOpenAIFineTuningRoutes(routeOptions);
  const togetherTuning = createTogetherFineTuningRoutes(routeOptions);
  const openai = await startOpenAIFake({ routes: [openaiTuning.handle] });
  const together = await startOpenAIFake({ style: 'together', routes: [togetherTuning.handle] });
  return {
    openai,
    together,
    openaiTuning,
    togetherTuning,
    close: async () => {
      await Promise.all([openai.close(), together.close()]);
    },
  };
}

export async function adminJson(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...adminHeaders,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls `GET /admin/training/runs/{id}` until `done` holds (bounded; fails with the last run). */
export async function waitForRun(
  baseUrl: string,
  runId: string,
  done: (run: Record<string, unknown>) => boolean,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, unknown> = {};
  while (Date.now() < deadline) {
    const { status, body } = await adminJson(baseUrl, 'GET', `/admin/training/runs/${runId}`);
    if (status !== 200) {
      throw new Error(`GET run ${runId}: ${status} ${JSON.stringify(body)}`);
    }
    last = body;
    if (done(body)) {
      return body;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${runId} not done within ${timeoutMs} ms: ${JSON.stringify(last)}`);
}

/** A lead id whose sticky bucket on `route` falls in [from, to) (buckets of 10,000). */
export function leadInBuckets(
  bucketOf: (route: string, key: string) => number,
  route: string,
  from: number,
  to: number,
): string {
  for (let index = 0; index < 100_000; index += 1) {
    const lead = `lead-ab-${index}`;
    const bucket = bucketOf(route, lead);
    if (bucket >= from && bucket < to) {
      return lead;
    }
  }
  throw new Error(`no lead found in buckets [${from}, ${to})`);
}
