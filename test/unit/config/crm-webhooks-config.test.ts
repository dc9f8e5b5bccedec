import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../../src/cli/commands/config.ts';
import { ConfigError, loadConfig, readEnv } from '../../../src/config/index.ts';

const load = (env: Record<string, string>, file: unknown = {}) =>
  loadConfig({ env: readEnv(env), rawEnv: env, file });

describe('Pipedrive and Salesforce webhook settings', () => {
  it('come from the environment, with documented defaults for the Salesforce fields', () => {
    const { webhooks } = load({
      PIPEDRIVE_WEBHOOK_USER: 'pd',
      PIPEDRIVE_WEBHOOK_PASSWORD: 's3cret',
      SALESFORCE_ORGANIZATION_ID: '00D5e000000KQ2e, 00D5e000000KQ3fEAG',
    });
    expect(webhooks).toMatchObject({
      pipedrive_user: 'pd',
      pipedrive_password: 's3cret',
      pipedrive_meeting_types: ['meeting'],
      salesforce_organization_ids: ['00D5e000000KQ2e', '00D5e000000KQ3fEAG'],
      salesforce_outcome_field: 'Rekindle_Outcome_Id__c',
      salesforce_lead_field: 'Rekindle_Lead_Id__c',
      salesforce_won_stages: ['Closed Won'],
      salesforce_lost_stages: ['Closed Lost'],
    });
    expect(webhooks.pipedrive_outcome_field).toBeUndefined();
    // `rekindle config check` never prints the password.
    expect(redactConfig(webhooks)).toMatchObject({
      pipedrive_user: 'pd',
      pipedrive_password: '***',
    });
  });

  it('refuses half a credential pair, malformed org ids and field keys', () => {
    const issues = (env: Record<string, string>, file: unknown = {}) => {
      try {
        load(env, file);
      } catch (error) {
        if (error instanceof ConfigError) {
          return error.issues.join('\n');
        }
        throw error;
      }
      return '';
    };
    expect(issues({ PIPEDRIVE_WEBHOOK_USER: 'pd' })).toMatch(
      /webhooks\.pipedrive_password.*both a user and a password/,
    );
    expect(issues({ SALESFORCE_ORGANIZATION_ID: '00D-not-an-id' })).toMatch(
      /webhooks\.salesforce_organization_ids\[0\]: must be a 15- or 18-character/,
    );
    expect(issues({}, { webhooks: { pipedrive_outcome_field: 'has spaces' } })).toMatch(
      /webhooks\.pipedrive_outcome_field/,
    );
  });
});
