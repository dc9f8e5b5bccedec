import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CoverageEntry } from './coverage-types.ts';
import { parseJson, succeeded } from './readme-and-supabase-coverage.ts';

/**
 * integrations.md's commands, run against the replica operations.md starts (with
 * CRM_WEBHOOK_SECRET and SENDGRID_WEBHOOK_PUBLIC_KEY set) and the tenant key it created.
 */
const apiKeyHeader = '-H "Authorization: Bearer $REKINDLE_API_KEY"';

export const integrationsCoverage: readonly CoverageEntry[] = [
  {
    doc: 'docs/integrations.md',
    command: `curl -s -D - -o /dev/null http://127.0.0.1:8787/v1/chat/completions -H 'content-type: application/json' ${apiKeyHeader} -H 'x-rekindle-lead-id: lead-42' -H 'x-rekindle-campaign-id: q4-expansion' -d '{"model":"outreach","messages":[{"role":"user","content":"Write a short cold email to Dana at Initech"}]}' | grep -i '^x-rekindle-outcome-id'`,
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        expect(result.stdout.trim()).toMatch(/^x-rekindle-outcome-id: [0-9a-f-]{36}$/i);
      },
    },
  },
  {
    doc: 'docs/integrations.md',
    command: `curl -s http://127.0.0.1:8787/v1/outcomes -H 'content-type: application/json' ${apiKeyHeader} -d '{"campaign_id":"q4-expansion","lead_id":"lead-43","channel":"email","message_body":"Hi Dana, quick idea for Initech…"}'`,
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        expect(parseJson(result).outcome_id).toMatch(/^[0-9a-f-]{36}$/);
      },
    },
  },
  {
    doc: 'docs/integrations.md',
    command: `outcome=$(curl -s http://127.0.0.1:8787/v1/outcomes -H 'content-type: application/json' ${apiKeyHeader} -d '{"campaign_id":"q4-expansion","lead_id":"lead-44","channel":"email","message_body":"Hi Sam, quick idea for Globex…"}' | sed -E 's/.*"outcome_id":"([^"]+)".*/\\1/')`,
    how: { kind: 'setup' },
  },
  {
    doc: 'docs/integrations.md',
    command: `curl -s "http://127.0.0.1:8787/v1/outcomes/$outcome/reply" -H 'content-type: application/json' ${apiKeyHeader} -d '{"reply_text":"Sounds interesting, can we talk on Tuesday?"}'`,
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        const outcome = parseJson(result);
        expect(outcome).toMatchObject({
          lead_id: 'lead-44',
          organization_id: 'acme',
          replied: true,
        });
        // Classified on the way in: a positive, interested reply.
        expect(outcome.reply_sentiment_label).toBe('positive');
      },
    },
  },
  {
    doc: 'docs/integrations.md',
    command: `curl -s -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:8787/webhooks/sendgrid -H 'content-type: application/json' -d '[]'`,
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        expect(result.stdout).toBe('401\n');
      },
    },
  },
  {
    doc: 'docs/integrations.md',
    command: `curl -s http://127.0.0.1:8787/webhooks/sendgrid -H 'content-type: application/json' -d '[{"email":"dana@initech.example","event":"spam_report","rekindle_outcome_id":"OUTCOME_ID"}]'`,
    how: {
      kind: 'test',
      file: 'test/integration/webhooks/flywheel-tracking.test.ts',
      contains: ["'/webhooks/sendgrid'", "event: 'spam_report'", 'dana@initech.example'],
    },
  },
  {
    doc: 'docs/integrations.md',
    command: 'echo "whsec_$(openssl rand -base64 32)"',
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        expect(result.stdout).toMatch(/^whsec_[A-Za-z0-9+/]{43}=\n$/);
        expect(Buffer.from(result.stdout.trim().slice(6), 'base64')).toHaveLength(32);
      },
    },
  },
  ...[
    `body='{"event":"deal.closed","lead_id":"lead-42","organization_id":"acme","status":"won","amount":12000}'`,
    'id="evt_test_$(date +%s)"; ts=$(date +%s)',
    `key=$(printf '%s' "\${CRM_WEBHOOK_SECRET#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \\n')`,
    `sig=$(printf '%s' "$id.$ts.$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)`,
  ].map(
    (command): CoverageEntry => ({ doc: 'docs/integrations.md', command, how: { kind: 'setup' } }),
  ),
  {
    doc: 'docs/integrations.md',
    command: `curl -s http://127.0.0.1:8787/webhooks/crm -H 'content-type: application/json' -H "webhook-id: $id" -H "webhook-timestamp: $ts" -H "webhook-signature: v1,$sig" -d "$body"`,
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        expect(result.stdout).toBe('{"status":"processed"}');
      },
    },
  },
  {
    doc: 'docs/integrations.md',
    command: `curl -s -u "$PIPEDRIVE_WEBHOOK_USER:$PIPEDRIVE_WEBHOOK_PASSWORD" http://127.0.0.1:8787/webhooks/crm/pipedrive -H 'content-type: application/json' -d '{"meta":{"version":"2.0","action":"change","entity":"deal","company_id":"1","id":"check-1","entity_id":"42","timestamp":"2026-11-28T10:15:00Z"},"data":{"id":42,"status":"won","value":1000,"currency":"EUR","custom_fields":{}},"previous":{"status":"open"}}'`,
    how: {
      kind: 'run',
      group: 'operations',
      expect(result) {
        succeeded(result);
        expect(result.stdout).toBe('{"status":"processed"}');
      },
    },
  },
  {
    doc: 'docs/integrations.md',
    command: `curl -s http://127.0.0.1:8787/webhooks/crm/salesforce -H 'content-type: text/xml; charset=utf-8' -H 'SOAPAction: ""' --data-binary @om.xml`,
    how: {
      kind: 'run',
      group: 'operations',
      // The envelope the doc shows, saved where the doc says (`om.xml`), in the sandbox's directory.
      replacements: [['@om.xml', '@${temporary}/om.xml']],
      async before(sandbox) {
        const doc = readFileSync(join(sandbox.repositoryRoot, 'docs/integrations.md'), 'utf8');
        const envelope = /```xml\n([\s\S]*?<notifications[\s\S]*?)```/.exec(doc)?.[1];
        expect(envelope, 'the Outbound Message example of integrations.md').toBeDefined();
        writeFileSync(join(sandbox.temporary, 'om.xml'), envelope ?? '');
      },
      expect(result) {
        succeeded(result);
        expect(result.stdout).toContain(
          '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>',
        );
      },
    },
  },
];
