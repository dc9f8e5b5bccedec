/**
 * What the Pipedrive and Salesforce webhook scenarios need from a running gateway, whichever store
 * is under it (in-process on PGlite, or the gateway process on PostgreSQL): its URL, an API key,
 * SQL on its database, and the one configuration both backends start with.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { generateStandardWebhookSecret } from '../../helpers/webhook-signing.ts';
import { bearer, getJson, trackOutcome } from './gateway-client.ts';

type Rows = ReadonlyArray<Record<string, unknown>>;

export interface CrmTestBackend {
  readonly url: string;
  readonly organizationId: string;
  readonly apiKey: string;
  query(sql: string, params?: readonly unknown[]): Promise<Rows>;
}

/** The custom field keys as Pipedrive shows them (40-character hashes), as in the fixtures. */
const pipedriveOutcomeField = '5b1d3e6f0a7c4e2f9b8d1c3a5e7f9b0d2c4e6a81';
const pipedriveLeadField = '8e0c5a7d2f4b6e1c9a3d5f7b0e2c4a6d8f1b3e57';
/** Setup → Company Information shows the 15-character id; Outbound Messages carry the 18. */
const salesforceOrganization15 = '00D5e000000KQ2e';
export const salesforceOrganization18 = '00D5e000000KQ2eEAG';

export const crmTestCredentials = {
  pipedriveUser: 'rekindle-pipedrive',
  pipedrivePassword: randomBytes(18).toString('base64url'),
  crmSecret: generateStandardWebhookSecret(),
};

export const crmTestEnv: Record<string, string> = {
  PIPEDRIVE_WEBHOOK_USER: crmTestCredentials.pipedriveUser,
  PIPEDRIVE_WEBHOOK_PASSWORD: crmTestCredentials.pipedrivePassword,
  SALESFORCE_ORGANIZATION_ID: salesforceOrganization15,
  CRM_WEBHOOK_SECRET: crmTestCredentials.crmSecret,
};

export const crmTestFile = {
  webhooks: {
    pipedrive_outcome_field: pipedriveOutcomeField,
    pipedrive_lead_field: pipedriveLeadField,
    // The sweep that places kept events once their outcome is known; fast for the tests.
    reconcile_interval_ms: 150,
  },
};

export async function track(backend: CrmTestBackend, leadId = `lead_${randomUUID()}`) {
  return trackOutcome(backend.url, backend.apiKey, {
    campaign_id: 'camp_crm_vendors',
    lead_id: leadId,
    message_body: 'Hi Dana, worth a call next week?',
  });
}

export async function outcome(backend: CrmTestBackend, id: string) {
  const result = await getJson(`${backend.url}/v1/outcomes/${id}`, bearer(backend.apiKey));
  expect(result.status).toBe(200);
  return result.body;
}

/** Every outcome_labels and webhook_events row, whole: equal before and after = nothing changed. */
export async function fingerprint(backend: CrmTestBackend): Promise<Record<string, unknown>> {
  const rows = await backend.query(`
    select
      (select count(*)::int from public.outcome_labels) as outcomes,
      (select md5(coalesce(string_agg(to_jsonb(o)::text, '|' order by o.id), ''))
         from public.outcome_labels o) as outcome_rows,
      (select count(*)::int from public.webhook_events) as events,
      (select md5(coalesce(string_agg(to_jsonb(w)::text, '|' order by w.id), ''))
         from public.webhook_events w) as event_rows`);
  return rows[0] ?? {};
}

export async function storedEvent(backend: CrmTestBackend, source: string, eventId: string) {
  const rows = await backend.query(
    `select status, event_type, organization_id, outcome_id::text as outcome_id, effect,
            payload::text as payload
       from public.webhook_events where source = $1 and event_id = $2`,
    [source, eventId],
  );
  expect(rows).toHaveLength(1);
  return rows[0] as {
    status: string;
    event_type: string;
    organization_id: string | null;
    outcome_id: string | null;
    effect: Record<string, unknown>;
    payload: string;
  };
}

export async function eventually<T>(
  probe: () => Promise<T | null>,
  timeoutMs = 10_000,
): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null || Date.now() > deadline) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function metrics(backend: CrmTestBackend): Promise<string> {
  return (await fetch(`${backend.url}/metrics`)).text();
}
