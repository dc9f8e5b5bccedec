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
export { defaultXmlLimits, parseStrictXml } from './parse-strict-xml.ts';
export { customFieldText } from './pipedrive-custom-fields.ts';
export {
  normalizePipedriveWebhook,
  type PipedriveWebhook,
  type PipedriveWebhookOptions,
  parsePipedriveWebhook,
  pipedriveWebhookSchema,
} from './pipedrive-events.ts';
export {
  defaultSalesforceLeadField,
  defaultSalesforceOutcomeField,
  normalizeSalesforceOutboundMessage,
  normalizeSalesforceRecord,
  type SalesforceFieldValue,
  type SalesforceMappingOptions,
  type SalesforceRecord,
} from './salesforce-events.ts';
export {
  parseSalesforceFlowWebhook,
  type SalesforceFlowDelivery,
  type SalesforceFlowOptions,
  salesforceFlowBodySchema,
} from './salesforce-flow-events.ts';
export {
  maxNotifications,
  outboundMessageNamespace,
  parseSalesforceOutboundMessage,
  type SalesforceNotification,
  type SalesforceOutboundMessage,
  salesforceAck,
  soapEnvelopeNamespace,
  soapFault,
} from './salesforce-outbound-message.ts';
export {
  canonicalSendGridEventName,
  normalizeSendGridEvent,
  normalizeSendGridEvents,
  parseSendGridWebhook,
  type SendGridEvent,
  type SendGridParseOptions,
  sendGridBodySchema,
  sendGridEventSchema,
  sendGridMessageIdPrefix,
  sendGridOrganizationArg,
  sendGridOutcomeArg,
} from './sendgrid-events.ts';
export { type IgnoredSendGridEvent, ignoredSendGridEvents } from './sendgrid-ignored-events.ts';
export { toWebhookEventInput } from './to-webhook-event-input.ts';
export { parseJsonBody, WebhookPayloadError } from './webhook-payload-error.ts';
export {
  type XmlAttribute,
  type XmlElement,
  type XmlLimits,
  XmlSyntaxError,
} from './xml-element.ts';
