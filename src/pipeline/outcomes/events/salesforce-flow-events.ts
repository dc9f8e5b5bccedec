import { z } from 'zod';
import { contentEventId, type NormalizedEvent } from './normalized-event.ts';
import {
  normalizeSalesforceRecord,
  type SalesforceFieldValue,
  type SalesforceMappingOptions,
} from './salesforce-events.ts';
import { parseJsonBody, WebhookPayloadError } from './webhook-payload-error.ts';

const idPattern = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;

/**
 * The JSON form for Salesforce Flow HTTP callouts (and Apex): records the way Salesforce serializes
 * them (`JSON.serialize(records)`: `{"attributes":{"type":"Opportunity"},"Id":…,"StageName":…}`),
 * with the org's id, signed with Standard Webhooks like /webhooks/crm.
 */
const salesforceFlowBodySchema = z.looseObject({
  OrganizationId: z.string().regex(idPattern, 'must be a 15- or 18-character id').optional(),
  records: z
    .array(
      z.looseObject({
        attributes: z.looseObject({
          type: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'must be an sObject API name'),
        }),
        Id: z.string().regex(idPattern, 'must be a 15- or 18-character id').optional(),
      }),
    )
    .min(1)
    .max(200),
});

export interface SalesforceFlowOptions extends SalesforceMappingOptions {
  /** `webhook-id`: with the record's position, the idempotency key of each record. */
  webhookId?: string | undefined;
}

export interface SalesforceFlowDelivery {
  /** `OrganizationId` of the body, when sent (checked against the configured orgs). */
  readonly organizationId: string | null;
  readonly events: NormalizedEvent[];
}

export function parseSalesforceFlowWebhook(
  rawBody: Uint8Array | ArrayBuffer | string,
  options: SalesforceFlowOptions = {},
): SalesforceFlowDelivery {
  const parsed = salesforceFlowBodySchema.safeParse(parseJsonBody(rawBody));
  if (!parsed.success) {
    throw WebhookPayloadError.fromZod(parsed.error);
  }
  const organizationId = parsed.data.OrganizationId ?? null;
  const events = parsed.data.records.map((record, index) => {
    const fields: Record<string, SalesforceFieldValue> = {};
    for (const [name, value] of Object.entries(record)) {
      // Scalars only: `attributes` and related records (nested objects) are not fields of this one.
      if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
        fields[name] = value as SalesforceFieldValue;
      }
    }
    const raw = { OrganizationId: organizationId, record };
    const eventId =
      options.webhookId !== undefined && options.webhookId !== ''
        ? `flow:${options.webhookId}#${index}`
        : `flow:${contentEventId(raw)}`;
    return normalizeSalesforceRecord(
      { type: record.attributes.type, fields },
      eventId,
      raw,
      options,
    );
  });
  return { organizationId, events };
}
