export {
  type CrmEvent,
  type CrmEventType,
  type CrmWebhookOptions,
  crmBatchSchema,
  crmBodySchema,
  crmEventSchema,
  crmEventTypes,
  normalizeCrmEvents,
  parseCrmWebhook,
} from './crm-events.ts';
export {
  type HubSpotEvent,
  type HubSpotWebhookOptions,
  hubSpotDedupeKey,
  hubSpotEventSchema,
  normalizeHubSpotEvents,
  parseHubSpotWebhook,
} from './hubspot-events.ts';
export {
  canonicalJson,
  contentEventId,
  isUuid,
  type NormalizedEvent,
  toIsoInstant,
  type WebhookSource,
} from './normalized-event.ts';
export {
  hasEffect,
  isLostStatus,
  isWonStatus,
  noEffect,
  type OutcomeEffect,
  type OutcomeFlag,
  outcomeEffectOf,
  outcomeFlags,
} from './outcome-effect.ts';
export {
  normalizeSendGridEvent,
  normalizeSendGridEvents,
  parseSendGridWebhook,
  type SendGridEvent,
  sendGridBodySchema,
  sendGridEventSchema,
  sendGridMessageIdPrefix,
  sendGridOrganizationArg,
  sendGridOutcomeArg,
} from './sendgrid-events.ts';
export { toWebhookEventInput } from './to-webhook-event-input.ts';
export { parseJsonBody, WebhookPayloadError } from './webhook-payload-error.ts';
