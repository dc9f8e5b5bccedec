import { z } from 'zod';

const salesforceId = z
  .string()
  .regex(/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/, 'must be a 15- or 18-character Salesforce id');
const salesforceFieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'must be a field API name');
const pipedriveFieldKey = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,100}$/, 'must be a custom field key (Pipedrive shows it as a hash)');

export const webhooksConfigSchema = z
  .object({
    sendgrid_public_key: z.string().optional(),
    sendgrid_tolerance_seconds: z.number().int().positive().default(600),
    crm_secrets: z.array(z.string()).default([]).describe('Standard Webhooks secrets (whsec_…).'),
    crm_tolerance_seconds: z.number().int().positive().default(300),
    hubspot_client_secret: z.string().optional(),
    hubspot_organization_id: z
      .string()
      .default('default')
      .describe('Organization HubSpot events belong to (HubSpot payloads carry none of ours).'),
    public_base_url: z
      .string()
      .url()
      .optional()
      .describe('The URL HubSpot calls, when a proxy rewrites it (signature v3 covers the URL).'),
    reconcile_interval_ms: z
      .number()
      .int()
      .positive()
      .default(60_000)
      .describe('How often events for not-yet-known outcomes are matched again.'),
    pipedrive_user: z
      .string()
      .min(1)
      .optional()
      .describe('HTTP Basic user Pipedrive sends to /webhooks/crm/pipedrive (its http_auth_user).'),
    pipedrive_password: z
      .string()
      .min(1)
      .optional()
      .describe('HTTP Basic password (its http_auth_password); set both or neither.'),
    pipedrive_outcome_field: pipedriveFieldKey
      .optional()
      .describe('Key of the Pipedrive deal (or activity) custom field holding the outcome id.'),
    pipedrive_lead_field: pipedriveFieldKey
      .optional()
      .describe('Key of the Pipedrive deal (or activity) custom field holding the lead id.'),
    pipedrive_meeting_types: z
      .array(z.string().min(1))
      .default(['meeting'])
      .describe('Pipedrive activity types (key_string) that book a meeting.'),
    salesforce_organization_ids: z
      .array(salesforceId)
      .default([])
      .describe('Salesforce orgs (15 or 18 characters) whose messages are accepted; any if empty.'),
    salesforce_outcome_field: salesforceFieldName
      .default('Rekindle_Outcome_Id__c')
      .describe('API name of the Opportunity/Event custom field holding the outcome id.'),
    salesforce_lead_field: salesforceFieldName
      .default('Rekindle_Lead_Id__c')
      .describe('API name of the Opportunity/Event custom field holding the lead id.'),
    salesforce_won_stages: z
      .array(z.string().min(1))
      .default(['Closed Won'])
      .describe('Opportunity stages that mean won when IsWon is not in the message.'),
    salesforce_lost_stages: z
      .array(z.string().min(1))
      .default(['Closed Lost'])
      .describe('Opportunity stages that mean lost when IsClosed is not in the message.'),
  })
  .strict()
  .superRefine((settings, context) => {
    if ((settings.pipedrive_user === undefined) !== (settings.pipedrive_password === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [settings.pipedrive_user === undefined ? 'pipedrive_user' : 'pipedrive_password'],
        message: 'Pipedrive webhook credentials need both a user and a password',
      });
    }
  });
